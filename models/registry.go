package models

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/godoo/godoo/models/py"
)

// Registry knows every model. One registry serves every database, as all
// godoo databases share one schema. The engine declares no model of its
// own: the packages that declare models (models/base) register them into a
// registry they are given.
type Registry struct {
	models map[string]*Model
	// authTables are the tables of AuthCached models.
	authTables map[string]bool
	// HashPassword turns a clear password into the stored hash. The auth
	// layer provides it; models never handles key derivation itself.
	// rounds is the database's password.hashing.rounds (0 when unset); the
	// hasher never goes below its own floor.
	HashPassword func(clear string, rounds int) (string, error)
	// VerifyPassword checks a clear password against a stored hash; the
	// auth layer provides it.
	VerifyPassword func(clear, stored string) bool
	// NewAPIKey makes new keys; the auth layer provides it too.
	NewAPIKey NewKeyFunc
	// HeaderKeyHash turns an API-KEY header key into its stored hash.
	HeaderKeyHash func(key string) string
	// Attachments keeps the values of attachment fields; the package that
	// declares ir.attachment provides it. Nil leaves such fields empty.
	Attachments Attachments
	// AdminOnly are the models declared beside the base ones (a models
	// path): they have no access rights of their own, so the package that
	// records access rights grants them to administrators alone.
	AdminOnly []string
	// declared is the registry this one extends (see Extend), nil for
	// one built from declarations alone.
	declared *Registry
	// orders are the orders this registry rendered (renderedOrder).
	orders *orderCache
	// companyRefs are the company-dependent many2one fields by the model
	// they point to, whose values a deletion of its records empties;
	// Check makes them.
	companyRefs map[string][]*Field
}

// Attachments is where the values of binary fields declared attachment
// live (Odoo's ir.attachment with res_model, res_id and res_field). The
// engine calls it as the superuser would: access to the record was
// checked before.
type Attachments interface {
	// Read fills field f of recs (which have their "id") with its base64
	// value, or false; with the bin_size context, with its human size.
	Read(ctx context.Context, env *Env, m *Model, f *Field, recs []Record) error
	// Write sets field f of ids to value: base64 text, or nil to empty it.
	Write(ctx context.Context, env *Env, m *Model, f *Field, ids []int64, value any) error
	// Unlink deletes the attachments of records about to be deleted.
	Unlink(ctx context.Context, env *Env, m *Model, ids []int64) error
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{models: map[string]*Model{}, authTables: map[string]bool{}, orders: &orderCache{}}
}

// Register adds m, giving it the standard fields and methods every Odoo model
// has, unless it defines its own. Declared models come through Declare;
// Register takes models built in Go, as tests and tools make them.
func (r *Registry) Register(m *Model) {
	if r.orders != nil {
		r.orders.checked.Store(false)
	}
	if m.RecName == "" {
		if m.Fields["name"] != nil {
			m.RecName = "name"
		} else {
			m.RecName = "id"
		}
	}
	if m.Order == "" {
		m.Order = "id"
	}
	if m.Table == "" {
		m.Table = strings.ReplaceAll(m.Name, ".", "_")
	}
	addMagicFields(m)
	for _, meth := range slices.Concat(baseMethods(), moreMethods(), webMethods(), archiveMethods()) {
		if m.Methods[meth.Name] != nil {
			continue
		}
		if o, ok := m.Overrides[meth.Name]; ok && o.Class != "" {
			own := *meth
			own.Class = o.Class
			meth = &own
		}
		m.AddMethod(meth)
	}
	if m.AuthCached {
		r.authTables[m.Table] = true
	}
	r.models[m.Name] = m
}

// Model returns the named model or nil.
func (r *Registry) Model(name string) *Model { return r.models[name] }

