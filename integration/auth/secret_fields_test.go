package auth_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/godoo/godoo/integration/internal/itest"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestSecretFields proves that no channel lets a client learn a secret
// column: a user's password hash, a header key's hash. Such fields are not
// stored for clients, as Odoo's computed password is not: a domain leaf on
// them is ignored (Odoo's answer for a field it cannot search), wherever it
// stands (directly, behind a dotted path, inside any / not any, in
// name_search's domain); ordering and grouping on them is Odoo's ValueError;
// reading them gives an empty string. Each check runs as a plain internal
// user over XML-RPC, JSON-RPC, a web session and JSON-2, on every store.
func TestSecretFields(t *testing.T) {
	itest.EachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		for _, ch := range secretChannels(t, e, "demo", "demo") {
			t.Run(ch.name, func(t *testing.T) { testSecretChannel(t, ch) })
		}
		admin := secretChannels(t, e, "admin", itest.AdminPassword)
		for _, ch := range admin {
			t.Run("header_key_hash/"+ch.name, func(t *testing.T) { testHeaderKeyHash(t, e, ch) })
		}
	})
}

// secretCall is one model method call, named arguments only, so that every
// protocol carries it: ids travel as the first positional argument of
// execute_kw and call_kw, and as "ids" in JSON-2's body.
type secretCall struct {
	model, method string
	ids           []int64
	kwargs        map[string]any
}

// secretChannel calls model methods as one user over one protocol.
type secretChannel struct {
	name string
	call func(t *testing.T, c secretCall) (any, *itest.Fault)
}

func secretChannels(t *testing.T, e *itest.Env, login, password string) []secretChannel {
	t.Helper()
	uid := itest.Login(t, itest.JSONCaller{Base: e.Srv.URL}, e.DB, login, password)
	positional := func(c secretCall) []any {
		if c.ids == nil {
			return []any{}
		}
		return []any{itest.ToAny(c.ids)}
	}
	kw := func(rc itest.Caller) func(t *testing.T, c secretCall) (any, *itest.Fault) {
		return func(t *testing.T, c secretCall) (any, *itest.Fault) {
			t.Helper()
			return rc.Call(t, "object", "execute_kw", e.DB, uid, password, c.model, c.method, positional(c), c.kwargs)
		}
	}
	key, f := itest.JSONCaller{Base: e.Srv.URL}.Call(t, "object", "execute_kw", e.DB, uid, password,
		"res.users.apikeys", "generate", []any{"rpc", "secret fields", time.Now().UTC().Add(24 * time.Hour).Format("2006-01-02 15:04:05")})
	if f != nil {
		t.Fatalf("generate a key for %s: %s", login, f.String)
	}
	web := newSecretWebClient(t, e, login, password)
	return []secretChannel{
		{"xmlrpc", kw(itest.XMLCaller{Base: e.Srv.URL})},
		{"jsonrpc", kw(itest.JSONCaller{Base: e.Srv.URL})},
		{"web", func(t *testing.T, c secretCall) (any, *itest.Fault) {
			t.Helper()
			return web.callKw(t, c.model, c.method, positional(c), c.kwargs)
		}},
		{"json2", func(t *testing.T, c secretCall) (any, *itest.Fault) {
			t.Helper()
			return json2Call(t, e, key.(string), c)
		}},
	}
}

// secretWebClient keeps a web session's cookie.
type secretWebClient struct {
	base string
	http *http.Client
}

func newSecretWebClient(t *testing.T, e *itest.Env, login, password string) *secretWebClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &secretWebClient{base: e.Srv.URL, http: &http.Client{Jar: jar}}
	if _, f := c.post(t, "/web/session/authenticate", map[string]any{"db": e.DB, "login": login, "password": password}); f != nil {
		t.Fatalf("web login %s: %s", login, f.String)
	}
	return c
}

func (c *secretWebClient) callKw(t *testing.T, model, method string, args []any, kwargs map[string]any) (any, *itest.Fault) {
	t.Helper()
	return c.post(t, "/web/dataset/call_kw/"+model+"/"+method,
		map[string]any{"model": model, "method": method, "args": args, "kwargs": kwargs})
}

func (c *secretWebClient) post(t *testing.T, path string, params map[string]any) (any, *itest.Fault) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.http.Post(c.base+path, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	m := itest.HTTPResult{Status: resp.StatusCode, Body: raw}.Object(t)
	if e, ok := m["error"].(map[string]any); ok {
		data, _ := e["data"].(map[string]any)
		name, _ := data["name"].(string)
		msg, _ := data["message"].(string)
		return nil, &itest.Fault{Code: 200, Name: name, Message: msg, String: msg}
	}
	return m["result"], nil
}

// json2Call posts c to /json/2 with a bearer key (itest.JSON2Call).
func json2Call(t *testing.T, e *itest.Env, key string, c secretCall) (any, *itest.Fault) {
	t.Helper()
	return itest.JSON2Call(t, e, key, c.model, c.method, c.ids, c.kwargs)
}

