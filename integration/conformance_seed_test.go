package integration_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godoo/godoo/integration/internal/itest"
	"github.com/godoo/godoo/models"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// The replay's database is the recording's: base data without demo
// records, admin's password "admin", the seed's records and users, an API
// key of admin. Everything is made over RPC as admin, as the recorder did
// on Odoo, and what godoo lacks is reported rather than worked around.

// Odoo's defaults on the recording server: admin's password of a new
// database in the corpus's seed, and the master password and list_db of an
// Odoo without a configuration file.
const (
	confAdminPassword  = "admin"
	confMasterPassword = "admin"
)

// startConformanceServer serves a fresh database on store and returns the
// server's URL and the database's name.
func startConformanceServer(t *testing.T, store models.Store) (base, db string) {
	t.Helper()
	// The replay's clock starts at the real time and advances a
	// millisecond at each reading, so that windows of time (the login
	// cool-down, the key limiter, session lifetimes) see the same instants
	// however loaded the machine is: answers are those of a quick run.
	start := time.Now().UTC().Truncate(time.Second)
	var readings atomic.Int64
	now := func() time.Time { return start.Add(time.Duration(readings.Add(1)) * time.Millisecond) }
	db = uniqueName("conf_")
	// The recording server exposed its one database to the web routes
	// (Odoo's --database, as db.list and /web/database/list show): another
	// name is "Database not found." there, as a dbfilter makes it here.
	set := newSet(store, services.Config{MasterPassword: confMasterPassword, ListDB: true, Now: now,
		DBFilter: "^" + regexp.QuoteMeta(db) + "$"})
	ctx := context.Background()
	if err := set.Database.Create(ctx, db, services.CreateOptions{AdminLogin: "admin", AdminPassword: confAdminPassword}); err != nil {
		t.Fatalf("create database: %v", err)
	}
	// The store is one of stores(), on the server of the DSN.
	itest.DropWhenDone(t, store, set, db, true)
	srv := serveReplay(t, set)
	return srv.URL, db
}

// call runs service.method over JSON-RPC and returns the result, or the
// error's name and message.
func (w *wire) call(service, method string, args ...any) (any, error) {
	params := newObject()
	params.set("service", service)
	params.set("method", method)
	params.set("args", append([]any{}, args...))
	status, body, _, err := w.post("/jsonrpc", "application/json", jsonRequest("call", params), "")
	if err != nil {
		return nil, err
	}
	a := jsonRPCAnswer(status, body, int64(1))
	switch a.kind {
	case "result":
		return a.result, nil
	case "error":
		data, _ := a.errObj.vals["data"].(*object)
		if data == nil {
			data = newObject()
		}
		return nil, fmt.Errorf("%s: %s", str(data, "name"), firstLine(str(data, "message")))
	case "body":
		return nil, nil
	}
	return nil, fmt.Errorf("HTTP %d: %s", status, firstLine(string(body)))
}

// adminSession is admin's access to the replay database for setting up.
type adminSession struct {
	w        *wire
	uid      int64
	password string
}

func (s adminSession) kw(model, method string, args []any, kwargs *object) (any, error) {
	if kwargs == nil {
		kwargs = newObject()
	}
	return s.w.call("object", "execute_kw", s.w.db, s.uid, s.password, model, method, args, kwargs)
}

func kwargs(pairs ...any) *object {
	o := newObject()
	for i := 0; i+1 < len(pairs); i += 2 {
		o.set(pairs[i].(string), pairs[i+1])
	}
	return o
}

// login is common.authenticate: the user's id, or nil when refused.
func (w *wire) login(login, password string) any {
	v, err := w.call("common", "authenticate", w.db, login, password, newObject())
	if id, ok := v.(int64); ok && err == nil {
		return id
	}
	return nil
}

// seedFailure is a seed record godoo could not create; its symbol stays
// unbound.
type seedFailure struct {
	record seedRecord
	err    error
}

func (f seedFailure) String() string {
	return fmt.Sprintf("%s %s: %v", f.record.model, f.record.name, f.err)
}

