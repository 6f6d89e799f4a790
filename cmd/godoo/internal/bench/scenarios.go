package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/services"
)

// Fields are the 8 res.partner fields every search_read and read asks for:
// stored columns only, so that the SQL yardstick does the same work.
var Fields = []string{"name", "email", "phone", "street", "city", "zip", "website", "is_company"}

// Limits of the search_read and of the small search call.
const (
	SearchReadLimit = 80
	SearchLimit     = 10
	// FloodClients is the number of clients that send wrong keys in the
	// flood scenario.
	FloodClients = 4
)

// ScenarioIDs lists every scenario, in report order.
var ScenarioIDs = []string{
	"xml-key", "xml-key-restricted", "json-key", "xml-password", "json-password", "xml-noauth", "json-noauth", "xml-key-cold",
	"small", "read", "create-unlink", "header-key", "json2", "flood",
}

// NoAuthScenarios need a server of a godoo_noauth build: one that does not
// check credentials (xml-noauth, json-noauth), or one that checks every key
// with its key caches emptied (xml-key-cold).
var NoAuthScenarios = []string{"xml-noauth", "json-noauth", "xml-key-cold"}

// RestrictedLimits are the restrictions of the key of xml-key-restricted:
// 20 allow patterns, the last one allowing the scenario's call, and 5
// networks, the fourth holding IPv4 loopback (and the private ranges before
// it the addresses of a bench run with --url on a private network).
func RestrictedLimits() services.KeyLimits {
	var l services.KeyLimits
	for i := range 19 {
		l.Allow = append(l.Allow, fmt.Sprintf("x.bench%d:read,search_read,write", i))
	}
	l.Allow = append(l.Allow, "res.partner:search_read")
	l.From = []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "::1/128"}
	return l
}

// Setup is what the scenarios need: the servers, the database and its
// credentials, the expected answers, and the database pool of the SQL
// yardstick.
type Setup struct {
	// URL is the godoo server, NoAuthURL one that does not check
	// credentials and ColdURL one that reads and verifies every key again
	// ("" when there is none); Server, NoAuthServer and ColdServer are
	// their processes, nil when unknown.
	URL, NoAuthURL, ColdURL          string
	Server, NoAuthServer, ColdServer Probe
	// HTTP is the scenarios' client side, FloodHTTP the flood's, whose
	// clients run beside the others.
	HTTP, FloodHTTP *HTTP
	// DB is the database name; UID, Password, Key (a native key),
	// RestrictedKey (a native key with RestrictedLimits) and HeaderKey (an
	// auth.api.key) are the admin's credentials.
	DB            string
	UID           int64
	Password      string
	Key           string
	RestrictedKey string
	HeaderKey     string
	// ReadIDs are the 10 partners read by the read scenario.
	ReadIDs []int64
	// Matching is the number of active companies (what the search domain
	// finds); the answers hold min(Matching, limit) records.
	Matching int
	// Pool is the database's pool, of the same kind godoo uses, for the SQL.
	Pool *bun.DB
}