// secretDomains are domains that would tell a matching hash prefix from a
// wrong one if a write-only field reached SQL; %s is the prefix pattern.
var secretDomains = []struct {
	name, model, json string
}{
	{"direct", "res.users", `[["id", "=", 2], ["password", "=like", "%s"]]`},
	{"negated", "res.users", `[["id", "=", 2], "!", ["password", "=like", "%s"]]`},
	{"or", "res.users", `["&", ["id", "=", 2], "|", ["password", "=like", "%s"], ["id", "=", 0]]`},
	{"dotted", "res.partner", `[["user_ids.password", "=like", "%s"]]`},
	{"any", "res.partner", `[["user_ids", "any", [["password", "=like", "%s"]]]]`},
	{"not_any", "res.partner", `[["user_ids", "not any", [["password", "=like", "%s"]]]]`},
	{"nested_any", "res.partner", `[["user_ids", "any", [["partner_id.user_ids", "any", [["password", "=like", "%s"]]]]]]`},
	{"new_password", "res.users", `[["id", "=", 2], ["password", "in", ["%s"]]]`},
}

func secretDomain(t *testing.T, tmpl, prefix string) []any {
	t.Helper()
	var d []any
	if err := json.Unmarshal([]byte(fmt.Sprintf(tmpl, prefix)), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func testSecretChannel(t *testing.T, ch secretChannel) {
	// Every stored hash starts with "$": a channel that compiled the leaf
	// would answer differently for "$%" and "#%".
	for _, d := range secretDomains {
		t.Run("domain/"+d.name, func(t *testing.T) {
			for _, method := range []struct {
				name   string
				kwargs func(dom []any) map[string]any
			}{
				{"search", func(dom []any) map[string]any { return map[string]any{"domain": dom} }},
				{"search_count", func(dom []any) map[string]any { return map[string]any{"domain": dom} }},
				{"search_read", func(dom []any) map[string]any {
					return map[string]any{"domain": dom, "fields": []any{"id"}}
				}},
				{"read_group", func(dom []any) map[string]any {
					return map[string]any{"domain": dom, "fields": []any{"id:count"}, "groupby": []any{"active"}}
				}},
				{"name_search", func(dom []any) map[string]any {
					return map[string]any{"name": "", "domain": dom, "limit": 1000}
				}},
			} {
				// name_search's domain is 'args' in Odoo 18 and 'domain'
				// in 19; both name it.
				kwargs := func(prefix string) map[string]any {
					k := method.kwargs(secretDomain(t, d.json, prefix))
					if method.name == "name_search" {
						k["args"] = k["domain"]
						delete(k, "domain")
					}
					return k
				}
				hit, f := ch.call(t, secretCall{model: d.model, method: method.name, kwargs: kwargs("$%")})
				if f != nil {
					t.Fatalf("%s with a matching prefix: %s", method.name, f.String)
				}
				miss, f := ch.call(t, secretCall{model: d.model, method: method.name, kwargs: kwargs("#%")})
				if f != nil {
					t.Fatalf("%s with a wrong prefix: %s", method.name, f.String)
				}
				if method.name == "read_group" {
					// Each group echoes its domain, which names the prefix.
					for _, g := range append(hit.([]any), miss.([]any)...) {
						delete(g.(map[string]any), "__domain")
					}
				}
				if !reflect.DeepEqual(hit, miss) {
					t.Errorf("%s tells a hash prefix apart: %v for a matching one, %v for a wrong one", method.name, hit, miss)
				}
			}
		})
	}
	t.Run("order", func(t *testing.T) {
		for _, order := range []string{"password", "login, password desc"} {
			_, f := ch.call(t, secretCall{model: "res.users", method: "search",
				kwargs: map[string]any{"domain": []any{}, "order": order}})
			wantSecretRefusal(t, f, "Cannot convert res.users.password to SQL because it is not stored")
		}
	})
	t.Run("groupby", func(t *testing.T) {
		_, f := ch.call(t, secretCall{model: "res.users", method: "read_group",
			kwargs: map[string]any{"domain": []any{}, "fields": []any{"id:count"}, "groupby": []any{"password"}}})
		wantSecretRefusal(t, f, "Cannot convert res.users.password to SQL because it is not stored")
		_, f = ch.call(t, secretCall{model: "res.users", method: "read_group",
			kwargs: map[string]any{"domain": []any{}, "fields": []any{"password:max"}, "groupby": []any{"active"}}})
		wantSecretRefusal(t, f, "Cannot convert res.users.password to SQL because it is not stored")
		_, f = ch.call(t, secretCall{model: "res.users", method: "read_group",
			kwargs: map[string]any{"domain": []any{}, "fields": []any{"h:max(password)"}, "groupby": []any{"active"}}})
		wantSecretRefusal(t, f, "Cannot convert res.users.password to SQL because it is not stored")
	})
	t.Run("read", func(t *testing.T) {
		for _, c := range []secretCall{
			{model: "res.users", method: "read", ids: []int64{2}, kwargs: map[string]any{"fields": []any{"password", "login"}}},
			{model: "res.users", method: "search_read", kwargs: map[string]any{"domain": []any{[]any{"id", "=", int64(2)}}, "fields": []any{"password", "login"}}},
			{model: "res.users", method: "web_read", ids: []int64{2}, kwargs: map[string]any{"specification": map[string]any{"password": map[string]any{}, "login": map[string]any{}}}},
			{model: "res.users", method: "web_search_read", kwargs: map[string]any{"domain": []any{[]any{"id", "=", int64(2)}}, "specification": map[string]any{"password": map[string]any{}}}},
			{model: "res.partner", method: "web_read", ids: []int64{3}, kwargs: map[string]any{"specification": map[string]any{"user_ids": map[string]any{"fields": map[string]any{"password": map[string]any{}}}}}},
		} {
			v, f := ch.call(t, c)
			if f != nil {
				t.Fatalf("%s: %s", c.method, f.String)
			}
			if b, _ := json.Marshal(v); bytes.Contains(b, []byte("$pbkdf2")) || bytes.Contains(b, []byte(`"password":"$`)) {
				t.Errorf("%s answers a hash: %s", c.method, b)
			}
			if c.method == "read" {
				wantEmptyString(t, ch, "read password", v.([]any)[0].(map[string]any)["password"])
			}
		}
	})
	t.Run("fields_get", func(t *testing.T) {
		v, f := ch.call(t, secretCall{model: "res.users", method: "fields_get",
			kwargs: map[string]any{"allfields": []any{"password"}, "attributes": []any{"store", "searchable", "sortable"}}})
		if f != nil {
			t.Fatal(f.String)
		}
		itest.Equal(t, "password attributes", v.(map[string]any)["password"],
			map[string]any{"store": false, "searchable": false, "sortable": false})
	})
}

// testHeaderKeyHash checks auth.api.key's key_hash, which only
// administrators reach: they cannot read, search or sort on it either.
func testHeaderKeyHash(t *testing.T, e *itest.Env, ch secretChannel) {
	key := itest.UniqueName("secret-hash-key-")
	id := e.MustKw(t, itest.JSONCaller{Base: e.Srv.URL}, "auth.api.key", "create",
		[]any{map[string]any{"name": itest.UniqueName("secret"), "key": key, "user_id": int64(2)}}, nil).(int64)
	v, f := ch.call(t, secretCall{model: "auth.api.key", method: "read", ids: []int64{id}, kwargs: map[string]any{"fields": []any{"key", "key_hash"}}})
	if f != nil {
		t.Fatal(f.String)
	}
	row := v.([]any)[0].(map[string]any)
	wantEmptyString(t, ch, "key", row["key"])
	wantEmptyString(t, ch, "key_hash", row["key_hash"])
	count := func(prefix string) any {
		v, f := ch.call(t, secretCall{model: "auth.api.key", method: "search_count",
			kwargs: map[string]any{"domain": []any{[]any{"id", "=", id}, []any{"key_hash", "=like", prefix}}}})
		if f != nil {
			t.Fatal(f.String)
		}
		return v
	}
	if hit, miss := count("%"), count("#%"); !reflect.DeepEqual(hit, miss) {
		t.Errorf("a domain on key_hash tells hashes apart: %v and %v", hit, miss)
	}
	_, f = ch.call(t, secretCall{model: "auth.api.key", method: "search", kwargs: map[string]any{"domain": []any{}, "order": "key_hash"}})
	wantSecretRefusal(t, f, "Cannot convert auth.api.key.key_hash to SQL because it is not stored")
	// A hash a client gives is not stored: the key still works as its own.
	e.MustKw(t, itest.JSONCaller{Base: e.Srv.URL}, "auth.api.key", "write", []any{[]any{id}, map[string]any{"key_hash": strings.Repeat("0", 64)}}, nil)
	req, err := http.NewRequest(http.MethodGet, e.Srv.URL+"/auth/whoami/api_key", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("API-KEY", key)
	req.Header.Set("X-Odoo-Database", e.DB)
	r := itest.Do(t, req)
	if r.Status != http.StatusOK {
		t.Errorf("the key stopped working after a client wrote key_hash: HTTP %d %s", r.Status, r.Body)
	}
}

// wantEmptyString checks a value read as Odoo reads a write-only field;
// kolo/xmlrpc reads an empty <string> as nil.
func wantEmptyString(t *testing.T, ch secretChannel, what string, v any) {
	t.Helper()
	if v == "" || v == nil && ch.name == "xmlrpc" {
		return
	}
	t.Errorf("%s = %#v, want an empty string", what, v)
}

func wantSecretRefusal(t *testing.T, f *itest.Fault, message string) {
	t.Helper()
	if f == nil {
		t.Fatalf("want the refusal %q, got an answer", message)
	}
	if !strings.Contains(f.String, message) {
		t.Errorf("refusal %q, want %q", f.String, message)
	}
}