// seed creates the corpus's records in order and binds their symbols.
func seed(admin adminSession, records []seedRecord, ids *idSpace) []seedFailure {
	var failed []seedFailure
	ph := placeholders{ids: ids}
	for _, rec := range records {
		r := ph.resolve(rec.values)
		if len(r.unbound) > 0 {
			failed = append(failed, seedFailure{rec, fmt.Errorf("it names %v, which godoo lacks or could not create", r.unbound)})
			continue
		}
		v, err := admin.kw(rec.model, "create", []any{[]any{r.value}}, nil)
		if err != nil {
			failed = append(failed, seedFailure{rec, err})
			continue
		}
		id, ok := boundID(answer{kind: "result", result: v})
		if !ok {
			failed = append(failed, seedFailure{rec, fmt.Errorf("create answered %s", showJSON(v, 200))})
			continue
		}
		ids.bind(rec.name, rec.model, id)
		if rec.partnerName == "" {
			continue
		}
		rows, err := admin.kw(rec.model, "read", []any{[]any{id}, []any{"partner_id"}}, nil)
		partner, ok := manyToOneID(firstRow(rows), "partner_id")
		if err != nil || !ok {
			failed = append(failed, seedFailure{rec, fmt.Errorf("the user's partner_id cannot be read (%v): %s stays unbound", err, rec.partnerName)})
			continue
		}
		ids.bind(rec.partnerName, "res.partner", partner)
	}
	return failed
}

// manyToOneID is the id of a many2one value [id, name] in row.
func manyToOneID(row *object, field string) (int64, bool) {
	if row == nil {
		return 0, false
	}
	switch v := row.vals[field].(type) {
	case []any:
		if len(v) > 0 {
			id, ok := v[0].(int64)
			return id, ok
		}
	case int64:
		return v, true
	}
	return 0, false
}

// loadXMLIDs reads godoo's ir.model.data into ids.
func loadXMLIDs(admin adminSession, ids *idSpace) error {
	v, err := admin.kw("ir.model.data", "search_read", []any{[]any{}},
		kwargs("fields", []any{"module", "name", "model", "res_id"}))
	if err != nil {
		return err
	}
	rows, _ := v.([]any)
	for _, e := range rows {
		row, ok := e.(*object)
		if !ok {
			continue
		}
		if id, ok := row.vals["res_id"].(int64); ok {
			ids.addXMLID(str(row, "module")+"."+str(row, "name"), str(row, "model"), id)
		}
	}
	if len(rows) == 0 {
		return fmt.Errorf("ir.model.data has no records")
	}
	return nil
}

// loadMaxIDs records the largest id of each model right after seeding.
func loadMaxIDs(admin adminSession, models []string, ids *idSpace) {
	for _, m := range models {
		v, err := admin.kw(m, "search", []any{[]any{}},
			kwargs("order", "id desc", "limit", int64(1), "context", kwargs("active_test", false)))
		if list, ok := v.([]any); ok && err == nil {
			ids.maxID[m] = 0
			if len(list) > 0 {
				if id, ok := list[0].(int64); ok {
					ids.maxID[m] = id
				}
			}
		}
	}
}

// modelsOf lists the models the corpus names: those of its cases and seed
// records and the relations of their fields.
func modelsOf(c *corpus, relations func(model string) []string) []string {
	set := map[string]bool{}
	for _, cs := range c.cases {
		if cs.Model != "" {
			set[cs.Model] = true
		}
	}
	for _, r := range c.seed.records {
		set[r.model] = true
	}
	for m := range set {
		for _, rel := range relations(m) {
			set[rel] = true
		}
	}
	out := make([]string, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// godooFields is godoo's own fields_get, read as admin at first need.
type godooFields struct {
	admin adminSession
	cache map[string]map[string][2]string // model → field → type, relation
}

var _ fieldSource = (*godooFields)(nil)

func (f *godooFields) model(model string) map[string][2]string {
	if m, ok := f.cache[model]; ok {
		return m
	}
	m := map[string][2]string{}
	v, err := f.admin.kw(model, "fields_get", []any{}, kwargs("attributes", []any{"type", "relation"}))
	if o, ok := v.(*object); ok && err == nil {
		for _, name := range o.keys {
			if d, ok := o.vals[name].(*object); ok {
				m[name] = [2]string{str(d, "type"), str(d, "relation")}
			}
		}
	}
	f.cache[model] = m
	return m
}

func (f *godooFields) field(model, name string) (typ, relation string, ok bool) {
	d, ok := f.model(model)[name]
	return d[0], d[1], ok
}

func (f *godooFields) relations(model string) []string {
	var out []string
	for _, d := range f.model(model) {
		if d[1] != "" {
			out = append(out, d[1])
		}
	}
	return out
}

// serveReplay serves set over loopback HTTP for a replay of recorded
// calls, in proxy mode since the replay names each call's client address
// (wire.post), until the test ends.
func serveReplay(t *testing.T, set *services.Set) *httptest.Server {
	t.Helper()
	h := godoorpc.NewHandler(set, godoorpc.Options{ProxyMode: true})
	h.SetReady(true)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
