package jsonrpc_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/jsonrpc"
	"github.com/godoo/godoo/rpc/rpctest"
)

// checkJSONLikeReference encodes v with the JSON-RPC encoder and with the
// reference encoder it replaced, and fails unless both give the same bytes,
// or the same error with the buffer left as it was.
func checkJSONLikeReference(t *testing.T, v any) {
	t.Helper()
	var got, want bytes.Buffer
	got.WriteString("prefix|")
	gotErr := jsonrpc.Encode(&got, v)
	want.WriteString("prefix|")
	wantErr := refJSON(&want, v, 0)
	if wantErr != nil {
		var ge, we *models.Error
		if !errors.As(gotErr, &ge) || !errors.As(wantErr, &we) || ge.Name != we.Name || ge.Message != we.Message {
			t.Fatalf("value %#v: error %v, want %v", v, gotErr, wantErr)
		}
		if got.String() != "prefix|" {
			t.Fatalf("value %#v: buffer changed on error: %q", v, got.String())
		}
		return
	}
	if gotErr != nil {
		t.Fatalf("value %#v: error %v, want\n%s", v, gotErr, want.String())
	}
	if got.String() != want.String() {
		t.Fatalf("value %#v:\ngot  %s\nwant %s", v, got.String(), want.String())
	}
}

func TestEncodeJSONLikeReference(t *testing.T) {
	deepList := func(n int, leaf any) any {
		v := leaf
		for range n {
			v = []any{v}
		}
		return v
	}
	deepMap := func(n int, leaf any) any {
		v := leaf
		for range n {
			v = map[string]any{"k": v}
		}
		return v
	}
	i := 7
	var nilMap map[string]any
	cases := []any{
		nil, true, false, "", "plain", "q\"b\\s/\n\r\t\x00\x01\x1f\x7f", "é日本🎉", "bad\xffutf8\xc3", "line\u2028para\u2029",
		int64(0), int64(-1 << 63), 42, int8(-3), uint64(math.MaxUint64), 0.0, math.Copysign(0, -1), 0.1, 1.0, 1e21, 1e-7, 123456.5,
		float32(0.1), math.NaN(), math.Inf(1), []any{1.5, math.Inf(-1)},
		time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("X", 3600)),
		[]any{}, []any(nil), []int64{}, []int64{1, -2}, map[string]any{}, nilMap, models.Record{}, []models.Record{},
		map[string]any{"b": int64(1), "a": []any{int64(2), "x"}, "c": map[string]any{"z": nil}},
		[]map[string]any{{"id": int64(1), "name": "a"}, {"id": int64(2), "name": "b"}, {"id": int64(3)}, {}},
		map[int]string{2: "b", 1: "a"}, map[bool]int{true: 1}, []string{"a", "b"}, [2]int{1, 2}, []byte("bytes"),
		&i, (*int)(nil), json.RawMessage(`{"raw": true}`), struct{ A int }{1}, complex(1, 2), make(chan int),
		[]any{map[string]any{"f": func() {}}},
		deepList(999, "x"), deepList(1000, "x"), deepList(1001, "x"), deepList(1000, []any{}), deepList(1001, []any{}),
		deepMap(999, int64(1)), deepMap(1000, int64(1)), deepMap(1001, map[string]any{}),
		deepList(999, []models.Record{{"a": int64(1)}}), deepList(999, []map[string]any{{"a": int64(1)}}),
		deepList(999, []map[string]any{{}}), deepList(1000, []map[string]any{{}}), deepList(1000, []models.Record{{}}),
	}
	for _, v := range cases {
		checkJSONLikeReference(t, v)
	}
	var recs any = rpctest.SearchReadRecords(80)
	checkJSONLikeReference(t, recs)
}

func TestEncodeJSONRandomLikeReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		checkJSONLikeReference(t, rpctest.RandomValue(rng, 0))
	}
}

func FuzzEncodeJSON(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(99), uint64(0))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		checkJSONLikeReference(t, rpctest.RandomValue(rand.New(rand.NewPCG(a, b)), 0))
	})
}

// TestEncodeDictOrder checks that a models.Dict is written in its own key
// order, nested or not, where a map is written sorted.
func TestEncodeDictOrder(t *testing.T) {
	var nilDict *models.Dict
	inner := models.DictOf([]string{"z", "a"}, []any{int64(1), []any{int64(2), "x"}})
	cases := []struct {
		v    any
		want string
	}{
		{nilDict, `{}`},
		{models.NewDict(0), `{}`},
		{models.DictOf([]string{"id", "name", "email"}, []any{int64(7), "a\"b", false}), `{"id": 7, "name": "a\"b", "email": false}`},
		{[]any{inner, map[string]any{"b": inner, "a": 1.5}}, `[{"z": 1, "a": [2, "x"]}, {"a": 1.5, "b": {"z": 1, "a": [2, "x"]}}]`},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if err := jsonrpc.Encode(&buf, c.v); err != nil {
			t.Fatalf("%#v: %v", c.v, err)
		}
		if buf.String() != c.want {
			t.Errorf("got  %s\nwant %s", buf.String(), c.want)
		}
	}
	deep := models.DictOf([]string{"k"}, []any{int64(1)})
	for range 1000 {
		deep = models.DictOf([]string{"k"}, []any{deep})
	}
	if err := jsonrpc.Encode(&bytes.Buffer{}, deep); err == nil {
		t.Error("a Dict nested 1001 deep encoded without the recursion error")
	}
}
