package integration_test

import (
	"slices"
	"testing"
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
}

// keyOrderWire is a replay server with admin's credentials.
type keyOrderWire struct {
	*wire
	uid int64
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

var keyOrderCases = []keyOrderCase{
	{"version over XML-RPC", func(t *testing.T, k *keyOrderWire) *object {
		return resultDict(t, k.xmlCall(t, "common", "version"))
	}, versionOrder},
	{"version over JSON-RPC", func(t *testing.T, k *keyOrderWire) *object {
		return resultDict(t, k.jsonCall(t, "common", "version"))
	}, versionOrder},
	{"web version_info", func(t *testing.T, k *keyOrderWire) *object {
		return resultDict(t, k.web(t, "/web/webclient/version_info", newObject()))
	}, versionOrder},
	{"error data", func(t *testing.T, k *keyOrderWire) *object {
		return answerErrorData(t, k.jsonCall(t, "conf_nope", "version"))
	}, []string{"name", "debug", "message", "arguments", "context"}},
	{"session info", func(t *testing.T, k *keyOrderWire) *object {
		return resultDict(t, k.web(t, "/web/session/get_session_info", newObject()))
	}, sessionInfoOrder},
	{"session info's user companies", func(t *testing.T, k *keyOrderWire) *object {
		info := resultDict(t, k.web(t, "/web/session/get_session_info", newObject()))
		uc, _ := info.get("user_companies")
		return asObject(uc)
	}, []string{"current_company", "allowed_companies", "disallowed_ancestor_companies"}},
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
	}, []string{"id", "name", "sequence", "child_ids", "parent_id"}},
}

func TestKeyOrder(t *testing.T) {
	all := stores(t)
	for _, name := range sortedKeys(all) {
		t.Run(name, func(t *testing.T) {
			store := all[name](t)
			t.Cleanup(func() { store.Close() })
			base, db := startConformanceServer(t, store)
			w := newWire(base, db)
			uid, ok := w.login("admin", confAdminPassword).(int64)
			if !ok {
				t.Fatal("admin cannot log in")
			}
			k := &keyOrderWire{wire: w, uid: uid}
			for _, c := range keyOrderCases {
				t.Run(c.name, func(t *testing.T) {
					if got := c.ask(t, k).keys; !slices.Equal(got, c.want) {
						t.Errorf("keys %q\nwant %q", got, c.want)
					}
				})
			}
		})
	}
}
