package integration_test

import (
	"net/http"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// The errors Odoo's clients get for a negative offset or limit: PostgreSQL
// refuses them when the query runs (OFFSET first), and psycopg2 names them.
const (
	offsetError, offsetMessage = "psycopg2.errors.InvalidRowCountInResultOffsetClause", "OFFSET must not be negative"
	limitError, limitMessage   = "psycopg2.errors.InvalidRowCountInLimitClause", "LIMIT must not be negative"
)

// TestNegativePaging: a negative offset or limit is an error on both
// stores, over XML-RPC, JSON-RPC and JSON-2, for every method that pages,
// never read as "none" (SQLite's reading of them); zero still means none.
func TestNegativePaging(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		all := []any{[]any{"id", ">", 0}}
		spec := map[string]any{"name": map[string]any{}}
		cases := []struct {
			name, method string
			args         []any
			kwargs       map[string]any
			exc, msg     string
		}{
			{"search limit", "search", []any{all}, map[string]any{"limit": -1}, limitError, limitMessage},
			{"search offset", "search", []any{all}, map[string]any{"offset": -1}, offsetError, offsetMessage},
			{"search both", "search", []any{all}, map[string]any{"offset": -3, "limit": -2}, offsetError, offsetMessage},
			{"search positional", "search", []any{all, int64(0), int64(-1)}, nil, limitError, limitMessage},
			{"search_read limit", "search_read", []any{all}, map[string]any{"fields": []any{"name"}, "limit": -5}, limitError, limitMessage},
			{"search_read offset", "search_read", []any{all, []any{"name"}, int64(-1)}, nil, offsetError, offsetMessage},
			{"search_count limit", "search_count", []any{all}, map[string]any{"limit": -1}, limitError, limitMessage},
			{"read_group limit", "read_group", []any{all, []any{"id:count"}, []any{"is_company"}}, map[string]any{"limit": -1}, limitError, limitMessage},
			{"read_group offset", "read_group", []any{all, []any{"id:count"}, []any{"is_company"}}, map[string]any{"offset": -1}, offsetError, offsetMessage},
			{"web_search_read limit", "web_search_read", []any{all, spec}, map[string]any{"limit": -1}, limitError, limitMessage},
			{"web_search_read offset", "web_search_read", []any{all, spec}, map[string]any{"offset": -1, "limit": 10}, offsetError, offsetMessage},
			{"name_search limit", "name_search", []any{""}, map[string]any{"limit": -1}, limitError, limitMessage},
		}
		e.eachProtocol(t, func(t *testing.T, c caller) {
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					_, f := e.kw(t, c, "res.partner", tc.method, tc.args, tc.kwargs)
					wantExact(t, c, f, 1, tc.exc, tc.msg)
				})
			}
			// Zero is no limit and no offset.
			n := e.mustKw(t, c, "res.partner", "search_count", []any{all}, nil).(int64)
			ids := e.mustKw(t, c, "res.partner", "search", []any{all}, map[string]any{"offset": 0, "limit": 0}).([]any)
			if int64(len(ids)) != n {
				t.Errorf("offset 0, limit 0: %d ids of %d", len(ids), n)
			}
			// A negative count_limit counts as reached, as Python's truth
			// test reads it: the page is answered without a count.
			page := e.mustKw(t, c, "res.partner", "web_search_read", []any{all, spec}, map[string]any{"limit": 1, "count_limit": -1}).(map[string]any)
			equal(t, "length with count_limit -1", page["length"], int64(1))
		})
		t.Run("json2", func(t *testing.T) {
			key := e.mustKw(t, jsonCaller{e.srv.URL}, "res.users.apikeys", "generate", []any{"rpc", "paging", false}, nil).(string)
			for _, tc := range []struct{ path, body, exc, msg string }{
				{"/json/2/res.partner/search", `{"domain": [], "limit": -1}`, limitError, limitMessage},
				{"/json/2/res.partner/search_read", `{"domain": [], "fields": ["name"], "offset": -1}`, offsetError, offsetMessage},
				{"/json/2/res.partner/search_count", `{"domain": [], "limit": -1}`, limitError, limitMessage},
			} {
				r := post(t, e.srv.URL+tc.path, "application/json", []byte(tc.body), "Authorization", "bearer "+key, "X-Odoo-Database", e.db)
				m := r.object(t)
				if r.status != http.StatusInternalServerError || m["name"] != tc.exc || m["message"] != tc.msg {
					t.Errorf("%s %s: HTTP %d %s, want 500 %s: %s", tc.path, tc.body, r.status, r.body, tc.exc, tc.msg)
				}
			}
		})
	})
}