// Scenarios builds the scenarios of ids, in report order.
func Scenarios(s Setup, ids []string) ([]Scenario, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		if !contains(ScenarioIDs, id) {
			return nil, fmt.Errorf("unknown scenario %q (known: %s)", id, strings.Join(ScenarioIDs, ", "))
		}
		want[id] = true
	}
	if s.FloodHTTP == nil {
		s.FloodHTTP = NewHTTP(FloodClients)
	}
	nRead := min(s.Matching, SearchReadLimit)
	nSearch := min(s.Matching, SearchLimit)
	srTitle := fmt.Sprintf("search_read %d×%d", nRead, len(Fields))
	domain := []any{[]any{[]any{"is_company", "=", true}}}
	kwargs := map[string]any{"fields": Fields, "limit": SearchReadLimit, "order": "name"}
	xmlSR := func(secret string) []byte {
		return xmlCall("execute_kw", s.DB, s.UID, secret, "res.partner", "search_read", domain, kwargs)
	}
	jsonSR := func(secret string) []byte {
		return jsonCall("object", "execute_kw", s.DB, s.UID, secret, "res.partner", "search_read", domain, kwargs)
	}
	xmlHdr := http.Header{"Content-Type": {"text/xml"}}
	jsonHdr := http.Header{"Content-Type": {"application/json"}}
	xmlURL := func(base string) string { return base + "/xmlrpc/2/object" }
	jsonURL := func(base string) string { return base + "/jsonrpc" }
	// One marker per record: the end of the is_company member's name, which
	// no escaped value can hold. It starts with the rare '_' so that
	// counting skips through the body instead of stopping at every '<' or
	// '"'.
	xmlRecords := countCheck("_company</name>", nRead, xmlFault)
	jsonRecords := countCheck(`_company": `, nRead, jsonError)
	sqlSR := searchReadSQL(s.Pool, nRead)
	h := s.HTTP

	var out []Scenario
	add := func(id, title string, godoo, sql Target, server Probe) {
		if want[id] {
			out = append(out, Scenario{ID: id, Title: title, Godoo: godoo, SQL: sql, Server: server})
		}
	}
	add("xml-key", "XML-RPC "+srTitle+", key",
		h.request("POST", xmlURL(s.URL), xmlHdr, xmlSR(s.Key), xmlRecords), sqlSR, s.Server)
	add("xml-key-restricted", "XML-RPC "+srTitle+", key with 20 allow patterns and 5 networks",
		h.request("POST", xmlURL(s.URL), xmlHdr, xmlSR(s.RestrictedKey), xmlRecords), sqlSR, s.Server)
	add("json-key", "JSON-RPC "+srTitle+", key",
		h.request("POST", jsonURL(s.URL), jsonHdr, jsonSR(s.Key), jsonRecords), sqlSR, s.Server)
	add("xml-password", "XML-RPC "+srTitle+", password",
		h.request("POST", xmlURL(s.URL), xmlHdr, xmlSR(s.Password), xmlRecords), sqlSR, s.Server)
	add("json-password", "JSON-RPC "+srTitle+", password",
		h.request("POST", jsonURL(s.URL), jsonHdr, jsonSR(s.Password), jsonRecords), sqlSR, s.Server)
	if want["xml-noauth"] || want["json-noauth"] {
		if s.NoAuthURL == "" {
			return nil, fmt.Errorf("the auth-off scenarios need a server that does not check credentials")
		}
		// A wrong secret: the answers are right only if the server
		// really skips the check.
		const secret = "not-checked"
		add("xml-noauth", "XML-RPC "+srTitle+", auth off",
			h.request("POST", xmlURL(s.NoAuthURL), xmlHdr, xmlSR(secret), xmlRecords), sqlSR, s.NoAuthServer)
		add("json-noauth", "JSON-RPC "+srTitle+", auth off",
			h.request("POST", jsonURL(s.NoAuthURL), jsonHdr, jsonSR(secret), jsonRecords), sqlSR, s.NoAuthServer)
	}
	if want["xml-key-cold"] {
		if s.ColdURL == "" {
			return nil, fmt.Errorf("xml-key-cold needs a server that empties its key caches before every check")
		}
		add("xml-key-cold", "XML-RPC "+srTitle+", key, key caches emptied",
			h.request("POST", xmlURL(s.ColdURL), xmlHdr, xmlSR(s.Key), xmlRecords), sqlSR, s.ColdServer)
	}
	add("small", fmt.Sprintf("XML-RPC search %d ids, key", nSearch),
		h.request("POST", xmlURL(s.URL), xmlHdr,
			xmlCall("execute_kw", s.DB, s.UID, s.Key, "res.partner", "search", domain, map[string]any{"limit": SearchLimit, "order": "name"}),
			countCheck("<int>", nSearch, xmlFault)),
		searchSQL(s.Pool, nSearch), s.Server)
	add("read", fmt.Sprintf("XML-RPC read %d×%d, key", len(s.ReadIDs), len(Fields)),
		h.request("POST", xmlURL(s.URL), xmlHdr,
			xmlCall("execute_kw", s.DB, s.UID, s.Key, "res.partner", "read", []any{s.ReadIDs}, map[string]any{"fields": Fields}),
			countCheck("_company</name>", len(s.ReadIDs), xmlFault)),
		readSQL(s.Pool, s.ReadIDs), s.Server)
	add("create-unlink", "XML-RPC create + unlink, key", createUnlink(h, xmlURL(s.URL), s), createUnlinkSQL(s.Pool), s.Server)
	add("header-key", "GET /auth/whoami/api_key, API-KEY header",
		h.request("GET", s.URL+"/auth/whoami/api_key",
			http.Header{"Api-Key": {s.HeaderKey}, "X-Odoo-Database": {s.DB}},
			nil, containsCheck(`"mode": "api_key"`, []byte(`"error"`))),
		headerKeySQL(s.Pool, auth.HeaderKeyHash(s.HeaderKey)), s.Server)
	add("json2", "JSON-2 "+srTitle+", bearer key",
		h.request("POST", s.URL+"/json/2/res.partner/search_read",
			http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + s.Key}, "X-Odoo-Database": {s.DB}},
			mustJSON(map[string]any{"domain": domain[0], "fields": Fields, "limit": SearchReadLimit, "order": "name"}),
			countCheck(`_company": `, nRead, []byte(`"name": "odoo.exceptions`))),
		sqlSR, s.Server)
	if want["flood"] {
		out = append(out, Scenario{ID: "flood", Title: fmt.Sprintf("XML-RPC %s, key, %d-client wrong-key flood", srTitle, FloodClients),
			Godoo: h.request("POST", xmlURL(s.URL), xmlHdr, xmlSR(s.Key), xmlRecords),
			SQL:   sqlSR, Flood: flood(s.FloodHTTP, xmlURL(s.URL), s, domain, kwargs), FloodClients: FloodClients, Server: s.Server})
	}
	return out, nil
}

