package rpc_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/jsonrpc"
	"github.com/godoo/godoo/rpc/rpctest"
	"github.com/godoo/godoo/rpc/xmlrpc"
)

// nest wraps v in depth one-element lists.
func nest(v any, depth int) any {
	for range depth {
		v = []any{v}
	}
	return v
}

// encodeBoth returns v's XML-RPC and JSON encodings, or their errors.
func encodeBoth(v any) (xmlOut, jsonOut string, xmlErr, jsonErr error) {
	var b bytes.Buffer
	xmlErr = xmlrpc.EncodeResponse(&b, v)
	xmlOut = b.String()
	b.Reset()
	jsonErr = jsonrpc.Encode(&b, v)
	return xmlOut, b.String(), xmlErr, jsonErr
}

func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ea, eb *models.Error
	return errors.As(a, &ea) && errors.As(b, &eb) && ea.Name == eb.Name && ea.Message == eb.Message
}

// TestEncodeTableLikeRecords checks that a *models.Table is written exactly
// as the []models.Record of the same read, on both protocols, at every
// depth up to the encoders' limits and past them.
func TestEncodeTableLikeRecords(t *testing.T) {
	cases := map[string][]models.Record{
		"80 records":  rpctest.SearchReadRecords(80),
		"one record":  rpctest.SearchReadRecords(1),
		"no records":  {},
		"odd values":  {{"id": int64(1), "big": int64(1) << 40, "f": 0.1, "nil": nil, "list": []any{int64(1), "a", []any{}}, "m2o": []any{int64(3), "x & y"}}},
		"escaped key": {{"id": int64(7), "a<b": "c&d", "é": false}},
	}
	// Depths around both encoders' limits (500 XML-RPC levels, 1000 JSON).
	depths := []int{0, 1, 2, 3, 496, 497, 498, 499, 500, 501, 996, 997, 998, 999, 1000, 1001}
	var xmlErrs, jsonErrs int
	for name, recs := range cases {
		for _, depth := range depths {
			tx, tj, txErr, tjErr := encodeBoth(nest(rpctest.TableOf(recs), depth))
			rx, rj, rxErr, rjErr := encodeBoth(nest(recs, depth))
			if !sameError(txErr, rxErr) || tx != rx {
				t.Fatalf("%s at depth %d, XML-RPC: table gives %v\n%s\nrecords give %v\n%s", name, depth, txErr, tx, rxErr, rx)
			}
			if !sameError(tjErr, rjErr) || tj != rj {
				t.Fatalf("%s at depth %d, JSON: table gives %v\n%s\nrecords give %v\n%s", name, depth, tjErr, tj, rjErr, rj)
			}
			if txErr != nil {
				xmlErrs++
			}
			if tjErr != nil {
				jsonErrs++
			}
		}
	}
	if xmlErrs == 0 || jsonErrs == 0 {
		t.Fatalf("no depth reached the limits (%d XML-RPC and %d JSON errors)", xmlErrs, jsonErrs)
	}
}

// TestTableRecords checks the conversion back to maps.
func TestTableRecords(t *testing.T) {
	recs := rpctest.SearchReadRecords(5)
	got := rpctest.TableOf(recs).Records()
	if len(got) != len(recs) {
		t.Fatalf("%d records, want %d", len(got), len(recs))
	}
	a, _, _, _ := encodeBoth(got)
	b, _, _, _ := encodeBoth(recs)
	if a != b {
		t.Fatalf("Records() differs:\n%s\nwant\n%s", a, b)
	}
}

// TestEncodeTableAllocs checks that writing a table into a reused buffer
// allocates nothing, on both protocols.
func TestEncodeTableAllocs(t *testing.T) {
	if rpctest.PoolDropsItems() {
		t.Skip("sync.Pool drops items (race detector): allocation counts are meaningless")
	}
	var v any = rpctest.TableOf(rpctest.SearchReadRecords(80))
	var buf bytes.Buffer
	for name, enc := range map[string]func(*bytes.Buffer, any) error{"XML-RPC": xmlrpc.EncodeResponse, "JSON": jsonrpc.Encode} {
		if err := enc(&buf, v); err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(100, func() {
			buf.Reset()
			if err := enc(&buf, v); err != nil {
				t.Fatal(err)
			}
		})
		if allocs >= 1 {
			t.Errorf("%s: encoding a table allocates %.1f times per call with a reused buffer", name, allocs)
		}
	}
}
