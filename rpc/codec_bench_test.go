package rpc_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc"
)

// searchReadRecords is what the ORM hands the codecs for
// search_read(fields=8 fields, limit=80) on res.partner: n records of the id
// plus 8 fields, with strings that need escaping, false for empty values,
// ints, floats and many2one [id, name] pairs.
func searchReadRecords(n int) []models.Record {
	countries := [][]any{{int64(21), "Belgium"}, {int64(75), "France"}, {int64(133), "Luxembourg"}}
	recs := make([]models.Record, n)
	for i := range recs {
		r := models.Record{
			"id":               int64(1000 + i),
			"name":             fmt.Sprintf("Partner %d", i),
			"email":            fmt.Sprintf("partner%d@example.com", i),
			"phone":            false,
			"is_company":       false,
			"color":            int64(i % 12),
			"country_id":       countries[i%3],
			"parent_id":        false,
			"partner_latitude": float64(i) * 0.125,
		}
		switch i % 4 {
		case 0:
			r["name"] = fmt.Sprintf("Café & Co <Brussels> %d", i)
			r["is_company"] = true
			r["phone"] = "+32 2 555 01 23"
		case 1:
			r["parent_id"] = []any{int64(1000 + i - 1), fmt.Sprintf("Café & Co <Brussels> %d", i-1)}
			r["country_id"] = false
		case 2:
			r["email"] = false
			r["partner_latitude"] = 50.8503396
		}
		recs[i] = r
	}
	return recs
}

// BenchmarkXMLRPCParse decodes execute_kw search_read requests as Python's
// xmlrpc.client writes them: the 1.2 KB one with a single-leaf domain and a
// 1.6 KB one with a nested domain (| and & operators, an escaped string and
// an id list).
func BenchmarkXMLRPCParse(b *testing.B) {
	for _, c := range []struct{ name, file string }{
		{"search_read", "call_search_read.xml"},
		{"nested_domain", "call_search_read_nested.xml"},
	} {
		b.Run(c.name, func(b *testing.B) {
			body, err := os.ReadFile(filepath.Join("testdata", "xmlrpc", c.file))
			if err != nil {
				b.Fatal(err)
			}
			r := bytes.NewReader(body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(body)
				if _, _, err := rpc.DecodeMethodCall(r, 64); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkXMLRPCEncode writes the search_read result of 80 records x 8
// fields as an XML-RPC response into a reused buffer.
func BenchmarkXMLRPCEncode(b *testing.B) {
	benchEncode(b, rpc.EncodeResponse, searchReadRecords(80))
}

// BenchmarkJSONRPCEncode writes the same result as JSON-RPC does.
func BenchmarkJSONRPCEncode(b *testing.B) {
	benchEncode(b, rpc.EncodeJSON, searchReadRecords(80))
}

// BenchmarkXMLRPCEncodeTable writes the same 80 records as the *models.Table
// that search_read of plain columns returns.
func BenchmarkXMLRPCEncodeTable(b *testing.B) {
	benchEncode(b, rpc.EncodeResponse, tableOf(searchReadRecords(80)))
}

// BenchmarkJSONRPCEncodeTable writes that table as JSON-RPC does.
func BenchmarkJSONRPCEncodeTable(b *testing.B) {
	benchEncode(b, rpc.EncodeJSON, tableOf(searchReadRecords(80)))
}

// benchEncode runs enc on v into a reused buffer; v is boxed once, as a
// handler's result is.
func benchEncode(b *testing.B, enc func(*bytes.Buffer, any) error, v any) {
	var buf bytes.Buffer
	if err := enc(&buf, v); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := enc(&buf, v); err != nil {
			b.Fatal(err)
		}
	}
}