// createUnlink creates a partner and unlinks it again: two calls, measured
// as one.
func createUnlink(h *HTTP, url string, s Setup) Target {
	create := xmlCall("execute_kw", s.DB, s.UID, s.Key, "res.partner", "create", []any{map[string]any{"name": "bench create"}})
	const placeholder = "987654321"
	unlink := splitAt(xmlCall("execute_kw", s.DB, s.UID, s.Key, "res.partner", "unlink", []any{[]any{987654321}}), placeholder)
	return createThen(h, url, http.Header{"Content-Type": {"text/xml"}}, create, xmlInt,
		[]template{unlink}, containsCheck("<boolean>1</boolean>", xmlFault))
}

// createThen sends create, reads the new record's id from its answer with
// id, then sends each of then with that id in place of its placeholder,
// checking each answer with ok: several calls, measured as one.
func createThen(h *HTTP, url string, hdr http.Header, create []byte, id func([]byte) (int64, error), then []template, ok Check) Target {
	return func(client int) CallFunc {
		c := h.conn(client)
		hdr := hdr.Clone()
		var body []byte
		return func(ctx context.Context) error {
			out, err := c.do(ctx, "POST", url, hdr, create)
			if err != nil {
				return err
			}
			n, err := id(out)
			if err != nil {
				return err
			}
			for _, t := range then {
				body = t.fill(body, strconv.FormatInt(n, 10))
				if out, err = c.do(ctx, "POST", url, hdr, body); err != nil {
					return err
				}
				if err := ok(out); err != nil {
					return err
				}
			}
			return nil
		}
	}
}

// flood sends search_read with a new well-formed but unknown native key on
// every call, each from a new client address (X-Forwarded-For, which the
// server trusts in proxy mode), so that neither the per-address nor the
// per-key limiter can refuse it early: every call costs the server its key
// look-up. The call succeeds when the server refuses it (fault 3).
func flood(h *HTTP, url string, s Setup, domain []any, kwargs map[string]any) Target {
	const placeholder = "FLOODKEY"
	tmpl := splitAt(xmlCall("execute_kw", s.DB, s.UID, placeholder, "res.partner", "search_read", domain, kwargs), placeholder)
	accessDenied := []byte("<int>3</int>")
	var addr atomic.Uint32
	return func(client int) CallFunc {
		c := h.conn(client)
		hdr := http.Header{"Content-Type": {"text/xml"}, "X-Forwarded-For": {""}}
		var body []byte
		return func(ctx context.Context) error {
			key, _, _, err := auth.NewKey()
			if err != nil {
				return err
			}
			n := addr.Add(1) & 0xffffff
			hdr["X-Forwarded-For"][0] = "10." + strconv.Itoa(int(n>>16)) + "." + strconv.Itoa(int(n>>8&0xff)) + "." + strconv.Itoa(int(n&0xff))
			body = tmpl.fill(body, key)
			out, err := c.do(ctx, "POST", url, hdr, body)
			if err != nil {
				return err
			}
			if !bytes.Contains(out, xmlFault) || !bytes.Contains(out, accessDenied) {
				return fmt.Errorf("a wrong key was not refused with fault 3: %s", excerpt(out))
			}
			return nil
		}
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only the scenarios' own constant values are encoded
	}
	return b
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
