package rpc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/rpc/jsonrpc"
	"github.com/godoo/godoo/rpc/rpctest"
	"github.com/godoo/godoo/rpc/xmlrpc"
)

// streamBoth encodes v with the streaming encoders, flushing at flushAt,
// and returns what their sinks got followed by the rest, with how many
// pieces the sinks got.
func streamBoth(v any, flushAt int) (xmlOut, jsonOut string, xmlErr, jsonErr error, pieces int) {
	var out bytes.Buffer
	sink := func(p []byte) error { pieces++; out.Write(p); return nil }
	rest, xmlErr := xmlrpc.StreamResponse(nil, v, flushAt, sink)
	out.Write(rest)
	xmlOut = out.String()
	out.Reset()
	rest, jsonErr = jsonrpc.Stream(nil, v, flushAt, sink)
	out.Write(rest)
	return xmlOut, out.String(), xmlErr, jsonErr, pieces
}

// checkStreamLikeBuffered fails t when streaming v at flushAt does not
// give the buffered encoders' bytes, or their errors.
func checkStreamLikeBuffered(t *testing.T, name string, v any, flushAt int) int {
	t.Helper()
	bx, bj, bxErr, bjErr := encodeBoth(v)
	sx, sj, sxErr, sjErr, pieces := streamBoth(v, flushAt)
	if !sameError(bxErr, sxErr) || bxErr == nil && sx != bx {
		t.Fatalf("%s, flush at %d, XML-RPC: streamed %v\n%s\nbuffered %v\n%s", name, flushAt, sxErr, sx, bxErr, bx)
	}
	if !sameError(bjErr, sjErr) || bjErr == nil && sj != bj {
		t.Fatalf("%s, flush at %d, JSON: streamed %v\n%s\nbuffered %v\n%s", name, flushAt, sjErr, sj, bjErr, bj)
	}
	return pieces
}

// TestStreamLikeBuffered checks that the streaming encoders write the
// bytes of the buffered ones, and the same errors, for tables of every
// kind of value, alone and nested, whatever the size of the pieces; and
// that a large table does go out in pieces.
func TestStreamLikeBuffered(t *testing.T) {
	cases := map[string]any{
		"80 records":       rpctest.TableOf(rpctest.SearchReadRecords(80)),
		"2000 records":     rpctest.TableOf(rpctest.SearchReadRecords(2000)),
		"no records":       rpctest.TableOf(nil),
		"odd values":       rpctest.TableOf([]models.Record{{"id": int64(1), "f": 0.1, "list": []any{int64(1), "a", []any{}}, "m2o": []any{int64(3), "x & y"}}}),
		"XML overflow":     rpctest.TableOf([]models.Record{{"id": int64(1)}, {"id": int64(1) << 40}}),
		"None in a row":    rpctest.TableOf([]models.Record{{"id": int64(1), "v": "a"}, {"id": int64(2), "v": nil}}),
		"tables in a list": []any{rpctest.TableOf(rpctest.SearchReadRecords(30)), "between", rpctest.TableOf(rpctest.SearchReadRecords(3))},
		"not a table":      map[string]any{"a": []any{int64(1), "b"}},
		// Strings longer than a piece go out in pieces cut where a UTF-8
		// sequence starts: multi-byte characters, invalid and stray
		// bytes, escapes and control characters across every cut.
		"long strings": rpctest.TableOf([]models.Record{{"id": int64(1), "s": strings.Repeat("aé€😀<&>\"\\\x01\n", 300)},
			{"id": int64(2), "s": strings.Repeat("x\xe2\x82\xff\x80\x80\x80\x80\u2028", 500)}}),
		// Long strings outside a table, in a list and in a map: the
		// encoders mostly write these whole (a list's strings, an XML
		// map's members), so this checks only that they give the
		// buffered bytes, not how they are cut.
		"long strings elsewhere": []any{strings.Repeat("ü&", 3000), map[string]any{"k": strings.Repeat("\xf0\x9f\x98", 700)}},
	}
	for name, v := range cases {
		for _, flushAt := range []int{0, 1, 100, 4096, 64 << 10, 1 << 30} {
			checkStreamLikeBuffered(t, name, v, flushAt)
		}
	}
	for seed := range uint64(300) {
		checkStreamLikeBuffered(t, fmt.Sprintf("random table %d", seed), randomTable(seed, 1+int(seed%11), int(seed%50)), int(seed%700))
	}
	for _, flushAt := range []int{2, 3, 5, 6, 7, 13, 255} {
		checkStreamLikeBuffered(t, "long strings", cases["long strings"], flushAt)
		checkStreamLikeBuffered(t, "long strings elsewhere", cases["long strings elsewhere"], flushAt)
	}
	if pieces := checkStreamLikeBuffered(t, "long strings", cases["long strings"], 1000); pieces < 8 {
		t.Errorf("two strings of about 6 kB went out in %d pieces of 1 kB on both protocols, want more", pieces)
	}
	if pieces := checkStreamLikeBuffered(t, "2000 records", cases["2000 records"], 64<<10); pieces < 4 {
		t.Errorf("2000 records went out in %d pieces of 64 kB on both protocols, want more", pieces)
	}
}

