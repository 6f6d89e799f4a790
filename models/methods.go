package models

import (
	"context"
	"sort"

	"github.com/godoo/godoo/models/py"
)

// addMagicFields gives every model the fields Odoo adds to all of them.
func addMagicFields(m *Model) {
	if m.Abstract {
		return // Odoo's abstract models have no fields of their own
	}
	if m.Fields["id"] == nil {
		m.AddField(&Field{Name: "id", Type: Integer, String: "ID", Column: "id", Readonly: true})
	}
	if m.Fields["display_name"] == nil {
		m.AddField(&Field{Name: "display_name", Type: Char, String: "Display Name", Readonly: true})
	}
	if !m.LogAccess() {
		return
	}
	for _, f := range []*Field{
		{Name: "create_uid", Type: Many2one, Relation: "res.users", String: "Created by", Column: "create_uid", Readonly: true},
		{Name: "create_date", Type: Datetime, String: "Created on", Column: "create_date", Readonly: true},
		{Name: "write_uid", Type: Many2one, Relation: "res.users", String: "Last Updated by", Column: "write_uid", Readonly: true},
		{Name: "write_date", Type: Datetime, String: "Last Updated on", Column: "write_date", Readonly: true},
	} {
		if m.Fields[f.Name] == nil {
			m.AddField(f)
		}
	}
}

// baseMethods are the methods every model answers over RPC, with Odoo 18's
// signatures.
func baseMethods() []*Method {
	return []*Method{
		{Name: "search", Class: "BaseModel", Params: []string{"domain", "offset", "limit", "order"}, Required: 1, Op: OpRead, ReadOnly: true, Fn: rpcSearch},
		{Name: "search_fetch", Class: "BaseModel", Params: []string{"domain", "field_names", "offset", "limit", "order"}, Required: 2, Op: OpRead, ReadOnly: true, Fn: rpcSearchFetch},
		{Name: "search_count", Class: "BaseModel", Params: []string{"domain", "limit"}, Required: 1, Op: OpRead, ReadOnly: true, Fn: rpcSearchCount},
		{Name: "read", Class: "BaseModel", Params: []string{"fields", "load"}, Record: true, Op: OpRead, ReadOnly: true, Fn: rpcRead},
		{Name: "search_read", Class: "BaseModel", Params: []string{"domain", "fields", "offset", "limit", "order", "load"}, Op: OpRead, ReadOnly: true, Fn: rpcSearchRead},
		{Name: "create", Class: "BaseModel", Params: []string{"vals_list"}, Required: 1, Op: OpCreate, Fn: rpcCreate},
		{Name: "write", Class: "BaseModel", Params: []string{"vals"}, Required: 1, Record: true, Op: OpWrite, Fn: rpcWrite},
		{Name: "unlink", Class: "BaseModel", Record: true, Op: OpUnlink, Fn: rpcUnlink},
		{Name: "exists", Class: "BaseModel", Record: true, Op: OpRead, ReadOnly: true, Fn: rpcExists},
		{Name: "fields_get", Class: "BaseModel", Params: []string{"allfields", "attributes"}, ReadOnly: true, Fn: rpcFieldsGet},
		// Odoo 18.0 names name_search's domain args, and refuses domain
		// over execute_kw; 18.3 and JSON-2 call it domain.
		{Name: "name_search", Class: "BaseModel", Params: []string{"name", "args", "operator", "limit"}, Aliases: map[string]string{"domain": "args"},
			Op: OpRead, ReadOnly: true, Fn: rpcNameSearch},
		{Name: "check_access_rights", Class: "BaseModel", Params: []string{"operation", "raise_exception"}, Required: 1, ReadOnly: true, Fn: rpcCheckAccessRights},
	}
}

