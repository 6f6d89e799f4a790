package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/godoo/godoo/models/py"
)

// Op is the access right a method needs (ir.model.access perm_*).
type Op string

// The four access rights of ir.model.access. OpNone is for methods that check
// access themselves or need none.
const (
	OpNone   Op = ""
	OpRead   Op = "read"
	OpWrite  Op = "write"
	OpCreate Op = "create"
	OpUnlink Op = "unlink"
)

// Args holds a method's arguments bound by name, after positional and
// keyword arguments were merged the way Python binds them.
type Args map[string]any

// Has reports whether the caller passed the argument at all.
func (a Args) Has(name string) bool { _, ok := a[name]; return ok }

// Method is a model method callable over RPC.
type Method struct {
	Name string
	// Params names the positional parameters after self (and after the ids
	// for record methods), in order, as Odoo's Python signature has them.
	Params []string
	// Required is how many leading Params must be given.
	Required int
	// Record methods take the ids as the first positional argument.
	Record bool
	// Op is the access right checked before the method runs.
	Op Op
	// ReadOnly methods run in a read-only transaction.
	ReadOnly bool
	// Aliases are other names a keyword argument may have (an old or new
	// name of a parameter), to the parameter's name.
	Aliases map[string]string
	// CheckIdentity methods need a recent password re-check (see
	// withIdentityCheck); only they may be replayed by run_check.
	CheckIdentity bool
	// Class is the Python class that defines the method in Odoo
	// ("BaseModel"), which Python's TypeErrors name: "BaseModel.search()
	// got an unexpected keyword argument 'count'". Empty for methods that
	// have no Odoo counterpart.
	Class string
	Fn    func(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error)
}

// qualname is the method's name as Python's TypeErrors print it.
func (meth *Method) qualname() string {
	if meth.Class == "" {
		return meth.Name
	}
	return meth.Class + "." + meth.Name
}

// Model is the description of one Odoo model: its table, fields and methods.
type Model struct {
	Name        string
	Description string
	Table       string
	// RecName is the field that names a record (Odoo's _rec_name).
	RecName string
	// Order is the default order (Odoo's _order), already validated.
	Order string
	// Fields by name, and their declaration order for fields_get.
	Fields     map[string]*Field
	FieldOrder []string
	Methods    map[string]*Method

	// DisplayName computes display_name for records read with the stored
	// fields named in DisplayNameDeps; nil means the RecName value.
	DisplayName     func(ctx context.Context, env *Env, recs []Record) error
	DisplayNameDeps []string
	// Constraints are the SQL constraints with the messages Odoo shows.
	Constraints []SQLConstraint
	// Rule returns the domain of the records the user may see and change
	// (Odoo's record rules); nil means every record. The superuser is never
	// restricted.
	Rule func(ctx context.Context, env *Env) ([]any, error)

	// Hooks that specialise the generic ORM for one model.
	BeforeCreate func(ctx context.Context, env *Env, vals map[string]any) error
	AfterCreate  func(ctx context.Context, env *Env, id int64, vals map[string]any) error
	BeforeWrite  func(ctx context.Context, env *Env, ids []int64, vals map[string]any) error
	AfterWrite   func(ctx context.Context, env *Env, ids []int64, vals map[string]any) error
	BeforeUnlink func(ctx context.Context, env *Env, ids []int64) error
}

// SQLConstraint is a unique or check constraint with its user message.
type SQLConstraint struct {
	Name    string
	Columns []string // for unique constraints, to recognise SQLite's report
	Message string
}

// Field returns the named field or nil.
func (m *Model) Field(name string) *Field { return m.Fields[name] }

// AddField adds f to the model, keeping declaration order.
func (m *Model) AddField(f *Field) {
	if m.Fields == nil {
		m.Fields = map[string]*Field{}
	}
	if f.String == "" {
		f.String = defaultLabel(f.Name)
	}
	if _, dup := m.Fields[f.Name]; !dup {
		m.FieldOrder = append(m.FieldOrder, f.Name)
	}
	m.Fields[f.Name] = f
}

// AddMethod adds or replaces a method.
func (m *Model) AddMethod(meth *Method) {
	if m.Methods == nil {
		m.Methods = map[string]*Method{}
	}
	m.Methods[meth.Name] = meth
}

// HasActive reports whether the model has an active flag, which turns on
// Odoo's active_test filtering.
func (m *Model) HasActive() bool {
	f := m.Fields["active"]
	return f != nil && f.Type == Boolean && f.Stored()
}

