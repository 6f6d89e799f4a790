package models

import (
	"context"
	"sort"

	"github.com/godoo/godoo/models/py"
)

// The web client's read API (Odoo 17+, addons/web/models/models.py), which
// libraries speaking the web protocol also call: web_read reads records along
// a specification, a dict of field names to sub-specifications, and
// web_search_read searches then reads that way, with the total count.
//
// A sub-specification may hold "fields" (a specification for the related
// records of a many2one, one2many or many2many), "context" (merged into the
// context those records are read with), and for x2many fields "order" and
// "limit" (only the first limit ids of each record are read; the others are
// given as {"id": id}).

// webMethods are the web module's methods on every model.
func webMethods() []*Method {
	return []*Method{
		{Name: "web_search_read", Class: "Base", Params: []string{"domain", "specification", "offset", "limit", "order", "count_limit"},
			Required: 2, Op: OpRead, ReadOnly: true, Fn: rpcWebSearchRead},
		{Name: "web_read", Class: "Base", Params: []string{"specification"}, Required: 1, Record: true,
			Op: OpRead, ReadOnly: true, Fn: rpcWebRead},
		{Name: "web_read_group", Class: "Base", Params: []string{"domain", "fields", "groupby", "limit", "offset", "orderby", "lazy"},
			Required: 3, Op: OpRead, ReadOnly: true, Fn: rpcWebReadGroup},
	}
}

// rpcWebSearchRead returns {"length": n, "records": [...]}. length is the
// number of records read plus offset, unless the page is full (then the
// matching records are counted, up to count_limit) or the context has
// force_search_count.
func rpcWebSearchRead(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	spec, names, err := specArg(ctx, a["specification"])
	if err != nil {
		return nil, err
	}
	o, err := searchOptions(a)
	if err != nil {
		return nil, err
	}
	countLimit, err := intArg(a, "count_limit")
	if err != nil {
		return nil, err
	}
	ids, err := env.Search(ctx, m, a["domain"], o)
	if err != nil {
		return nil, err
	}
	recs, err := env.webRead(ctx, m, ids, spec, names)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return map[string]any{"length": int64(0), "records": []any{}}, nil
	}
	length := int64(len(recs)) + o.Offset
	limitReached := o.Limit > 0 && int64(len(recs)) == o.Limit
	countLimitReached := countLimit != 0 && countLimit <= length // Python's truth test
	if o.Limit > 0 && (limitReached && !countLimitReached || py.Truthy(env.Context["force_search_count"])) {
		if length, err = env.SearchCount(ctx, m, a["domain"], countLimit); err != nil {
			return nil, err
		}
	}
	return map[string]any{"length": length, "records": recs}, nil
}

func rpcWebRead(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error) {
	spec, names, err := specArg(ctx, a["specification"])
	if err != nil {
		return nil, err
	}
	return env.webRead(ctx, m, ids, spec, names)
}

// specArg reads a specification: a dict of field names to dicts, and its
// field names in the order the request gave them.
func specArg(ctx context.Context, v any) (map[string]map[string]any, []string, error) {
	d, ok := v.(map[string]any)
	if !ok && v != nil && v != false {
		return nil, nil, ServerErrorf("builtins.AttributeError", "'%s' object has no attribute 'items'", py.TypeName(v))
	}
	out := make(map[string]map[string]any, len(d))
	for k, sub := range d {
		switch s := sub.(type) {
		case map[string]any:
			out[k] = s
		case nil:
			out[k] = map[string]any{}
		default:
			return nil, nil, ServerErrorf("builtins.AttributeError", "'%s' object has no attribute 'get'", py.TypeName(sub))
		}
	}
	return out, OrderedKeys(ctx, d), nil
}

// webRead reads ids along spec, whose fields are names in order. Each
// record is a dict of its id, then its fields in that order. Many2one
// values are bare ids unless their sub-specification has "fields", which
// makes them dicts (display_name read as the superuser, as Odoo does, and
// put last); x2many values are id lists unless "fields" makes them lists
// of dicts.
func (env *Env) webRead(ctx context.Context, m *Model, ids []int64, spec map[string]map[string]any, names []string) ([]any, error) {
	var recs []Record
	if len(names) == 0 {
		// Only the ids: Odoo answers from the ids it was given.
		recs = make([]Record, len(ids))
		for i, id := range ids {
			recs[i] = Record{"id": id}
		}
	} else {
		// The model's access right is checked here too, for the related
		// records that sub-specifications read.
		if err := env.CheckAccess(ctx, m, OpRead); err != nil {
			return nil, err
		}
		var err error
		if recs, err = env.Read(ctx, m, ids, names, false); err != nil {
			return nil, err
		}
	}
	for _, name := range names {
		f, sub := m.Fields[name], spec[name]
		switch f.Type {
		case Many2one:
			if err := env.webMany2one(ctx, f, sub, recs, name); err != nil {
				return nil, err
			}
		case One2many, Many2many:
			if err := env.webX2many(ctx, f, sub, recs, name); err != nil {
				return nil, err
			}
		}
	}
	keys := make([]string, 0, len(names)+1)
	keys = append(keys, "id")
	for _, name := range names {
		if name != "id" {
			keys = append(keys, name)
		}
	}
	out := make([]any, len(recs))
	for i, r := range recs {
		values := make([]any, len(keys))
		for j, k := range keys {
			values[j] = r[k]
		}
		out[i] = DictOf(keys, values)
	}
	return out, nil
}