// intArg reads an optional integer argument; false and null mean 0 (no
// limit, no offset), anything else that is not an integer is refused.
func intArg(a Args, name string) (int64, error) {
	if !py.Truthy(a[name]) {
		return 0, nil // false, null, 0, {}, [] and "" are Python-falsy: no limit
	}
	switch v := a[name].(type) {
	case int64:
		return v, nil
	case float64:
		if n, ok := ToInt64(v); ok {
			return n, nil
		}
	case map[string]any:
		// Odoo hands the value to the database driver, which has no SQL
		// for a dict (a dict given positionally where a context was meant
		// lands here).
		return 0, ServerErrorf("psycopg2.ProgrammingError", "can't adapt type 'dict'")
	}
	return 0, ServerErrorf("builtins.TypeError", "%s must be an integer, not %s", name, py.Repr(a[name]))
}

func strArg(a Args, name string) string {
	s, _ := a[name].(string)
	return s
}

// fieldNamesArg reads the field names of read, search_read and
// default_get, which Odoo iterates: a string given instead of a list is
// its characters, as in Python ("name" asks for the fields n, a, m, e).
func fieldNamesArg(a Args, name string) ([]string, error) {
	s, ok := a[name].(string)
	if !ok || s == "" {
		return fieldsArg(a, name)
	}
	out := make([]string, 0, len(s))
	for _, r := range s {
		out = append(out, string(r))
	}
	return out, nil
}

