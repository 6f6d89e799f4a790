package models

import (
	"context"
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
	// Aliases are the names Odoo 19's JSON-2 gives some parameters, to
	// their Odoo 18 names: JSON-2 calls name_search's args domain, while
	// execute_kw refuses that keyword as Odoo 18 does (see
	// Method.JSON2Kwargs).
	Aliases map[string]string
	// CheckIdentity methods need a recent password re-check (see
	// the identity check of models/base); only they may be replayed by
	// res.users.identitycheck.run_check.
	CheckIdentity bool
	// Class is the Python class that defines the method in Odoo
	// ("BaseModel"), which Python's TypeErrors name: "BaseModel.search()
	// got an unexpected keyword argument 'count'". Empty for methods that
	// have no Odoo counterpart.
	Class string
	Fn    func(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error)
}

// JSON2Kwargs renames the keyword arguments of a JSON-2 call that JSON-2
// names otherwise than Odoo 18 (Aliases); kwargs is not modified.
func (meth *Method) JSON2Kwargs(kwargs map[string]any) map[string]any {
	if len(meth.Aliases) == 0 {
		return kwargs
	}
	out := make(map[string]any, len(kwargs))
	for k, v := range kwargs {
		if _, given := kwargs[meth.Aliases[k]]; meth.Aliases[k] != "" && !given {
			k = meth.Aliases[k]
		}
		out[k] = v
	}
	return out
}

// qualname is the method's name as Python's TypeErrors print it.
func (meth *Method) qualname() string {
	if meth.Class == "" {
		return meth.Name
	}
	return meth.Class + "." + meth.Name
}

// argError is a TypeError raised while binding a call's arguments to the
// method's signature (ReasonArguments, as opposed to a TypeError the method
// raises), which JSON-2 answers with 422.
func argError(msg string) error {
	return &Error{Kind: KindServer, Name: "builtins.TypeError", Reason: ReasonArguments, Message: msg}
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
			n, ok := ToInt64(e)
			if s, isStr := e.(string); isStr && !ok {
				return nil, notAnInteger(s)
			}
			if !ok || isBool(e) {
				return nil, ServerErrorf("builtins.TypeError", "Invalid id %s: ids must be integers", py.Repr(e))
			}
			out = append(out, n)
		}
		return out, nil
	case string:
		// Odoo's browse makes a tuple of what it is given: a string's
		// characters, which the database refuses as ids.
		return IDList(stringChars(x))
	case map[string]any:
		// ... and a dict's keys.
		keys := py.SortedKeys(x)
		list := make([]any, len(keys))
		for i, k := range keys {
			list[i] = k
		}
		return IDList(list)
	case []int64:
		return x, nil
	default:
		if n, ok := ToInt64(v); ok && !isBool(v) {
			if _, isStr := v.(string); !isStr {
				return []int64{n}, nil
			}
		}
	}
	return nil, ServerErrorf("builtins.TypeError", "Invalid ids %s: expected a list of integers", py.Repr(v))
}

func isBool(v any) bool { _, ok := v.(bool); return ok }

// lazyIDs tells ids whose elements, not their shape, IDList refuses:
// Odoo's browse makes a tuple of any iterable without looking at what it
// holds, so a bad element is refused only when the method first reads,
// after Python bound the call's arguments (a TypeError of the call comes
// first), while what is not iterable fails in browse, before the call.
func lazyIDs(v any) bool {
	switch v.(type) {
	case []any, string, map[string]any:
		return true
	}
	return false
}

// notAnInteger is the database's refusal of a text given as an id, which
// Odoo lets through to PostgreSQL; godoo answers it on every store.
func notAnInteger(s string) error {
	return ServerErrorf("psycopg2.errors.InvalidTextRepresentation", "invalid input syntax for type integer: \"%s\"", s)
}

// stringChars is a string as Python iterates it, one string per character.
func stringChars(s string) []any {
	out := make([]any, 0, len(s))
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

// RecordRepr renders "res.partner(1, 2)" as Odoo prints a recordset.
func RecordRepr(model string, ids []int64) string {
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