// Names lists the model names, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.models))
	for n := range r.models {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Lookup resolves model and method as Odoo 18 does: the model first, then
// the method, which must exist before it is refused as private (a private
// name that no model has is a method that does not exist). Services call
// it before opening a transaction, to know whether the call is read-only.
func (r *Registry) Lookup(model, method string) (*Model, *Method, error) {
	m := r.models[model]
	if m == nil {
		return nil, nil, UserErrorf("Object %s doesn't exist", model)
	}
	meth := m.Methods[method]
	if isPrivate(method) && (meth != nil || odooPrivateMethod(method)) {
		return nil, nil, AccessErrorf("Private methods (such as '%s.%s') cannot be called remotely.", model, method)
	}
	if meth == nil {
		return nil, nil, ServerErrorf("builtins.AttributeError", "The method '%s.%s' does not exist", model, method)
	}
	return m, meth, nil
}

// isPrivate tells a method that RPC may not call: its name starts with an
// underscore, or it is init, which Odoo marks private.
func isPrivate(method string) bool {
	return strings.HasPrefix(method, "_") || method == "init"
}

// odooPrivateMethod tells the private names that every Odoo 18 model has,
// so that asking for one is refused as private rather than as missing:
// Python's special methods, init, and the private methods of BaseModel
// that clients most often reach for.
func odooPrivateMethod(method string) bool {
	if len(method) > 4 && strings.HasPrefix(method, "__") && strings.HasSuffix(method, "__") {
		return true
	}
	switch method {
	case "init", "_search", "_read_group", "_name_search", "_compute_display_name", "_read_format",
		"_fetch_field", "_check_company", "_where_calc", "_flush_search", "_order_to_sql", "_auto_init",
		"_create", "_write", "_validate_fields", "_compute_field_value", "_filtered_access":
		return true
	}
	return false
}

// Call runs one model method as env's user: the single choke point where
// private names are refused, arguments are bound and access rights checked.
// kwargs is never modified.
func (r *Registry) Call(ctx context.Context, env *Env, model, method string, args []any, kwargs map[string]any) (any, error) {
	m, meth, err := r.Lookup(model, method)
	if err != nil {
		return nil, err
	}
	// Any false context ("", 0, [], None) is none, as call_kw's
	// `kwargs.pop('context', None) or {}`.
	if c, ok := kwargs["context"]; ok && py.Truthy(c) {
		cm, ok := c.(map[string]any)
		if !ok {
			return nil, ServerErrorf("builtins.TypeError", "context must be a dictionary")
		}
		env = env.WithContext(cm)
		if err := env.checkAllowedCompanies(ctx); err != nil {
			return nil, err
		}
		if err := env.checkLang(ctx); err != nil {
			return nil, err
		}
	}
	var ids []int64
	var idErr error
	if meth.Record {
		if len(args) == 0 {
			return nil, ServerErrorf("builtins.IndexError", "tuple index out of range")
		}
		ids, idErr = IDList(args[0])
		if idErr != nil && !lazyIDs(args[0]) {
			return nil, idErr
		}
		args = args[1:]
	}
	bound, err := bind(meth, args, kwargs)
	if err != nil {
		return nil, err
	}
	if idErr != nil {
		return nil, idErr
	}
	switch {
	case meth.Op == OpNone:
	case meth.Name == "write" && m.selfWrite(env, ids, bound):
		env = env.Sudo()
	default:
		if err := env.CheckAccess(ctx, m, meth.Op); err != nil {
			return nil, err
		}
	}
	if m.Abstract && meth.Op != OpNone {
		// An abstract model has no table: Odoo's query fails on it.
		return nil, ServerErrorf("psycopg2.errors.UndefinedTable", "relation \"%s\" does not exist", m.Table)
	}
	return meth.Fn(ctx, env, m, ids, bound)
}

// LinkUsers names ("model.field", sorted) the many2many fields of r whose
// link table is table, leaving out those skip holds: a custom many2many
// must not share, nor drop with it, a table another field reads.
func (r *Registry) LinkUsers(table string, skip map[string]bool) []string {
	var out []string
	for _, m := range r.models {
		for _, f := range m.Fields {
			if f.Type == Many2many && f.RelTable == table && !skip[m.Name+"."+f.Name] {
				out = append(out, m.Name+"."+f.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}