// subEnv is env with the "context" of a sub-specification merged in. A
// context naming allowed_company_ids is held to the user's companies, as
// the call's own context is.
func (env *Env) subEnv(ctx context.Context, sub map[string]any) (*Env, error) {
	extra, ok := sub["context"].(map[string]any)
	if !ok || len(extra) == 0 {
		return env, nil
	}
	merged := make(map[string]any, len(env.Context)+len(extra))
	for k, v := range env.Context {
		merged[k] = v
	}
	for k, v := range extra {
		merged[k] = v
	}
	senv := env.WithContext(merged)
	if _, ok := extra["allowed_company_ids"]; ok {
		if err := senv.checkAllowedCompanies(ctx); err != nil {
			return nil, err
		}
	}
	return senv, nil
}

func (env *Env) webMany2one(ctx context.Context, f *Field, sub map[string]any, recs []Record, name string) error {
	raw, ok := sub["fields"]
	if !ok {
		return nil // the bare id read with load=None
	}
	fields, order, err := specArg(ctx, raw)
	if err != nil {
		return err
	}
	co := env.Registry.Model(f.Relation)
	var targets []int64
	for _, r := range recs {
		if id, ok := r[name].(int64); ok {
			targets = append(targets, id)
		}
	}
	targets = UniqueIDs(targets)
	if len(targets) == 0 {
		return nil
	}
	var extra []string
	for _, k := range order {
		if k != "display_name" {
			extra = append(extra, k)
		}
	}
	senv, err := env.subEnv(ctx, sub)
	if err != nil {
		return err
	}
	rows, err := senv.webRead(ctx, co, targets, fields, extra)
	if err != nil {
		return err
	}
	data := make(map[int64]*Dict, len(rows))
	for _, row := range rows {
		d := row.(*Dict)
		id, _ := d.Get("id")
		data[id.(int64)] = d
	}
	if _, ok := fields["display_name"]; ok {
		dn, err := senv.Sudo().DisplayNames(ctx, co, targets)
		if err != nil {
			return err
		}
		for id, d := range data {
			d.Set("display_name", dn[id])
		}
	}
	for _, r := range recs {
		if id, ok := r[name].(int64); ok {
			if d := data[id]; d != nil {
				r[name] = d
			} else {
				r[name] = DictOf([]string{"id"}, []any{id})
			}
		}
	}
	return nil
}

func (env *Env) webX2many(ctx context.Context, f *Field, sub map[string]any, recs []Record, name string) error {
	if len(sub) == 0 {
		return nil // the id lists read
	}
	co := env.Registry.Model(f.Relation)
	var all []int64
	for _, r := range recs {
		all = append(all, r[name].([]int64)...)
	}
	all = UniqueIDs(all)
	order, _ := sub["order"].(string)
	rawFields, hasFields := sub["fields"]
	// keep is the set of linked records the user may read, in the order
	// asked for; nil leaves the lists as read.
	var keep []int64
	filtered := false
	if len(all) > 0 && (order != "" || hasFields) {
		readable, err := env.HasAccess(ctx, co, OpRead)
		if err != nil {
			return err
		}
		switch {
		case order != "" && !readable:
			keep, filtered = []int64{}, true
		case readable:
			found, err := env.WithContext(map[string]any{"active_test": false}).Search(ctx, co,
				[]any{[]any{"id", "in", toAnyIDs(all)}}, SearchOptions{Order: order})
			switch {
			case err == nil:
				keep, filtered = found, true
			case order != "" && (KindOf(err) == KindAccess || KindOf(err) == KindUser):
				keep, filtered = []int64{}, true
			default:
				return err
			}
		}
	}
	if filtered {
		rank := make(map[int64]int, len(keep))
		for i, id := range keep {
			rank[id] = i
		}
		for _, r := range recs {
			var l []int64
			for _, id := range r[name].([]int64) {
				if _, ok := rank[id]; ok {
					l = append(l, id)
				}
			}
			if order != "" {
				sort.SliceStable(l, func(i, j int) bool { return rank[l[i]] < rank[l[j]] })
			}
			if l == nil {
				l = []int64{}
			}
			r[name] = l
		}
		all = keep
	}
	if !hasFields {
		return nil
	}
	fields, fieldOrder, err := specArg(ctx, rawFields)
	if err != nil {
		return err
	}
	toRead := all
	if lim, ok := sub["limit"]; ok && lim != nil {
		n, ok := ToInt64(lim)
		if !ok || isBool(lim) {
			return ServerErrorf("builtins.TypeError", "slice indices must be integers or None or have an __index__ method")
		}
		toRead = nil
		for _, r := range recs {
			l := r[name].([]int64)
			toRead = append(toRead, l[:min(int(max(n, 0)), len(l))]...)
		}
		toRead = UniqueIDs(toRead)
	}
	senv, err := env.subEnv(ctx, sub)
	if err != nil {
		return err
	}
	rows, err := senv.webRead(ctx, co, toRead, fields, fieldOrder)
	if err != nil {
		return err
	}
	data := make(map[int64]any, len(rows))
	for _, row := range rows {
		id, _ := row.(*Dict).Get("id")
		data[id.(int64)] = row
	}
	for _, r := range recs {
		l := r[name].([]int64)
		out := make([]any, len(l))
		for i, id := range l {
			if d, ok := data[id]; ok {
				out[i] = d
			} else {
				out[i] = DictOf([]string{"id"}, []any{id})
			}
		}
		r[name] = out
	}
	return nil
}

func toAnyIDs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