// fieldsArg reads a list of field names; false, null and [] mean all fields.
func fieldsArg(a Args, name string) ([]string, error) {
	switch v := a[name].(type) {
	case nil, bool:
		return nil, nil
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, ServerErrorf("builtins.TypeError", "field names must be strings, not %s", py.Repr(e))
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, ServerErrorf("builtins.TypeError", "fields must be a list of field names")
}

// loadArg tells whether read gives many2one values as [id, name]: only
// for load='_classic_read', the default, as Odoo's _read_format; any other
// value ('_classic_write', None, False) gives bare ids.
func loadArg(a Args) bool {
	v, given := a["load"]
	if !given {
		return true
	}
	s, _ := v.(string)
	return s == "_classic_read"
}

func searchOptions(a Args) (SearchOptions, error) {
	offset, err := intArg(a, "offset")
	if err != nil {
		return SearchOptions{}, err
	}
	limit, err := intArg(a, "limit")
	if err != nil {
		return SearchOptions{}, err
	}
	order, ok := a["order"].(string)
	if !ok && py.Truthy(a["order"]) {
		return SearchOptions{}, ServerErrorf("builtins.TypeError", "order must be a string, not %s", py.Repr(a["order"]))
	}
	return SearchOptions{Offset: offset, Limit: limit, Order: order}, nil
}

func rpcSearch(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	o, err := searchOptions(a)
	if err != nil {
		return nil, err
	}
	return env.Search(ctx, m, a["domain"], o)
}

// rpcSearchFetch is search_fetch: a search that also loads field_names
// into Odoo's cache. Over RPC its recordset is its ids; the fields are
// checked as a read would check them.
func rpcSearchFetch(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error) {
	fields, err := fieldNamesArg(a, "field_names")
	if err != nil {
		return nil, err
	}
	if _, err := env.readFields(ctx, m, fields); err != nil {
		return nil, err
	}
	return rpcSearch(ctx, env, m, ids, a)
}

func rpcSearchCount(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	limit, err := intArg(a, "limit")
	if err != nil {
		return nil, err
	}
	return env.SearchCount(ctx, m, a["domain"], limit)
}

func rpcRead(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error) {
	fields, err := fieldNamesArg(a, "fields")
	if err != nil {
		return nil, err
	}
	if fields, err = env.readFields(ctx, m, fields); err != nil {
		return nil, err
	}
	recs, err := env.read(ctx, m, ids, fields, loadArg(a))
	if err != nil {
		return nil, err
	}
	return rowsAnswer(byIDs(recs, ids), fields), nil
}

func rpcSearchRead(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	fields, err := fieldNamesArg(a, "fields")
	if err != nil {
		return nil, err
	}
	o, err := searchOptions(a)
	if err != nil {
		return nil, err
	}
	return env.searchReadAnswer(ctx, m, a["domain"], o, fields, loadArg(a))
}

// rpcCreate returns an id for one dict and a list of ids for a list, as
// Odoo's call_kw adapts create's result.
func rpcCreate(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	switch v := a["vals_list"].(type) {
	case map[string]any:
		return env.Create(ctx, m, v)
	case []any:
		// Every value is checked before any record is made; Odoo reads
		// each with .get, which only a dict has.
		for _, e := range v {
			if _, ok := e.(map[string]any); !ok {
				return nil, noGet(e)
			}
		}
		ids := make([]int64, 0, len(v))
		for _, e := range v {
			id, err := env.Create(ctx, m, e.(map[string]any))
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, nil
	case string:
		// Odoo iterates a string given for the list: its characters.
		if v == "" {
			return []int64{}, nil
		}
		return nil, noGet(v[:1])
	}
	return nil, ServerErrorf("builtins.TypeError", "'%s' object is not iterable", py.TypeName(a["vals_list"]))
}

// noGet is Python's AttributeError for a value of create's list that is no
// dict.
func noGet(v any) error {
	return ServerErrorf("builtins.AttributeError", "'%s' object has no attribute 'get'", py.TypeName(v))
}

func rpcWrite(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error) {
	vals, ok := a["vals"].(map[string]any)
	if !ok && m.Overrides["write"].DictGet {
		return nil, noGet(a["vals"])
	}
	if !ok {
		return nil, ServerErrorf("builtins.TypeError", "write() expects a dictionary of values, got %s", py.Repr(a["vals"]))
	}
	return true, env.Write(ctx, m, ids, vals)
}

func rpcUnlink(ctx context.Context, env *Env, m *Model, ids []int64, _ Args) (any, error) {
	return true, env.Unlink(ctx, m, ids)
}

func rpcExists(ctx context.Context, env *Env, m *Model, ids []int64, _ Args) (any, error) {
	return env.Exists(ctx, m, ids)
}

func rpcCheckAccessRights(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	op := Op(strArg(a, "operation"))
	raise := !a.Has("raise_exception") || py.Truthy(a["raise_exception"])
	if raise {
		// Odoo 18's check_access_rights returns check_access's None: a
		// JSON-RPC answer without result, a fault over XML-RPC.
		return nil, env.CheckAccess(ctx, m, op)
	}
	return env.HasAccess(ctx, m, op)
}

// rpcNameSearch returns [id, display_name] pairs whose name matches.
func rpcNameSearch(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	op := strArg(a, "operator")
	if op == "" {
		op = "ilike"
	}
	limit := int64(100)
	if a.Has("limit") {
		var err error
		if limit, err = intArg(a, "limit"); err != nil {
			return nil, err
		}
	}
	domain, err := domainList(a["args"])
	if err != nil {
		return nil, err
	}
	name := strArg(a, "name")
	var ids []int64
	full := false // the records found first fill the limit
	if m.NameSearchFirst != nil && name != "" && !negativeOps[op] && limit >= 0 {
		// Records whose code is the name come first (Odoo's countries
		// and states), then the others whose name matches.
		if first := m.NameSearchFirst(name, op); first != nil {
			if ids, err = env.Search(ctx, m, append(append([]any{"&"}, first...), wrapDomain(domain)...), SearchOptions{Limit: limit}); err != nil {
				return nil, err
			}
			if len(ids) > 0 {
				domain = append([]any{"&", []any{"id", "not in", IDArgs(ids)}}, wrapDomain(domain)...)
				if limit > 0 && int64(len(ids)) >= limit {
					full = true
				} else if limit > 0 {
					limit -= int64(len(ids))
				}
			}
		}
	}
	if name != "" || op != "ilike" && op != "like" {
		domain = append([]any{"&", []any{"display_name", op, name}}, wrapDomain(domain)...)
	}
	if !full {
		more, err := env.Search(ctx, m, domain, SearchOptions{Limit: limit})
		if err != nil {
			return nil, err
		}
		ids = append(ids, more...)
	}
	names, err := env.DisplayNames(ctx, m, ids)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, []any{id, names[id]})
	}
	return out, nil
}