func defaultLabel(name string) string {
	name = strings.TrimSuffix(strings.TrimSuffix(name, "_ids"), "_id")
	words := strings.Split(name, "_")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// Registry knows every model. One registry serves every database, as all
// godoo databases share one schema.
type Registry struct {
	models map[string]*Model
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
}

// NewRegistry returns a registry with godoo's base models.
func NewRegistry() *Registry {
	r := &Registry{models: map[string]*Model{}}
	registerBase(r)
	return r
}

// Register adds m, giving it the standard fields and methods every Odoo model
// has, unless it defines its own.
func (r *Registry) Register(m *Model) {
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
	addMagicFields(m)
	for _, meth := range append(append(baseMethods(), moreMethods()...), webMethods()...) {
		if m.Methods[meth.Name] == nil {
			m.AddMethod(meth)
		}
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

// Lookup resolves model and method as call_kw does: private names first, then
// the model, then the method. Services call it before opening a transaction,
// to know whether the call is read-only.
func (r *Registry) Lookup(model, method string) (*Model, *Method, error) {
	if strings.HasPrefix(method, "_") || method == "init" {
		return nil, nil, AccessErrorf("Private methods (such as %s) cannot be called remotely.", method)
	}
	m := r.models[model]
	if m == nil {
		return nil, nil, UserErrorf("Object %s doesn't exist", model)
	}
	meth := m.Methods[method]
	if meth == nil {
		return nil, nil, ServerErrorf("builtins.AttributeError", "The method '%s' does not exist on the model '%s'", method, model)
	}
	return m, meth, nil
}

// Call runs one model method as env's user: the single choke point where
// private names are refused, arguments are bound and access rights checked.
// kwargs is never modified.
func (r *Registry) Call(ctx context.Context, env *Env, model, method string, args []any, kwargs map[string]any) (any, error) {
	m, meth, err := r.Lookup(model, method)
	if err != nil {
		return nil, err
	}
	if c, ok := kwargs["context"]; ok {
		cm, ok := c.(map[string]any)
		if !ok && c != nil && c != false {
			return nil, ServerErrorf("builtins.TypeError", "context must be a dictionary")
		}
		env = env.WithContext(cm)
		if err := env.checkAllowedCompanies(ctx); err != nil {
			return nil, err
		}
	}
	var ids []int64
	if meth.Record {
		if len(args) == 0 {
			return nil, ServerErrorf("builtins.IndexError", "tuple index out of range")
		}
		ids, err = IDList(args[0])
		if err != nil {
			return nil, err
		}
		args = args[1:]
	}
	bound, err := bind(meth, args, kwargs)
	if err != nil {
		return nil, err
	}
	if meth.Op != OpNone {
		if err := env.CheckAccess(ctx, m, meth.Op); err != nil {
			return nil, err
		}
	}
	return meth.Fn(ctx, env, m, ids, bound)
}

// ErrArguments marks the TypeErrors raised while binding a call's arguments
// to the method's signature (as opposed to a TypeError the method raises),
// which JSON-2 answers with 422.
var ErrArguments = errors.New("arguments do not match the signature")

func argError(msg string) error {
	return &Error{Kind: KindServer, Name: "builtins.TypeError", Message: msg, Err: ErrArguments}
}

// bind merges positional and keyword arguments by parameter name, with
// the TypeError messages CPython gives for arity mistakes. self (the
// recordset, which carries the ids of record methods) counts as the first
// positional argument, as it does in Python.
func bind(meth *Method, args []any, kwargs map[string]any) (Args, error) {
	const self = 1
	name := meth.qualname()
	// CPython checks the keywords first, then the positional count, then
	// what is missing.
	out := make(Args, len(args)+len(kwargs))
	for i, a := range args {
		if i < len(meth.Params) {
			out[meth.Params[i]] = a
		}
	}
	keys := make([]string, 0, len(kwargs))
	for k := range kwargs {
		keys = append(keys, k)
	}
	sort.Strings(keys) // one answer for the same call, whatever the map order
	for _, k := range keys {
		if k == "context" {
			continue
		}
		v := kwargs[k]
		if alias, ok := meth.Aliases[k]; ok {
			k = alias
		}
		if !contains(meth.Params, k) {
			return nil, argError(py.UnexpectedKeyword(name, k))
		}
		if _, dup := out[k]; dup {
			return nil, argError(py.MultipleValues(name, k))
		}
		out[k] = v
	}
	if len(args) > len(meth.Params) {
		return nil, argError(py.TooManyPositional(name, self+meth.Required, self+len(meth.Params), self+len(args)))
	}
	var missing []string
	for _, p := range meth.Params[:meth.Required] {
		if _, ok := out[p]; !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return nil, argError(py.MissingArguments(name, missing))
	}
	return out, nil
}

// PyNames lists names as CPython does in arity errors.
//
// Deprecated: use py.Names; this remains until the protocol layer calls it.
func PyNames(names []string) string { return py.Names(names) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// IDList accepts what clients send as ids: a list of integers or one bare
// integer (Odoo browses either). false and null mean no ids.
func IDList(v any) ([]int64, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bool:
		if !x {
			return nil, nil
		}
	case []any:
		out := make([]int64, 0, len(x))
		for _, e := range x {
			n, ok := toInt64(e)
			if !ok || isBool(e) {
				return nil, ServerErrorf("builtins.TypeError", "Invalid id %s: ids must be integers", py.Repr(e))
			}
			out = append(out, n)
		}
		return out, nil
	case []int64:
		return x, nil
	default:
		if n, ok := toInt64(v); ok && !isBool(v) {
			if _, isStr := v.(string); !isStr {
				return []int64{n}, nil
			}
		}
	}
	return nil, ServerErrorf("builtins.TypeError", "Invalid ids %s: expected a list of integers", py.Repr(v))
}

func isBool(v any) bool { _, ok := v.(bool); return ok }

// recordRepr renders "res.partner(1, 2)" as Odoo prints a recordset.
func recordRepr(model string, ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	s := strings.Join(parts, ", ")
	if len(ids) == 1 {
		s += ","
	}
	return model + "(" + s + ")"
}
