package models_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestKeyLimits checks what a restricted key may call and where from.
func TestKeyLimits(t *testing.T) {
	type call struct {
		model, method string
		want          bool
	}
	cases := []struct {
		name     string
		allow    string
		networks string
		readOnly bool
		calls    []call
		addrs    map[string]bool
	}{
		{name: "unrestricted", calls: []call{{"res.partner", "write", true}}, addrs: map[string]bool{"203.0.113.9": true, "n/a": true}},
		{name: "exact methods", allow: "res.partner:read,search_read", calls: []call{
			{"res.partner", "read", true}, {"res.partner", "search_read", true}, {"res.partner", "write", false},
			{"res.users", "read", false}, {"res.partner.category", "read", false}}},
		{name: "every method of a model", allow: "sale.order:*", calls: []call{
			{"sale.order", "write", true}, {"sale.order.line", "write", false}}},
		{name: "a method of every model", allow: "*:read", calls: []call{
			{"res.partner", "read", true}, {"res.users", "read", true}, {"res.users", "search_read", false}}},
		{name: "prefixes", allow: "res.*:search*", calls: []call{
			{"res.partner", "search_count", true}, {"res.users", "search", true}, {"ir.model", "search", false},
			{"res.partner", "read", false}}},
		{name: "several lines and separators", allow: "res.partner:read\nres.users:context_get; ir.model:search", calls: []call{
			{"res.partner", "read", true}, {"res.users", "context_get", true}, {"ir.model", "search", true}, {"ir.model", "read", false}}},
		{name: "read-only", readOnly: true, calls: []call{
			{"res.partner", "read", true}, {"res.partner", "search_read", true}, {"res.partner", "fields_get", true},
			{"res.partner", "read_group", true}, {"res.users", "context_get", true}, {"res.partner", "check_access_rights", true},
			{"res.partner", "write", false}, {"res.partner", "create", false}, {"res.partner", "unlink", false},
			{"res.users.apikeys", "generate", false}, {"res.partner", "name_create", false}}},
		{name: "read-only and an allowlist both apply", allow: "res.partner:*", readOnly: true, calls: []call{
			{"res.partner", "read", true}, {"res.partner", "write", false}, {"res.users", "read", false}}},
		{name: "networks", networks: "10.0.0.0/8, 192.0.2.7\n2001:db8::/32", calls: []call{{"res.partner", "write", true}},
			addrs: map[string]bool{"10.1.2.3": true, "192.0.2.7": true, "192.0.2.8": false, "2001:db8::1": true,
				"::ffff:10.0.0.1": true, "203.0.113.9": false, "n/a": false, "": false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := models.CompileKeyLimits(c.allow, c.networks, c.readOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range c.calls {
				if got := l.AllowsCall(k.model, k.method); got != k.want {
					t.Errorf("%s.%s allowed = %v, want %v", k.model, k.method, got, k.want)
				}
				err := l.CheckCall(k.model, k.method)
				if (err == nil) != k.want {
					t.Errorf("%s.%s: CheckCall = %v", k.model, k.method, err)
				}
				if err != nil && (models.KindOf(err) != models.KindAccess || !strings.Contains(err.Error(), "'"+k.method+"' on model '"+k.model+"'")) {
					t.Errorf("%s.%s: refusal %v is not an AccessError naming the model and method", k.model, k.method, err)
				}
			}
			for ip, want := range c.addrs {
				if got := l.AllowsAddr(ip); got != want {
					t.Errorf("address %q allowed = %v, want %v", ip, got, want)
				}
			}
		})
	}
}

// TestKeyLimitsInvalid checks that values that do not compile are refused
// when written, and make a key that allows nothing when found stored.
func TestKeyLimitsInvalid(t *testing.T) {
	for _, c := range []struct{ allow, networks string }{
		{"res.partner", ""}, {"res.partner:", ""}, {":read", ""}, {"res.partner:read:write", ""},
		{"re*s.partner:read", ""}, {"res.partner:re*ad", ""}, {"res.partner:read,,write", ""},
		{"", "10.0.0.0/33"}, {"", "example.com"}, {"", "10.0.0"},
	} {
		if _, err := models.CompileKeyLimits(c.allow, c.networks, false); err == nil {
			t.Errorf("%q %q compiled", c.allow, c.networks)
		}
		l := models.KeyLimitsOf(c.allow, c.networks, false)
		if l.AllowsCall("res.partner", "read") || l.AllowsAddr("10.0.0.1") {
			t.Errorf("%q %q: a key with a broken stored restriction allows something", c.allow, c.networks)
		}
	}
	if models.KeyLimitsOf("", "", false) != nil {
		t.Error("empty restrictions compile to a restriction")
	}
}

// TestReadOnlyMethods checks that the closed list holds no method that
// writes.
func TestReadOnlyMethods(t *testing.T) {
	for _, m := range []string{"write", "create", "unlink", "copy", "name_create", "generate", "revoke", "remove", "rotate", "make_key"} {
		if models.IsReadOnlyMethod(m) {
			t.Errorf("%s is listed as read-only", m)
		}
	}
	for _, m := range []string{"read", "search", "search_read", "search_count", "name_search", "fields_get", "read_group",
		"check_access_rights", "default_get", "context_get"} {
		if !models.IsReadOnlyMethod(m) {
			t.Errorf("%s is not listed as read-only", m)
		}
	}
}

// BenchmarkKeyLimits measures a call's restriction checks: a key with 20
// allow patterns and 5 address ranges against an unrestricted one (nil).
//
//	go test ./models -run '^$' -bench KeyLimits
func BenchmarkKeyLimits(b *testing.B) {
	var allow, nets []string
	for i := 0; i < 19; i++ {
		allow = append(allow, fmt.Sprintf("x.model%d:read,search_read,write", i))
	}
	allow = append(allow, "res.*:search*,read")
	for i := 0; i < 5; i++ {
		nets = append(nets, fmt.Sprintf("10.%d.0.0/16", i))
	}
	l, err := models.CompileKeyLimits(strings.Join(allow, "\n"), strings.Join(nets, "\n"), false)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		l    *models.KeyLimits
	}{{"unrestricted", nil}, {"20_patterns_5_cidrs", l}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if !bc.l.AllowsAddr("10.4.3.2") || bc.l.CheckCall("res.partner", "search_read") != nil {
					b.Fatal("refused")
				}
			}
		})
	}
}
