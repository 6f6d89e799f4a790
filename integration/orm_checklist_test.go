package integration_test

import (
	"strings"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestORMChecklist runs the lines of the checklist of spec/orm.md §10 that
// the other scenario tests leave out, over both protocols on every store.
func TestORMChecklist(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			t.Run("search count is a TypeError", func(t *testing.T) { testSearchCount(t, e, c) })
		})
	})
}

// wantPythonError checks a fault 1 whose exception is exc with exactly msg:
// the last line of the XML-RPC traceback, or data.name and data.message of
// the JSON-RPC error.
func wantPythonError(t *testing.T, c caller, f *faultInfo, exc, msg string) {
	t.Helper()
	wantFault(t, c, f, 1, msg)
	if f == nil {
		return
	}
	if c.protocol() == "xmlrpc" {
		lines := strings.Split(strings.TrimRight(f.String, "\n"), "\n")
		if last := lines[len(lines)-1]; last != exc+": "+msg {
			t.Errorf("traceback ends with %q, want %q", last, exc+": "+msg)
		}
		return
	}
	if f.Name != "builtins."+exc || f.Message != msg {
		t.Errorf("error %s %q, want builtins.%s %q", f.Name, f.Message, exc, msg)
	}
}

// 17+: search(..., count=True) is a TypeError; search_count is the way.
func testSearchCount(t *testing.T, e *env, c caller) {
	_, f := e.kw(t, c, "res.partner", "search", []any{[]any{}}, map[string]any{"count": true})
	wantPythonError(t, c, f, "TypeError", "BaseModel.search() got an unexpected keyword argument 'count'")
	// A 16-style client passing count as the fifth positional argument.
	_, f = e.kw(t, c, "res.partner", "search", []any{[]any{}, int64(0), int64(0), false, true}, nil)
	wantPythonError(t, c, f, "TypeError", "BaseModel.search() takes from 2 to 5 positional arguments but 6 were given")
	n := e.mustKw(t, c, "res.partner", "search_count", []any{[]any{}}, nil)
	if v, ok := n.(int64); !ok || v == 0 {
		t.Errorf("search_count = %#v", n)
	}
}