// wrapDomain makes a domain usable as one operand of '&': the implicit ANDs
// between its top-level expressions are made explicit.
func wrapDomain(d []any) []any {
	if len(d) == 0 {
		return []any{[]any{int64(1), "=", int64(1)}}
	}
	n := 0 // top-level expressions, counted as the compiler's stack would
	for i := len(d) - 1; i >= 0; i-- {
		switch d[i] {
		case "&", "|":
			n--
		case "!":
		default:
			n++
		}
	}
	if n <= 1 {
		return d
	}
	out := make([]any, 0, len(d)+n-1)
	for i := 1; i < n; i++ {
		out = append(out, "&")
	}
	return append(out, d...)
}

// rpcFieldsGet describes the fields, optionally only some of them and only
// some attributes, as Odoo orders them: fields in the model's order
// (whatever the order asked), attributes by name.
func rpcFieldsGet(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	names, err := fieldsArg(a, "allfields")
	if err != nil {
		return nil, err
	}
	attrs, err := fieldsArg(a, "attributes")
	if err != nil {
		return nil, err
	}
	out := NewDict(len(m.FieldOrder))
	for _, n := range m.FieldOrder {
		if len(names) > 0 && !contains(names, n) {
			continue
		}
		f := m.Fields[n]
		if ok, err := env.hasFieldAccess(ctx, f); err != nil {
			return nil, err
		} else if !ok {
			continue // Odoo hides what the user may not access
		}
		desc := f.describe()
		if f.SelectionRecords != nil && (len(attrs) == 0 || contains(attrs, "selection")) {
			sel, err := env.selectionOf(ctx, f)
			if err != nil {
				return nil, err
			}
			desc = describeSelection(desc, sel)
		}
		if len(attrs) > 0 {
			asked := NewDict(len(attrs))
			for k, v := range desc.All() {
				if contains(attrs, k) {
					asked.Set(k, v)
				}
			}
			desc = asked
		}
		out.Set(n, desc)
	}
	return out, nil
}

// describe is the field's fields_get description: the one its declaration
// gives, or else the one the engine derives.
func (f *Field) describe() *Dict {
	if f.Described != nil {
		desc := NewDict(len(f.Described) + 1)
		help := f.Help != "" // godoo's own words, in their place by name
		for _, a := range f.Described {
			if help && a.Name > "help" {
				desc.Set("help", f.Help)
				help = false
			}
			desc.Set(a.Name, a.Value)
		}
		if help {
			desc.Set("help", f.Help)
		}
		return desc
	}
	desc := map[string]any{
		"type": f.Type, "string": f.String, "required": f.Required, "readonly": f.Readonly,
		"store": f.describedStored(), "searchable": f.searchable(), "sortable": f.sortable(), "name": f.Name,
	}
	if f.Help != "" {
		desc["help"] = f.Help
	}
	if f.Relation != "" {
		desc["relation"] = f.Relation
		desc["context"] = map[string]any{}
		desc["domain"] = []any{}
	}
	if f.Type == One2many {
		desc["relation_field"] = f.InverseName
	}
	if f.Manual {
		desc["manual"] = true
	}
	switch {
	case f.Type == Float && len(f.Digits) == 2:
		desc["digits"] = []any{int64(f.Digits[0]), int64(f.Digits[1])}
	case f.Type == Monetary:
		desc["currency_field"] = f.currencyField()
	case f.Type == Many2oneReference:
		desc["model_field"] = f.ModelField
	case f.Type == Binary:
		desc["attachment"] = f.Attachment
	}
	switch f.Aggregator {
	case "", noAggregator:
	case falseAggregator:
		desc["aggregator"] = false
	default:
		desc["aggregator"] = f.Aggregator
	}
	if f.Type == Selection || f.Type == Reference && len(f.Selection) > 0 {
		sel := make([]any, len(f.Selection))
		for i, o := range f.Selection {
			sel[i] = []any{o[0], o[1]}
		}
		desc["selection"] = sel
	}
	return sortedDict(desc)
}

// sortedDict is m as a Dict in key order, the order of Odoo's field
// descriptions (attributes as Python's dir() lists them).
func sortedDict(m map[string]any) *Dict {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	values := make([]any, len(keys))
	for i, k := range keys {
		values[i] = m[k]
	}
	return DictOf(keys, values)
}
