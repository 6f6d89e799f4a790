package xmlrpc_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/godoo/godoo/rpc/rpctest"
	"github.com/godoo/godoo/rpc/xmlrpc"
)

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
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := xmlrpc.Decode(body, 64); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkXMLRPCEncode writes the search_read result of 80 records x 8
// fields as an XML-RPC response into a reused buffer.
func BenchmarkXMLRPCEncode(b *testing.B) {
	rpctest.BenchEncode(b, xmlrpc.EncodeResponse, rpctest.SearchReadRecords(80))
}

// BenchmarkXMLRPCEncodeTable writes the same 80 records as the *models.Table
// that search_read of plain columns returns.
func BenchmarkXMLRPCEncodeTable(b *testing.B) {
	rpctest.BenchEncode(b, xmlrpc.EncodeResponse, rpctest.TableOf(rpctest.SearchReadRecords(80)))
}