// FuzzStreamLikeBuffered builds tables of random values (every shape the
// codecs meet, some they refuse) from the fuzzer's seed, and checks the
// streamed encoding against the buffered one at the fuzzer's piece size.
func FuzzStreamLikeBuffered(f *testing.F) {
	f.Add(uint64(1), uint8(3), uint8(5), uint16(0))
	f.Add(uint64(42), uint8(1), uint8(40), uint16(7))
	f.Add(uint64(7), uint8(9), uint8(0), uint16(300))
	f.Fuzz(func(t *testing.T, seed uint64, cols, rows uint8, flushAt uint16) {
		checkStreamLikeBuffered(t, fmt.Sprintf("seed %d", seed), randomTable(seed, int(cols%12)+1, int(rows)), int(flushAt))
	})
}

// randomTable is a table of cols names and rows records of random values
// (rpctest.RandomValue), from seed.
func randomTable(seed uint64, cols, rows int) *models.Table {
	rng := rand.New(rand.NewPCG(seed, 0))
	tab := &models.Table{}
	for j := range cols {
		tab.Names = append(tab.Names, fmt.Sprintf("f%d", j))
	}
	for range rows * cols {
		tab.Values = append(tab.Values, rpctest.RandomValue(rng, 1))
	}
	return tab
}

