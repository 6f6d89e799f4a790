package integration_test

import (
	"slices"
	"testing"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// Odoo's answers are Python dicts, written in the order their keys were
// set, and clients that compare answers as text see that order. These
// tests check the order of the keys of godoo's answers on every store and
// protocol, with the replay's decoders, which keep it.

// keyOrderCase is one request and the keys, in order, of the dict its
// answer holds.
type keyOrderCase struct {
	name string
	// ask sends the request and returns the answer's dict (or, for a
	// list of dicts, its first).
	ask  func(t *testing.T, k *keyOrderWire) *object
	want []string
	// wantOf gives want when it depends on the database.
	wantOf func(t *testing.T, k *keyOrderWire) []string
}

// keyOrderWire is a replay server with admin's credentials and a partner
// to read.
type keyOrderWire struct {
	*wire
	uid     int64
	partner int64
}

// kw calls model.method as admin over protocol ("xmlrpc" or "jsonrpc").
func (k *keyOrderWire) kw(t *testing.T, protocol, model, method string, args []any, kw *object) answer {
	t.Helper()
	if kw == nil {
		kw = newObject()
	}
	call := []any{k.db, k.uid, confAdminPassword, model, method, args, kw}
	if protocol == "xmlrpc" {
		return k.xmlCall(t, "object", "execute_kw", call...)
	}
	return k.jsonCall(t, "object", "execute_kw", call...)
}

// xmlCall calls service.method over XML-RPC and returns its answer.
func (k *keyOrderWire) xmlCall(t *testing.T, service, method string, args ...any) answer {
	t.Helper()
	status, body, _, err := k.post("/xmlrpc/2/"+service, "text/xml", encodeMethodCall(method, args), "")
	if err != nil {
		t.Fatal(err)
	}
	return xmlRPCAnswer(status, body)
}

// jsonCall calls service.method over JSON-RPC and returns its answer.
func (k *keyOrderWire) jsonCall(t *testing.T, service, method string, args ...any) answer {
	t.Helper()
	params := kwargs("service", service, "method", method, "args", append([]any{}, args...))
	status, body, _, err := k.post("/jsonrpc", "application/json", jsonRequest("call", params), "")
	if err != nil {
		t.Fatal(err)
	}
	return jsonRPCAnswer(status, body, int64(1))
}

// web posts params to a web route in admin's session.
func (k *keyOrderWire) web(t *testing.T, path string, params *object) answer {
	t.Helper()
	session, err := k.session("admin", roleUser{login: "admin", password: confAdminPassword}, false)
	if err != nil {
		t.Fatal(err)
	}
	status, body, _, err := k.post(path, "application/json", jsonRequest("call", params), session)
	if err != nil {
		t.Fatal(err)
	}
	return jsonRPCAnswer(status, body, int64(1))
}

// resultDict is the dict an answer's result is, or the first of the list
// it is.
func resultDict(t *testing.T, a answer) *object {
	t.Helper()
	if a.kind != "result" {
		t.Fatalf("want a result, got %s: %s", a.kind, clip(string(a.body), 400))
	}
	if list, ok := a.result.([]any); ok && len(list) > 0 {
		return asObject(list[0])
	}
	return asObject(a.result)
}

// answerErrorData is the data of a JSON-RPC error answer.
func answerErrorData(t *testing.T, a answer) *object {
	t.Helper()
	if a.kind != "error" {
		t.Fatalf("want an error, got %s: %s", a.kind, clip(string(a.body), 400))
	}
	d, _ := a.errObj.get("data")
	return asObject(d)
}

var versionOrder = []string{"server_version", "server_version_info", "server_serie", "protocol_version"}

// sessionInfoOrder is Odoo 18's session_info of an internal user.
var sessionInfoOrder = []string{"uid", "is_system", "is_admin", "is_public", "is_internal_user", "user_context", "db",
	"user_settings", "server_version", "server_version_info", "support_url", "name", "username", "quick_login",
	"partner_write_date", "partner_display_name", "partner_id", "web.base.url", "active_ids_limit", "profile_session",
	"profile_collectors", "profile_params", "max_file_upload_size", "home_action_id", "cache_hashes", "currencies",
	"bundle_params", "test_mode", "view_info", "user_companies", "show_effect", "display_switch_company_menu"}

// readCases are the cases of read and search_read over protocol.
func readCases(protocol string) []keyOrderCase {
	return []keyOrderCase{
		{"read, fields as asked over " + protocol, func(t *testing.T, k *keyOrderWire) *object {
			return resultDict(t, k.kw(t, protocol, "res.partner", "read", []any{[]any{k.partner}, []any{"zip", "name", "city", "name"}}, nil))
		}, []string{"id", "zip", "name", "city"}, nil},
		{"read, id asked last over " + protocol, func(t *testing.T, k *keyOrderWire) *object {
			return resultDict(t, k.kw(t, protocol, "res.partner", "read", []any{[]any{k.partner}, []any{"name", "id"}}, nil))
		}, []string{"id", "name"}, nil},
		{"read, relational over " + protocol, func(t *testing.T, k *keyOrderWire) *object {
			return resultDict(t, k.kw(t, protocol, "res.partner", "read", []any{[]any{k.partner}, []any{"country_id", "category_id", "display_name"}}, nil))
		}, []string{"id", "country_id", "category_id", "display_name"}, nil},
		{"read, every field over " + protocol, func(t *testing.T, k *keyOrderWire) *object {
			return resultDict(t, k.kw(t, protocol, "res.partner.category", "read", []any{[]any{int64(1)}}, nil))
		}, nil, modelFieldOrder("res.partner.category")},
		{"search_read, columns over " + protocol, func(t *testing.T, k *keyOrderWire) *object {
			return resultDict(t, k.kw(t, protocol, "res.partner", "search_read", []any{[]any{[]any{"id", "=", k.partner}}, []any{"zip", "name"}}, nil))
		}, []string{"id", "zip", "name"}, nil},
		{"search_read, many2one over " + protocol, func(t *testing.T, k *keyOrderWire) *object {
			return resultDict(t, k.kw(t, protocol, "res.partner", "search_read", []any{[]any{[]any{"id", "=", k.partner}}, []any{"email", "country_id", "active"}}, nil))
		}, []string{"id", "email", "country_id", "active"}, nil},
	}
}

// webReadCases are the cases of web_read and web_search_read: each record
// has its id then the specification's fields in the order asked for; a
// many2one read with fields has its id, those fields, then display_name.
func webReadCases() []keyOrderCase {
	spec := func() *object {
		return kwargs("zip", newObject(), "name", newObject(),
			"create_uid", kwargs("fields", kwargs("display_name", newObject(), "login", newObject())))
	}
	webRead := func(t *testing.T, k *keyOrderWire) *object {
		return resultDict(t, k.kw(t, "jsonrpc", "res.partner", "web_read", []any{[]any{k.partner}, spec()}, nil))
	}
	return []keyOrderCase{
		{"web_read, specification order over jsonrpc", webRead, []string{"id", "zip", "name", "create_uid"}, nil},
		{"web_read, many2one's fields over jsonrpc", func(t *testing.T, k *keyOrderWire) *object {
			v, _ := webRead(t, k).get("create_uid")
			return asObject(v)
		}, []string{"id", "login", "display_name"}, nil},
		{"web_search_read, specification order in a web session", func(t *testing.T, k *keyOrderWire) *object {
			kw := kwargs("domain", []any{[]any{"id", "=", k.partner}}, "specification", spec())
			params := kwargs("model", "res.partner", "method", "web_search_read", "args", []any{}, "kwargs", kw)
			records, _ := resultDict(t, k.web(t, "/web/dataset/call_kw/res.partner/web_search_read", params)).get("records")
			list, _ := records.([]any)
			if len(list) != 1 {
				t.Fatalf("records = %v", records)
			}
			return asObject(list[0])
		}, []string{"id", "zip", "name", "create_uid"}, nil},
	}
}

// readGroupCases are the cases of read_group's groups over protocol.
func readGroupCases(protocol string) []keyOrderCase {
	group := func(kw *object) func(t *testing.T, k *keyOrderWire) *object {
		return func(t *testing.T, k *keyOrderWire) *object {
			kw.set("domain", []any{[]any{"id", "=", k.partner}})
			return resultDict(t, k.kw(t, protocol, "res.partner", "read_group", []any{}, kw))
		}
	}
	return []keyOrderCase{
		{"read_group, lazy over " + protocol, group(kwargs("fields", []any{"country_id"}, "groupby", []any{"country_id"})),
			[]string{"country_id", "country_id_count", "__domain"}, nil},
		{"read_group, groupings left over " + protocol, group(kwargs("fields", []any{"color:sum"}, "groupby", []any{"is_company", "city"})),
			[]string{"is_company", "is_company_count", "color", "__domain", "__context"}, nil},
		{"read_group, not lazy over " + protocol, group(kwargs("fields", []any{"color:max", "id:count"}, "groupby", []any{"zip", "city"}, "lazy", false)),
			[]string{"zip", "city", "__count", "color", "id", "__domain"}, nil},
		{"read_group, by date over " + protocol, group(kwargs("fields", []any{"color"}, "groupby", []any{"create_date:year", "city"})),
			[]string{"create_date:year", "create_date_count", "color", "__domain", "__context", "__range"}, nil},
		{"read_group, no grouping over " + protocol, group(kwargs("fields", []any{"color:sum"}, "groupby", []any{})),
			[]string{"__count", "color", "__domain"}, nil},
	}
}

// modelFieldOrder is the order of a read of every field of model: id, then
// the fields in the order the model declares them (Odoo's _fields order).
func modelFieldOrder(model string) func(t *testing.T, k *keyOrderWire) []string {
	return func(t *testing.T, _ *keyOrderWire) []string {
		reg := models.NewRegistry()
		if err := base.Register(reg); err != nil {
			t.Fatal(err)
		}
		want := []string{"id"}
		for _, name := range reg.Model(model).FieldOrder {
			if name != "id" {
				want = append(want, name)
			}
		}
		return want
	}
}

// webReadGroup calls web_read_group in admin's web session.
func webReadGroup(t *testing.T, k *keyOrderWire, kw *object) *object {
	kw.set("domain", []any{[]any{"id", "=", k.partner}})
	params := kwargs("model", "res.partner", "method", "web_read_group", "args", []any{}, "kwargs", kw)
	return resultDict(t, k.web(t, "/web/dataset/call_kw/res.partner/web_read_group", params))
}

var keyOrderCases = []keyOrderCase{
	{"web_read_group", func(t *testing.T, k *keyOrderWire) *object {
		res := webReadGroup(t, k, kwargs("fields", []any{"country_id"}, "groupby", []any{"city"}))
		if n, _ := res.get("length"); n != int64(1) {
			t.Errorf("length = %v, want 1", n)
		}
		return res
	}, []string{"groups", "length"}, nil},
	{"web_read_group's groups", func(t *testing.T, k *keyOrderWire) *object {
		groups, _ := webReadGroup(t, k, kwargs("fields", []any{"color:sum"}, "groupby", []any{"city", "zip"})).get("groups")
		list, _ := groups.([]any)
		if len(list) != 1 {
			t.Fatalf("groups = %v", groups)
		}
		return asObject(list[0])
	}, []string{"city", "city_count", "color", "__domain", "__context"}, nil},
	{"version over XML-RPC", func(t *testing.T, k *keyOrderWire) *object {
		return resultDict(t, k.xmlCall(t, "common", "version"))
	}, versionOrder, nil},
	{"version over JSON-RPC", func(t *testing.T, k *keyOrderWire) *object {
		return resultDict(t, k.jsonCall(t, "common", "version"))
	}, versionOrder, nil},
	{"web version_info", func(t *testing.T, k *keyOrderWire) *object {
		return resultDict(t, k.web(t, "/web/webclient/version_info", newObject()))
	}, versionOrder, nil},
	{"error data", func(t *testing.T, k *keyOrderWire) *object {
		return answerErrorData(t, k.jsonCall(t, "conf_nope", "version"))
	}, []string{"name", "debug", "message", "arguments", "context"}, nil},
	{"session info", func(t *testing.T, k *keyOrderWire) *object {
		return resultDict(t, k.web(t, "/web/session/get_session_info", newObject()))
	}, sessionInfoOrder, nil},
	{"session info's user companies", func(t *testing.T, k *keyOrderWire) *object {
		info := resultDict(t, k.web(t, "/web/session/get_session_info", newObject()))
		uc, _ := info.get("user_companies")
		return asObject(uc)
	}, []string{"current_company", "allowed_companies", "disallowed_ancestor_companies"}, nil},
	{"session info's company", func(t *testing.T, k *keyOrderWire) *object {
		info := resultDict(t, k.web(t, "/web/session/get_session_info", newObject()))
		uc, _ := info.get("user_companies")
		allowed, _ := asObject(uc).get("allowed_companies")
		a := asObject(allowed)
		if len(a.keys) == 0 {
			t.Fatal("no allowed company")
		}
		c, _ := a.get(a.keys[0])
		return asObject(c)
	}, []string{"id", "name", "sequence", "child_ids", "parent_id"}, nil},
}

func TestKeyOrder(t *testing.T) {
	itest.ForStores(t, func(t *testing.T, _ string, store models.Store) {
		base, db := startConformanceServer(t, store)
		w := newWire(base, db)
		uid, ok := w.login("admin", confAdminPassword).(int64)
		if !ok {
			t.Fatal("admin cannot log in")
		}
		k := &keyOrderWire{wire: w, uid: uid}
		admin := adminSession{w: w, uid: uid, password: confAdminPassword}
		if _, err := admin.kw("res.partner.category", "create", []any{kwargs("name", "Key order")}, nil); err != nil {
			t.Fatal(err)
		}
		id, err := admin.kw("res.partner", "create", []any{kwargs("name", "Key order", "zip", "10115", "city", "Berlin", "email", "k@example.com")}, nil)
		if k.partner, _ = id.(int64); err != nil || k.partner == 0 {
			t.Fatalf("create partner: %v %v", id, err)
		}
		cases := slices.Concat(keyOrderCases, webReadCases(), readCases("xmlrpc"), readCases("jsonrpc"),
			readGroupCases("xmlrpc"), readGroupCases("jsonrpc"))
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				want := c.want
				if c.wantOf != nil {
					want = c.wantOf(t, k)
				}
				if got := c.ask(t, k).keys; !slices.Equal(got, want) {
					t.Errorf("keys %q\nwant %q", got, want)
				}
			})
		}
	})
}
