package rpc_test

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc"
)

// tableOf makes the *models.Table of records that all have the same keys,
// as search_read's fast path does.
func tableOf(recs []models.Record) *models.Table {
	t := &models.Table{}
	if len(recs) == 0 {
		t.Names = []string{"id", "name"}
		return t
	}
	for k := range recs[0] {
		t.Names = append(t.Names, k)
	}
	slices.Sort(t.Names)
	for _, r := range recs {
		for _, k := range t.Names {
			t.Values = append(t.Values, r[k])
		}
	}
	return t
}

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
	xmlErr = rpc.EncodeResponse(&b, v)
	xmlOut = b.String()
	b.Reset()
	jsonErr = rpc.EncodeJSON(&b, v)
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
		"80 records":  searchReadRecords(80),
		"one record":  searchReadRecords(1),
		"no records":  {},
		"odd values":  {{"id": int64(1), "big": int64(1) << 40, "f": 0.1, "nil": nil, "list": []any{int64(1), "a", []any{}}, "m2o": []any{int64(3), "x & y"}}},
		"escaped key": {{"id": int64(7), "a<b": "c&d", "é": false}},
	}
	// Depths around both encoders' limits (500 XML-RPC levels, 1000 JSON).
	depths := []int{0, 1, 2, 3, 496, 497, 498, 499, 500, 501, 996, 997, 998, 999, 1000, 1001}
	var xmlErrs, jsonErrs int
	for name, recs := range cases {
		for _, depth := range depths {
			tx, tj, txErr, tjErr := encodeBoth(nest(tableOf(recs), depth))
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
	recs := searchReadRecords(5)
	got := tableOf(recs).Records()
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
	if poolDropsItems() {
		t.Skip("sync.Pool drops items (race detector): allocation counts are meaningless")
	}
	var v any = tableOf(searchReadRecords(80))
	var buf bytes.Buffer
	for name, enc := range map[string]func(*bytes.Buffer, any) error{"XML-RPC": rpc.EncodeResponse, "JSON": rpc.EncodeJSON} {
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

// TestTableTemplates checks that the XML-RPC table templates are shared
// per set of names, told apart by the names themselves, and bounded.
func TestTableTemplates(t *testing.T) {
	a, _ := rpc.TableTemplateOf([]string{"id", "name"})
	b, _ := rpc.TableTemplateOf([]string{"id", "name"})
	c, _ := rpc.TableTemplateOf([]string{"id", "nam", "e"})
	if a != b {
		t.Error("the same names got two templates")
	}
	if a == c {
		t.Error("other names got the same template")
	}
	peak := 0
	for i := range 5000 {
		_, n := rpc.TableTemplateOf([]string{"id", "field_" + strconv.Itoa(i), "name"})
		peak = max(peak, n)
	}
	if peak > rpc.MaxTableTemplateBytes {
		t.Fatalf("the template cache grew to %d bytes, past its bound of %d", peak, rpc.MaxTableTemplateBytes)
	}
	// Encoding stays right whatever the cache holds.
	recs := searchReadRecords(3)
	if got, want := encode(t, tableOf(recs)), encode(t, recs); got != want {
		t.Fatalf("after the cache was emptied:\n%s\nwant\n%s", got, want)
	}
}