// TestStreamedAnswers serves search_read answers of 200 records streamed
// and whole, over XML-RPC, JSON-RPC and JSON-2 on a real SQLite database,
// and checks that the bodies and their Content-Length are the same, and
// that the streamed answer went out in pieces, streamed for its number
// of values or for a long string in a small table.
func TestStreamedAnswers(t *testing.T) {
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	s := newBenchServer(t, store)
	h := s.handler(rpc.Options{})
	// JSON-2 takes its key as a bearer token and its database from a
	// header.
	bearer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/json/2/") {
			r.Header.Set("Authorization", "Bearer "+s.key)
			r.Header.Set("X-Odoo-Database", s.db)
		}
		h.ServeHTTP(w, r)
	})
	fields := []any{"name", "email", "phone", "street", "city", "zip", "website", "is_company"}
	domain := []any{[]any{[]any{"is_company", "=", true}}}
	kwargs := map[string]any{"fields": fields, "order": "name"}
	json2, err := json.Marshal(map[string]any{"domain": domain[0], "fields": fields, "order": "name"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []benchCase{
		{"xmlrpc", "/xmlrpc/2/object", "text/xml", s.xmlCall(t, "res.partner", "search_read", domain, kwargs)},
		{"jsonrpc", "/jsonrpc", "application/json", s.jsonCall(t, "res.partner", "search_read", domain, kwargs)},
		{"json2", "/json/2/res.partner/search_read", "application/json", json2},
	} {
		whole := s.serve(t, bearer, c.path, c.contentType, c.body)
		// The answer, of fewer values than a streamed one by default,
		// is streamed for their number, or for a string as long as the
		// streets ("Rue de la Loi ...") with streamMinValues kept: the
		// branch of a small Table holding an attachment's datas.
		for mode, set := range map[string]func() func(){
			"many values": func() func() { return rpc.SetStreamMinValues(1) },
			"long string": func() func() { return rpc.SetStreamMinString(len("Rue de la Loi")) },
		} {
			checkStreamedAnswer(t, c.name+", "+mode, set, bearer, c, whole)
		}
	}
}

// checkStreamedAnswer serves c with set's streaming thresholds and
// compares the answer, which must go out in pieces, with whole, the one
// answered at once.
func checkStreamedAnswer(t *testing.T, name string, set func() func(), h http.Handler, c benchCase, whole *httptest.ResponseRecorder) {
	t.Helper()
	restoreMin := set()
	restoreChunk := rpc.SetStreamChunk(4096)
	streamed := &countingRecorder{ResponseRecorder: httptest.NewRecorder()}
	req := httptest.NewRequest(http.MethodPost, c.path, bytes.NewReader(c.body))
	req.Header.Set("Content-Type", c.contentType)
	h.ServeHTTP(streamed, req)
	restoreChunk()
	restoreMin()
	if !bytes.Equal(streamed.Body.Bytes(), whole.Body.Bytes()) {
		t.Errorf("%s: the streamed answer differs:\n%.300s\nwhole:\n%.300s", name, streamed.Body, whole.Body)
	}
	if n := bytes.Count(whole.Body.Bytes(), []byte("Rue de la Loi")); n != 200 {
		t.Errorf("%s: %d records, want 200", name, n)
	}
	if min := whole.Body.Len() / 8192; streamed.writes < min {
		t.Errorf("%s: the answer of %d bytes went out in %d writes, want pieces of about 4096 bytes (at least %d)", name, whole.Body.Len(), streamed.writes, min)
	}
	for _, hd := range []string{"Content-Length", "Content-Type", "X-Content-Type-Options"} {
		if a, b := streamed.Header().Get(hd), whole.Header().Get(hd); a != b || (a == "" && hd != "X-Content-Type-Options") {
			t.Errorf("%s: %s streamed %q, whole %q", name, hd, a, b)
		}
	}
}

// countingRecorder counts the writes of an answer.
type countingRecorder struct {
	*httptest.ResponseRecorder
	writes int
}

func (c *countingRecorder) Write(p []byte) (int, error) {
	c.writes++
	return c.ResponseRecorder.Write(p)
}

// TestAfterLargeAnswer checks that an answer of LargeBytes or more, from a
// small request, is followed by one call of AfterLarge, and that a small
// answer is not.
func TestAfterLargeAnswer(t *testing.T) {
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	s := newBenchServer(t, store)
	calls := make(chan struct{}, 8)
	h := s.handler(rpc.Options{LargeBytes: 100_000, AfterLarge: func() { calls <- struct{}{} }})
	fields := []any{"name", "email", "phone", "street", "city", "zip", "website", "is_company"}
	small := s.xmlCall(t, "res.partner", "search", []any{[]any{}}, map[string]any{"limit": 10})
	large := s.xmlCall(t, "res.partner", "search_read", []any{[]any{}}, map[string]any{"fields": fields})
	s.serve(t, h, "/xmlrpc/2/object", "text/xml", small)
	if w := s.serve(t, h, "/xmlrpc/2/object", "text/xml", large); w.Body.Len() < 100_000 {
		t.Fatalf("the large answer has %d bytes", w.Body.Len())
	}
	select {
	case <-calls:
	case <-time.After(10 * time.Second):
		t.Fatal("AfterLarge was not called after a large answer")
	}
	s.serve(t, h, "/xmlrpc/2/object", "text/xml", small)
	s.serve(t, h, "/xmlrpc/2/object", "text/xml", large)
	<-calls
	if n := len(calls); n != 0 {
		t.Errorf("%d more calls of AfterLarge, after small answers", n)
	}
}
