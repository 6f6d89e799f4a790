package integration_test

import (
	"encoding/base64"
	"strings"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestLargeValues writes and reads values of a few megabytes, which travel
// to the database as bound parameters rather than in the statement's text:
// a long text and an image on create, write and read, and a domain that
// compares with a long string, on every store and both protocols.
func TestLargeValues(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			// Quotes, question marks and dollar signs must reach the
			// database as they are, not as SQL or placeholders.
			text := "<p>" + strings.Repeat("it's a ? and $1 \\ line\n", 120_000) + "</p>"
			raw := make([]byte, 3<<20)
			for i := range raw {
				raw[i] = byte(i * 7)
			}
			image := base64.StdEncoding.EncodeToString(raw)
			id := e.mustKw(t, c, "res.partner", "create", []any{map[string]any{
				"name": "Large values", "comment": text, "image_1920": image}}, nil).(int64)
			read := func() map[string]any {
				t.Helper()
				v := e.mustKw(t, c, "res.partner", "read", []any{[]any{id}, []any{"comment", "image_1920"}}, nil)
				return v.([]any)[0].(map[string]any)
			}
			got := read()
			if got["comment"] != text {
				t.Errorf("comment read back differs (%d bytes, want %d)", len(asString(got["comment"])), len(text))
			}
			if asString(got["image_1920"]) != image {
				t.Errorf("image read back differs (%d bytes, want %d)", len(asString(got["image_1920"])), len(image))
			}
			text2 := strings.Replace(text, "line", "LINE", 1)
			e.mustKw(t, c, "res.partner", "write", []any{[]any{id}, map[string]any{"comment": text2}}, nil)
			if got := read(); got["comment"] != text2 {
				t.Errorf("comment after write differs")
			}
			n := e.mustKw(t, c, "res.partner", "search_count", []any{[]any{
				[]any{"id", "=", id}, []any{"comment", "=", text2}}}, nil)
			equal(t, "records matching the long comment", n, int64(1))
		})
	})
}

func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}
