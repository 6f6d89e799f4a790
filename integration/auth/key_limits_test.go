package auth_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// keyOutcome is what a call made with a key came to.
type keyOutcome string

const (
	outcomeOK     keyOutcome = "ok"
	outcomeAccess keyOutcome = "access_error" // refused by a restriction or the user's rights
	outcomeDenied keyOutcome = "denied"       // the key itself was refused
)

// keyChannel is one way a key reaches a model method: a protocol and the
// kind of key it takes.
type keyChannel struct {
	name   string
	header bool // takes an auth.api.key (else a res.users.apikeys key)
	call   func(t *testing.T, key string, uid int64, model, method string, args []any) (keyOutcome, string)
}

// keyChannels are every protocol a key can call a model method on:
// execute_kw over XML-RPC and JSON-RPC with a native key in the password,
// JSON-2 with a bearer key and with an API-KEY header key, and a route
// added with Handler.Route (API-KEY) that acts as the key's user.
func keyChannels(t *testing.T, e *itest.Env) []keyChannel {
	path := "/test/" + itest.UniqueName("keycall_")
	set := e.Set
	e.H.RouteFunc("POST "+path, godoorpc.AuthAPIKey, func(w http.ResponseWriter, req *http.Request) {
		id, _ := godoorpc.IdentityFrom(req.Context())
		var in struct {
			Model, Method string
			Args          []any
		}
		if err := json.NewDecoder(req.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_, err := set.Object.Execute(req.Context(), id, in.Model, in.Method, in.Args, nil)
		if models.KindOf(err) == models.KindAccess {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"access_error": %q}`, err.Error())
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, `{"ok": true}`)
	})
	rpc := func(c itest.Caller) func(t *testing.T, key string, uid int64, model, method string, args []any) (keyOutcome, string) {
		return func(t *testing.T, key string, uid int64, model, method string, args []any) (keyOutcome, string) {
			_, f := c.Call(t, "object", "execute_kw", e.DB, uid, key, model, method, args)
			switch {
			case f == nil:
				return outcomeOK, ""
			case f.Code == 4 || strings.HasSuffix(f.Name, ".AccessError"):
				return outcomeAccess, f.String
			case f.Code == 3 || strings.HasSuffix(f.Name, ".AccessDenied"):
				return outcomeDenied, f.String
			}
			t.Fatalf("%s.%s: unexpected fault %d %s: %s", model, method, f.Code, f.Name, f.String)
			return "", ""
		}
	}
	json2 := func(header string) func(t *testing.T, key string, uid int64, model, method string, args []any) (keyOutcome, string) {
		return func(t *testing.T, key string, uid int64, model, method string, args []any) (keyOutcome, string) {
			kw := map[string]any{}
			switch method {
			case "search_count":
				kw["domain"] = args[0]
			case "create":
				kw["vals_list"] = args[0]
			case "context_get":
			default:
				t.Fatalf("no JSON-2 form for %s", method)
			}
			body, _ := json.Marshal(kw)
			value := key
			if header == "Authorization" {
				value = "bearer " + key
			}
			r := itest.Post(t, e.Srv.URL+"/json/2/"+model+"/"+method, "application/json", body, header, value, "X-Odoo-Database", e.DB)
			if r.Status == http.StatusOK {
				return outcomeOK, ""
			}
			m := r.Object(t)
			name, _ := m["name"].(string)
			msg, _ := m["message"].(string)
			if strings.HasSuffix(name, ".AccessError") {
				return outcomeAccess, msg
			}
			if r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden {
				return outcomeDenied, msg
			}
			t.Fatalf("JSON-2 %s.%s: status %d: %s", model, method, r.Status, r.Body)
			return "", ""
		}
	}
	route := func(t *testing.T, key string, _ int64, model, method string, args []any) (keyOutcome, string) {
		body, _ := json.Marshal(map[string]any{"model": model, "method": method, "args": args})
		r := itest.Post(t, e.Srv.URL+path, "application/json", body, "API-KEY", key, "X-Odoo-Database", e.DB)
		switch {
		case r.Status == http.StatusOK:
			return outcomeOK, ""
		case r.Status == http.StatusForbidden && bytes.Contains(r.Body, []byte(`"access_error"`)):
			return outcomeAccess, string(r.Body)
		case r.Status == http.StatusForbidden:
			return outcomeDenied, string(r.Body)
		}
		t.Fatalf("route %s.%s: status %d: %s", model, method, r.Status, r.Body)
		return "", ""
	}
	return []keyChannel{
		{name: "xmlrpc", call: rpc(itest.XMLCaller{Base: e.Srv.URL})},
		{name: "jsonrpc", call: rpc(itest.JSONCaller{Base: e.Srv.URL})},
		{name: "json2_bearer", call: json2("Authorization")},
		{name: "json2_api_key", header: true, call: json2("API-KEY")},
		{name: "route_api_key", header: true, call: route},
	}
}

// keyCall is one call of a restriction case and what it must come to.
type keyCall struct {
	model, method string
	args          []any
	want          keyOutcome
	// names is a fragment of the refusal's text.
	names string
}

// TestKeyRestrictions checks every restriction of a key, native and header
// alike, on every protocol and both stores: the allowlist, read-only keys,
// source networks (with proxy_mode's forwarded address too), header key
// expiry, and that the user's own rights still apply. A refused write
// leaves nothing written.
func TestKeyRestrictions(t *testing.T) {
	itest.EachStore(t, services.Config{RefusalDelay: -1}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		admin := itest.JSONCaller{Base: e.Srv.URL}
		login := itest.UniqueName("limited_")
		uid := e.MustKw(t, admin, "res.users", "create", []any{map[string]any{"name": login, "login": login, "password": "x-Secret-1"}}, nil).(int64)
		partner := []any{map[string]any{"name": "made with a key"}}
		countMade := func() int64 { return e.Count(t, "res.partner", []any{[]any{"name", "=", "made with a key"}}) }
		cases := []struct {
			name  string
			vals  map[string]any
			calls []keyCall
		}{
			{"allowlist", map[string]any{"allowed_methods": "res.partner:search_count,create\n*:context_get"}, []keyCall{
				{"res.partner", "search_count", []any{[]any{}}, outcomeOK, ""},
				{"res.users", "context_get", []any{}, outcomeOK, ""},
				{"res.users", "search_count", []any{[]any{}}, outcomeAccess, "may not call method 'search_count' on model 'res.users'"},
				{"res.partner.category", "search_count", []any{[]any{}}, outcomeAccess, "model 'res.partner.category'"},
			}},
			{"read-only", map[string]any{"read_only": true}, []keyCall{
				{"res.partner", "search_count", []any{[]any{}}, outcomeOK, ""},
				{"res.users", "context_get", []any{}, outcomeOK, ""},
				{"res.partner", "create", partner, outcomeAccess, "read-only: it may not call method 'create' on model 'res.partner'"},
			}},
			{"the user's rights still apply", map[string]any{"allowed_methods": "*:*"}, []keyCall{
				{"res.partner", "search_count", []any{[]any{}}, outcomeOK, ""},
				{"auth.api.key", "search_count", []any{[]any{}}, outcomeAccess, "You are not allowed to access"},
			}},
			{"inside its networks", map[string]any{"allowed_networks": "127.0.0.0/8, ::1"}, []keyCall{
				{"res.partner", "search_count", []any{[]any{}}, outcomeOK, ""},
			}},
			{"outside its networks", map[string]any{"allowed_networks": "203.0.113.0/24"}, []keyCall{
				{"res.partner", "search_count", []any{[]any{}}, outcomeDenied, ""},
			}},
			{"expired", map[string]any{"expiration_date": "2001-01-01 00:00:00"}, []keyCall{
				{"res.partner", "search_count", []any{[]any{}}, outcomeDenied, ""},
			}},
		}
		for _, ch := range keyChannels(t, e) {
			t.Run(ch.name, func(t *testing.T) {
				for _, c := range cases {
					t.Run(c.name, func(t *testing.T) {
						name := itest.UniqueName("key_")
						var key string
						if ch.header {
							key = itest.UniqueName("header-key-secret-")
							vals := map[string]any{"name": name, "key": key, "user_id": uid}
							for k, v := range c.vals {
								vals[k] = v
							}
							e.MustKw(t, admin, "auth.api.key", "create", []any{vals}, nil)
						} else {
							// A native key cannot be made expired: it is made to
							// expire tomorrow, then set back by hand.
							expiry := any(false)
							if _, ok := c.vals["expiration_date"]; ok {
								expiry = time.Now().UTC().Add(24 * time.Hour).Format(models.DatetimeLayout)
							}
							key = e.MustKw(t, admin, "res.users.apikeys", "generate", []any{"rpc", name, expiry}, map[string]any{"user_id": uid}).(string)
							ids := e.MustKw(t, admin, "res.users.apikeys", "search", []any{[]any{[]any{"name", "=", name}}}, nil).([]any)
							vals := map[string]any{}
							for k, v := range c.vals {
								if k != "expiration_date" {
									vals[k] = v
								}
							}
							if len(vals) > 0 {
								e.MustKw(t, admin, "res.users.apikeys", "write", []any{ids, vals}, nil)
							}
							if exp, ok := c.vals["expiration_date"]; ok {
								pool, err := e.Store.Open(t.Context(), e.DB)
								if err != nil {
									t.Fatal(err)
								}
								itest.HandSQL(t, e.Store, pool, e.DB, "UPDATE res_users_apikeys SET expiration_date = ? WHERE name = ?", exp, name)
							}
						}
						before := countMade()
						for _, k := range c.calls {
							got, msg := ch.call(t, key, uid, k.model, k.method, k.args)
							if got != k.want {
								t.Errorf("%s.%s = %s (%s), want %s", k.model, k.method, got, msg, k.want)
							}
							if k.names != "" && !strings.Contains(msg, k.names) {
								t.Errorf("%s.%s refusal %q does not contain %q", k.model, k.method, msg, k.names)
							}
							if strings.Contains(msg, key) {
								t.Errorf("the refusal echoes the key: %s", msg)
							}
						}
						if after := countMade(); after != before {
							t.Errorf("a refused call wrote: %d partners made with a key, %d before", after, before)
						}
					})
				}
			})
		}
	})
}

// TestKeyRestrictionsProxy checks that with proxy_mode a key's networks
// are matched against the forwarded address, not the proxy's.
func TestKeyRestrictionsProxy(t *testing.T) {
	itest.EachStore(t, services.Config{RefusalDelay: -1}, godoorpc.Options{ProxyMode: true}, func(t *testing.T, e *itest.Env) {
		admin := itest.JSONCaller{Base: e.Srv.URL}
		key := e.MustKw(t, admin, "res.users.apikeys", "generate", []any{"rpc", "proxied", false}, nil).(string)
		ids := e.MustKw(t, admin, "res.users.apikeys", "search", []any{[]any{[]any{"name", "=", "proxied"}}}, nil).([]any)
		e.MustKw(t, admin, "res.users.apikeys", "write", []any{ids, map[string]any{"allowed_networks": "198.51.100.0/24"}}, nil)
		for _, c := range []struct {
			forwarded string
			status    int
		}{{"198.51.100.20", http.StatusOK}, {"203.0.113.5", http.StatusUnauthorized}, {"", http.StatusUnauthorized}} {
			headers := []string{"Authorization", "bearer " + key, "X-Odoo-Database", e.DB}
			if c.forwarded != "" {
				headers = append(headers, "X-Forwarded-For", c.forwarded)
			}
			r := itest.Post(t, e.Srv.URL+"/json/2/res.partner/search_count", "application/json", []byte(`{"domain": []}`), headers...)
			if r.Status != c.status {
				t.Errorf("forwarded for %q: status %d, want %d: %s", c.forwarded, r.Status, c.status, r.Body)
			}
			// common.login with the key in the password slot: the uid, or
			// False from outside the key's networks.
			body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1, "params": map[string]any{
				"service": "common", "method": "login", "args": []any{e.DB, "admin", key}}})
			r = itest.Post(t, e.Srv.URL+"/jsonrpc", "application/json", body, headers[2:]...)
			login := r.Object(t)
			if ok := login["result"] == int64(2); ok != (c.status == http.StatusOK) {
				t.Errorf("forwarded for %q: login answered %s", c.forwarded, r.Body)
			}
		}
	})
}

// TestKeyRestrictionsAdmin checks who may set restrictions and make keys
// for others: system administrators only; a user can neither lift the
// restrictions of their own key nor make a key for someone else, and
// restrictions that do not compile are refused when written.
func TestKeyRestrictionsAdmin(t *testing.T) {
	itest.EachStore(t, services.Config{RefusalDelay: -1}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		admin := itest.JSONCaller{Base: e.Srv.URL}
		login := itest.UniqueName("user_")
		password := "u-Secret-1"
		uid := e.MustKw(t, admin, "res.users", "create", []any{map[string]any{"name": login, "login": login, "password": password}}, nil).(int64)
		key := e.MustKw(t, admin, "res.users.apikeys", "generate", []any{"rpc", "for user", false}, map[string]any{"user_id": uid}).(string)
		ids := e.MustKw(t, admin, "res.users.apikeys", "search", []any{[]any{[]any{"name", "=", "for user"}}}, nil).([]any)
		e.MustKw(t, admin, "res.users.apikeys", "write", []any{ids, map[string]any{"read_only": true}}, nil)
		rec := e.MustKw(t, admin, "res.users.apikeys", "read", []any{ids, []any{"user_id", "read_only", "expiration_date"}}, nil).([]any)[0].(map[string]any)
		if owner, _ := rec["user_id"].([]any); len(owner) == 0 || owner[0] != uid || rec["read_only"] != true || rec["expiration_date"] != false {
			t.Errorf("key made for the user = %v", rec)
		}
		e.EachProtocol(t, func(t *testing.T, c itest.Caller) {
			as := func(secret, model, method string, args []any, kwargs map[string]any) (any, *itest.Fault) {
				return c.Call(t, "object", "execute_kw", e.DB, uid, secret, model, method, args, kwargs)
			}
			_, f := as(password, "res.users.apikeys", "write", []any{ids, map[string]any{"read_only": false}}, nil)
			itest.WantFault(t, c.Protocol(), f, 4, "Only system administrators may change the restrictions of API keys.")
			_, f = as(password, "res.users.apikeys", "generate", []any{"rpc", "for admin", "2099-01-01 00:00:00"}, map[string]any{"user_id": int64(2)})
			itest.WantFault(t, c.Protocol(), f, 4, "Only system administrators may make API keys for other users.")
			// The read-only key cannot even try: generate writes.
			_, f = as(key, "res.users.apikeys", "write", []any{ids, map[string]any{"read_only": false}}, nil)
			itest.WantFault(t, c.Protocol(), f, 4, "read-only")
			_, f = e.Kw(t, c, "res.users.apikeys", "write", []any{ids, map[string]any{"name": "renamed"}}, nil)
			itest.WantFault(t, c.Protocol(), f, 4, "API keys cannot be modified")
			_, f = e.Kw(t, c, "res.users.apikeys", "write", []any{ids, map[string]any{"allowed_methods": "res.partner"}}, nil)
			itest.WantFault(t, c.Protocol(), f, 2, "Allowed Methods")
			_, f = e.Kw(t, c, "auth.api.key", "create", []any{map[string]any{"name": itest.UniqueName("h"), "key": itest.UniqueName("k"), "user_id": uid,
				"allowed_networks": "10.0.0.0/40"}}, nil)
			itest.WantFault(t, c.Protocol(), f, 2, "Allowed Networks")
		})
	})
}

// TestKeyRotation checks rotate: the new key has the old one's user, name
// and restrictions; the old key keeps working until the overlap ends (on
// the server's clock), and with no overlap stops at once; only the owner or
// an administrator may rotate a key.
func TestKeyRotation(t *testing.T) {
	// Each store has its own clock: the stores' subtests run at the same
	// time, and one's end of overlap must not end the other's.
	itest.ForStores(t, func(t *testing.T, name string, store models.Store) {
		var now atomic.Int64
		now.Store(time.Now().UnixNano())
		clock := func() time.Time { return time.Unix(0, now.Load()) }
		e := itest.NewEnv(t, name, store, services.Config{RefusalDelay: -1, Now: clock}, godoorpc.Options{})
		admin := itest.JSONCaller{Base: e.Srv.URL}
		login := itest.UniqueName("rot_")
		uid := e.MustKw(t, admin, "res.users", "create", []any{map[string]any{"name": login, "login": login, "password": "r-Secret-1"}}, nil).(int64)
		old := e.MustKw(t, admin, "res.users.apikeys", "generate", []any{"rpc", "rotated", false}, map[string]any{"user_id": uid}).(string)
		ids := e.MustKw(t, admin, "res.users.apikeys", "search", []any{[]any{[]any{"user_id", "=", uid}}}, nil).([]any)
		e.MustKw(t, admin, "res.users.apikeys", "write", []any{ids, map[string]any{"read_only": true, "allowed_methods": "res.partner:*"}}, nil)
		e.EachProtocol(t, func(t *testing.T, c itest.Caller) {
			works := func(key string) bool {
				_, f := c.Call(t, "object", "execute_kw", e.DB, uid, key, "res.partner", "search_count", []any{[]any{}})
				return f == nil
			}
			restricted := func(key string) {
				t.Helper()
				_, f := c.Call(t, "object", "execute_kw", e.DB, uid, key, "res.partner", "create", []any{map[string]any{"name": "x"}})
				itest.WantFault(t, c.Protocol(), f, 4, "read-only")
				_, f = c.Call(t, "object", "execute_kw", e.DB, uid, key, "res.users", "search_count", []any{[]any{}})
				itest.WantFault(t, c.Protocol(), f, 4, "on model 'res.users'")
			}
			ids := e.MustKw(t, c, "res.users.apikeys", "search", []any{[]any{[]any{"user_id", "=", uid}}}, nil).([]any)
			if len(ids) != 1 {
				t.Fatalf("keys of the user: %v", ids)
			}
			// A user may not rotate another's key, and a read-only key
			// rotates nothing.
			e.MustKw(t, c, "res.users.apikeys", "generate", []any{"rpc", "admin's " + c.Protocol(), false}, nil)
			others := e.MustKw(t, c, "res.users.apikeys", "search", []any{[]any{[]any{"name", "=", "admin's " + c.Protocol()}}}, nil)
			_, f := c.Call(t, "object", "execute_kw", e.DB, uid, "r-Secret-1", "res.users.apikeys", "rotate", []any{others})
			itest.WantFault(t, c.Protocol(), f, 2, "No native API key")
			_, f = c.Call(t, "object", "execute_kw", e.DB, uid, old, "res.users.apikeys", "rotate", []any{ids})
			itest.WantFault(t, c.Protocol(), f, 4, "read-only")

			next := e.MustKw(t, c, "res.users.apikeys", "rotate", []any{ids}, map[string]any{"overlap": int64(3600)}).(string)
			if next == old || !works(next) || !works(old) {
				t.Fatalf("after rotating with an overlap: new works %v, old works %v", works(next), works(old))
			}
			restricted(next)
			recs := e.MustKw(t, c, "res.users.apikeys", "search_read", []any{[]any{[]any{"user_id", "=", uid}}, []any{"name", "read_only", "allowed_methods", "expiration_date"}},
				map[string]any{"order": "id"}).([]any)
			if len(recs) != 2 {
				t.Fatalf("keys after rotation: %v", recs)
			}
			for _, r := range recs {
				r := r.(map[string]any)
				if r["name"] != "rotated" || r["read_only"] != true || r["allowed_methods"] != "res.partner:*" {
					t.Errorf("rotated key %v lost its name or restrictions", r)
				}
			}
			if exp, _ := recs[0].(map[string]any)["expiration_date"].(string); exp == "" {
				t.Errorf("the old key has no end of overlap: %v", recs[0])
			}
			now.Add(int64(3601 * time.Second))
			if works(old) || !works(next) {
				t.Errorf("after the overlap: old works %v, new works %v", works(old), works(next))
			}
			newID := recs[1].(map[string]any)["id"]
			last := e.MustKw(t, c, "res.users.apikeys", "rotate", []any{[]any{newID}}, nil).(string)
			if works(next) || !works(last) {
				t.Errorf("after rotating without overlap: previous works %v, new works %v", works(next), works(last))
			}
			old = last
			e.MustKw(t, c, "res.users.apikeys", "revoke", []any{e.MustKw(t, c, "res.users.apikeys", "search", []any{[]any{[]any{"user_id", "=", uid}}}, nil)}, nil)
			old = e.MustKw(t, c, "res.users.apikeys", "generate", []any{"rpc", "rotated", false}, map[string]any{"user_id": uid}).(string)
			ids = e.MustKw(t, c, "res.users.apikeys", "search", []any{[]any{[]any{"user_id", "=", uid}}}, nil).([]any)
			e.MustKw(t, c, "res.users.apikeys", "write", []any{ids, map[string]any{"read_only": true, "allowed_methods": "res.partner:*"}}, nil)
		})
	})
}

// TestKeyAudit checks that a call a key's restrictions refuse is recorded
// in auth.key.audit with the key, its user, the client and the model and
// method, on each protocol and both stores; that only system
// administrators read the audit, nobody writes it, and no secret is in it.
func TestKeyAudit(t *testing.T) {
	itest.EachStore(t, services.Config{RefusalDelay: -1}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		admin := itest.JSONCaller{Base: e.Srv.URL}
		login := itest.UniqueName("audited_")
		password := "a-Secret-1"
		uid := e.MustKw(t, admin, "res.users", "create", []any{map[string]any{"name": login, "login": login, "password": password}}, nil).(int64)
		key := e.MustKw(t, admin, "res.users.apikeys", "generate", []any{"rpc", "audited", false}, map[string]any{"user_id": uid}).(string)
		ids := e.MustKw(t, admin, "res.users.apikeys", "search", []any{[]any{[]any{"name", "=", "audited"}}}, nil).([]any)
		e.MustKw(t, admin, "res.users.apikeys", "write", []any{ids, map[string]any{"read_only": true}}, nil)
		header := itest.UniqueName("audited-header-secret-")
		hid := e.MustKw(t, admin, "auth.api.key", "create", []any{map[string]any{"name": "audited header", "key": header, "user_id": uid,
			"allowed_methods": "res.partner:search_count"}}, nil).(int64)

		channels := keyChannels(t, e)
		want := map[string]string{"xmlrpc": "xmlrpc", "jsonrpc": "jsonrpc", "json2_bearer": "json2", "json2_api_key": "json2", "route_api_key": "http"}
		for _, ch := range channels {
			k, method := key, "create"
			args := []any{map[string]any{"name": "refused"}}
			if ch.header {
				k, method, args = header, "search_count", []any{[]any{}}
			}
			model := "res.partner"
			if ch.header {
				model = "res.users"
			}
			if got, _ := ch.call(t, k, uid, model, method, args); got != outcomeAccess {
				t.Fatalf("%s: the restricted call was not refused: %s", ch.name, got)
			}
		}
		rows := e.MustKw(t, admin, "auth.key.audit", "search_read", []any{[]any{[]any{"event", "=", "refused"}},
			[]any{"event", "kind", "key_id", "key_name", "user_id", "ip", "user_agent", "protocol", "model", "method"}},
			map[string]any{"order": "id"}).([]any)
		if len(rows) != len(channels) {
			t.Fatalf("refused rows = %v, want %d", rows, len(channels))
		}
		for i, ch := range channels {
			r := rows[i].(map[string]any)
			kind, keyID, name, model, method := "native", ids[0], "audited", "res.partner", "create"
			if ch.header {
				kind, keyID, name, model, method = "header", hid, "audited header", "res.users", "search_count"
			}
			wantRow := map[string]any{"id": r["id"], "event": "refused", "kind": kind, "key_id": keyID, "key_name": name, "user_id": uid,
				"ip": "127.0.0.1", "user_agent": r["user_agent"], "protocol": want[ch.name], "model": model, "method": method}
			itest.Equal(t, ch.name+" audit row", r, wantRow)
			if ua, _ := r["user_agent"].(string); !strings.HasPrefix(ua, "Go-http-client/") {
				t.Errorf("%s: user agent %v", ch.name, r["user_agent"])
			}
		}
		// Restricting a key is an event of each kind.
		e.MustKw(t, admin, "auth.api.key", "write", []any{[]any{hid}, map[string]any{"read_only": true}}, nil)
		for kind, id := range map[string]any{"native": ids[0], "header": hid} {
			n := e.MustKw(t, admin, "auth.key.audit", "search_count", []any{[]any{[]any{"event", "=", "restricted"},
				[]any{"kind", "=", kind}, []any{"key_id", "=", id}}}, nil)
			itest.Equal(t, kind+" key restricted events", n, int64(1))
		}
		all, _ := json.Marshal(e.MustKw(t, admin, "auth.key.audit", "search_read", []any{[]any{}}, nil))
		for _, secret := range []string{key, key[len(key)-20:], header, password} {
			if strings.Contains(string(all), secret) {
				t.Errorf("the audit holds a secret: %s", all)
			}
		}
		e.EachProtocol(t, func(t *testing.T, c itest.Caller) {
			_, f := c.Call(t, "object", "execute_kw", e.DB, uid, password, "auth.key.audit", "search_read", []any{[]any{}})
			itest.WantFault(t, c.Protocol(), f, 4, "auth.key.audit")
			for _, m := range []struct {
				method string
				args   []any
			}{{"create", []any{map[string]any{"event": "x", "kind": "native", "at": "2026-01-01 00:00:00"}}},
				{"write", []any{[]any{rows[0].(map[string]any)["id"]}, map[string]any{"event": "x"}}},
				{"unlink", []any{[]any{rows[0].(map[string]any)["id"]}}}} {
				_, f := e.Kw(t, c, "auth.key.audit", m.method, m.args, nil)
				itest.WantFault(t, c.Protocol(), f, 4, "The API key audit is read-only.")
			}
		})
	})
}

// TestKeyUseCounts checks that successful uses of keys are counted per key
// and hour in auth_key_use (not one row per call), and that the key audit
// and the counts older than auth.key_audit_days are deleted at a flush.
func TestKeyUseCounts(t *testing.T) {
	itest.EachStore(t, services.Config{RefusalDelay: -1}, godoorpc.Options{}, func(t *testing.T, e *itest.Env) {
		admin := itest.JSONCaller{Base: e.Srv.URL}
		key := e.MustKw(t, admin, "res.users.apikeys", "generate", []any{"rpc", "counted", false}, nil).(string)
		id := e.MustKw(t, admin, "res.users.apikeys", "search", []any{[]any{[]any{"name", "=", "counted"}}}, nil).([]any)[0].(int64)
		header := itest.UniqueName("counted-header-")
		hid := e.MustKw(t, admin, "auth.api.key", "create", []any{map[string]any{"name": "counted", "key": header, "user_id": int64(2)}}, nil).(int64)
		pool, err := e.Store.Open(t.Context(), e.DB)
		if err != nil {
			t.Fatal(err)
		}
		itest.HandSQL(t, e.Store, pool, e.DB, "INSERT INTO auth_key_audit (at, event, kind, key_id) VALUES ('2001-01-01 00:00:00', 'created', 'native', 999999)")
		itest.HandSQL(t, e.Store, pool, e.DB, "INSERT INTO auth_key_use (kind, key_id, hour, calls) VALUES ('native', 999999, '2001-01-01 00:00:00', 5)")
		// What was gathered before is flushed first.
		if err := e.Set.FlushKeyUsage(t.Context()); err != nil {
			t.Fatal(err)
		}
		calls := func(kind string, id int64) int64 {
			var n int64
			if err := pool.QueryRowContext(t.Context(), "SELECT COALESCE(SUM(calls), 0) FROM auth_key_use WHERE kind = ? AND key_id = ?", kind, id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before, beforeHeader := calls("native", id), calls("header", hid)
		for range 3 {
			e.MustKw(t, admin, "res.partner", "search_count", []any{[]any{}}, nil) // a password: not counted
			if _, f := admin.Call(t, "object", "execute_kw", e.DB, int64(2), key, "res.partner", "search_count", []any{[]any{}}); f != nil {
				t.Fatal(f.String)
			}
			r := itest.Post(t, e.Srv.URL+"/json/2/res.partner/search_count", "application/json", []byte(`{"domain": []}`), "API-KEY", header, "X-Odoo-Database", e.DB)
			if r.Status != http.StatusOK {
				t.Fatalf("JSON-2 with the header key: %d %s", r.Status, r.Body)
			}
		}
		if err := e.Set.FlushKeyUsage(t.Context()); err != nil {
			t.Fatal(err)
		}
		itest.Equal(t, "native key uses counted", calls("native", id)-before, int64(3))
		itest.Equal(t, "header key uses counted", calls("header", hid)-beforeHeader, int64(3))
		var rows, old int64
		if err := pool.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM auth_key_use WHERE kind = 'native' AND key_id = ?", id).Scan(&rows); err != nil || rows != 1 {
			t.Errorf("use rows of one key in one hour = %d (%v), want 1", rows, err)
		}
		if err := pool.QueryRowContext(t.Context(), "SELECT (SELECT COUNT(*) FROM auth_key_audit WHERE at < '2002-01-01') + (SELECT COUNT(*) FROM auth_key_use WHERE hour < '2002-01-01')").Scan(&old); err != nil || old != 0 {
			t.Errorf("rows past the retention left: %d (%v)", old, err)
		}
	})
}
