package models

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	// Time zone names of a context are known even where the host has no
	// zoneinfo, as PostgreSQL knows them.
	_ "time/tzdata"

	"github.com/godoo/godoo/models/py"
)

// moreMethods are the rest of Odoo 18's public BaseModel API that scripts
// call over RPC.
func moreMethods() []*Method {
	return []*Method{
		{Name: "copy", Class: "BaseModel", Params: []string{"default"}, Record: true, Op: OpCreate, Fn: rpcCopy},
		{Name: "name_create", Class: "BaseModel", Params: []string{"name"}, Required: 1, Op: OpCreate, Fn: rpcNameCreate},
		{Name: "default_get", Class: "BaseModel", Params: []string{"fields_list"}, Required: 1, ReadOnly: true, Fn: DefaultGet},
		{Name: "has_access", Class: "BaseModel", Params: []string{"operation"}, Required: 1, Record: true, ReadOnly: true, Fn: rpcHasAccess},
		{Name: "check_access", Class: "BaseModel", Params: []string{"operation"}, Required: 1, Record: true, ReadOnly: true, Fn: rpcCheckAccess},
		{Name: "get_metadata", Class: "BaseModel", Record: true, Op: OpRead, Fn: rpcGetMetadata},
		{Name: "read_group", Class: "BaseModel", Params: []string{"domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"}, Required: 3, Op: OpRead, ReadOnly: true, Fn: rpcReadGroup},
	}
}

// copyExcluded are fields a copy never takes from the original.
var copyExcluded = map[string]bool{"id": true, "create_uid": true, "create_date": true, "write_uid": true,
	"write_date": true, "display_name": true}

// rpcCopy duplicates records (Odoo 18 returns the list of new ids). One2many
// lines are not copied, as Odoo's default copy=False on them; many2many links
// are; default overrides values.
func rpcCopy(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error) {
	def, _ := a["default"].(map[string]any)
	if a["default"] != nil && a["default"] != false && def == nil {
		return nil, ServerErrorf("builtins.TypeError", "default must be a dictionary")
	}
	// The record a model delegates to is not shared with the copy: the
	// copy gets a new one, made from the delegated fields copied (Odoo's
	// copy_data leaves the _inherits many2ones out).
	delegation := map[string]bool{}
	for _, field := range m.Inherits {
		delegation[field] = true
	}
	var names []string
	for _, n := range m.FieldOrder {
		f := m.Fields[n]
		if copyExcluded[n] || delegation[n] && def[n] == nil || f.Type == Many2many && f.Related != nil || f.NoCopy || f.Type == One2many || f.WriteOnly || f.valueless() || f.Compute != nil || (!f.Stored() && f.Type != Many2many && f.Related == nil) {
			continue
		}
		names = append(names, n)
	}
	recs, err := env.Read(ctx, m, ids, names, false)
	if err != nil {
		return nil, err
	}
	if len(recs) != len(UniqueIDs(ids)) {
		return nil, env.checkExist(ctx, m, ids, "copy")
	}
	out := make([]int64, 0, len(recs))
	for _, r := range recs {
		vals := map[string]any{}
		for _, n := range names {
			f := m.Fields[n]
			v := r[n]
			if f.Type == Many2many {
				vals[n] = []any{[]any{int64(6), int64(0), v}}
				continue
			}
			if v == false && f.Type != Boolean {
				continue
			}
			vals[n] = v
		}
		// The fields the model marks as a copy's (Odoo's copy_data
		// overrides: a partner's name, a user's name and login), unless
		// default gives them.
		for _, n := range m.CopyMarked {
			if s, ok := vals[n].(string); ok {
				if _, given := def[n]; !given {
					vals[n] = s + " (copy)"
				}
			}
		}
		if m.CopyData != nil {
			if err := m.CopyData(ctx, env, r["id"].(int64), vals, def); err != nil {
				return nil, err
			}
		}
		for k, v := range def {
			vals[k] = v
		}
		id, err := env.Create(ctx, m, vals)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// rpcNameCreate creates a record from its name and returns [id, display_name].
func rpcNameCreate(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	f := m.Fields[m.RecName]
	if f == nil || (!f.Stored() && f.Related == nil) {
		return nil, UserErrorf("Cannot execute name_create, no _rec_name defined on %s", m.Name)
	}
	name, _ := a["name"].(string)
	vals := map[string]any{m.RecName: name}
	if m.NameCreateValues != nil {
		vals = m.NameCreateValues(name)
	}
	return env.CreateNamed(ctx, m, vals)
}

// CreateNamed creates a record of m with vals and answers as name_create
// does: its id and display name.
func (env *Env) CreateNamed(ctx context.Context, m *Model, vals map[string]any) ([]any, error) {
	id, err := env.Create(ctx, m, vals)
	if err != nil {
		return nil, err
	}
	names, err := env.DisplayNames(ctx, m, []int64{id})
	if err != nil {
		return nil, err
	}
	return []any{id, names[id]}, nil
}

// DefaultGet is default_get every model has: the defaults of the named
// fields that have one, a *Dict in the order they were named. A model's
// own default_get starts from it.
func DefaultGet(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	names, err := fieldNamesArg(a, "fields_list")
	if err != nil {
		return nil, err
	}
	// The values come in the order the fields were asked, as Odoo's dict.
	out := NewDict(len(names))
	for _, n := range names {
		f := m.Fields[n]
		if f == nil {
			continue
		}
		if v, ok := f.contextDefault(ctx, env); ok {
			if f.Type == One2many || f.Type == Many2many {
				v = setDefault(v)
			}
			out.Set(n, v)
			continue
		}
		if !f.CompanyDependent {
			continue
		}
		v, err := env.companyDefault(ctx, f)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out.Set(n, v)
		}
	}
	return out, nil
}

// setDefault is an x2many default as Odoo's default_get answers it, having
// passed it through the record cache so that the web client, which reads
// only [6, 0, ids], understands a context's default_groups_id=[[4, a],
// [4, b]] or [a, b]: the ids the commands leave linked as one set command,
// followed by the records they create.
func setDefault(v any) any {
	list, _ := v.([]any)
	ids := []any{}
	var creates []any
	has := func(id int64) int {
		return slices.IndexFunc(ids, func(x any) bool { return x == id })
	}
	link := func(x any) {
		if id, ok := ToInt64(x); ok && has(id) < 0 {
			ids = append(ids, id)
		}
	}
	for _, c := range list {
		cmd, ok := c.([]any)
		if !ok {
			link(c)
			continue
		}
		if len(cmd) == 0 {
			continue
		}
		op, _ := ToInt64(cmd[0])
		switch {
		case op == 0:
			creates = append(creates, c)
		case (op == 1 || op == 4) && len(cmd) > 1:
			link(cmd[1])
		case (op == 2 || op == 3) && len(cmd) > 1:
			if id, ok := ToInt64(cmd[1]); ok {
				if i := has(id); i >= 0 {
					ids = slices.Delete(ids, i, i+1)
				}
			}
		case op == 5:
			ids = []any{}
		case op == 6 && len(cmd) > 2:
			ids = []any{}
			set, _ := cmd[2].([]any)
			for _, x := range set {
				link(x)
			}
		}
	}
	return append([]any{[]any{int64(6), int64(0), ids}}, creates...)
}

func rpcHasAccess(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error) {
	op := Op(strArg(a, "operation"))
	ok, err := env.HasAccess(ctx, m, op)
	if err != nil || !ok {
		return false, err
	}
	if err := env.checkRule(ctx, m, ids, op); err != nil {
		if KindOf(err) == KindAccess {
			return false, nil
		}
		return nil, err
	}
	return true, nil
}

// rpcCheckAccess raises AccessError when op is refused, and returns None
// otherwise, as Odoo 18.
func rpcCheckAccess(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error) {
	op := Op(strArg(a, "operation"))
	if err := env.CheckAccess(ctx, m, op); err != nil {
		return nil, err
	}
	if err := env.checkRule(ctx, m, ids, op); err != nil {
		return nil, err
	}
	// Odoo 18's check_access returns None: a JSON-RPC answer without
	// result, a fault over XML-RPC.
	return nil, nil
}

// groupSpec is one groupby: a field and, for dates, a granularity.
type groupSpec struct {
	field *Field
	gran  string
	key   string // as the client wrote it
	// tz is the context's time zone, in which datetimes are grouped by
	// period; nil for UTC.
	tz *time.Location
	// pos is the 1-based position of the group's column in the query.
	pos int
	// weekStart is the first day of a week group (1 Monday ... 7 Sunday),
	// the language's.
	weekStart int
	// col is the SQL of a company-dependent field's value (Env.colExpr);
	// "" for the field's column.
	col string
}

// rpcReadGroup implements read_group as in Odoo 18.0: groups of records with
// counts, aggregates and the domain of each group.
func rpcReadGroup(ctx context.Context, env *Env, m *Model, _ []int64, a Args) (any, error) {
	fields, err := fieldsArg(a, "fields")
	if err != nil {
		return nil, err
	}
	groupby, err := fieldsArg(a, "groupby")
	if err != nil {
		return nil, err
	}
	lazy := !a.Has("lazy") || py.Truthy(a["lazy"])
	allGroupby := groupby
	if lazy && len(groupby) > 1 {
		groupby = groupby[:1]
	}
	// A lazy read_group groups by the first grouping only and tells, in
	// __context, the groupings left to open each group with.
	withContext, withRange := lazy && len(allGroupby) > 1, false
	var specs []groupSpec
	for _, g := range groupby {
		name, gran, _ := strings.Cut(g, ":")
		f := m.Fields[name]
		if f == nil {
			return nil, ServerErrorf("builtins.ValueError", "Invalid field %s on model %s", py.Repr(name), py.Repr(m.Name))
		}
		if err := env.checkFieldAccess(ctx, m, f, "read"); err != nil {
			return nil, err
		}
		if !f.Stored() && f.Type != Many2many {
			return nil, notStored(m, f)
		}
		if err := checkGranularity(f, g, gran); err != nil {
			return nil, err
		}
		if (f.Type == Date || f.Type == Datetime) && gran == "" {
			gran = "month"
		}
		spec := groupSpec{field: f, gran: gran, key: g, pos: len(specs) + 1}
		if f.CompanyDependent {
			if spec.col, err = env.colExpr(ctx, f, "t0"); err != nil {
				return nil, err
			}
		}
		if f.Type == Datetime {
			spec.tz = env.contextTZ()
		}
		if gran == "week" {
			if spec.weekStart, err = env.weekStart(ctx); err != nil {
				return nil, err
			}
		}
		specs = append(specs, spec)
	}
	var aggs []agg
	for _, spec := range fields {
		name, fn, _ := strings.Cut(spec, ":")
		alias := name
		if i := strings.Index(fn, "("); i >= 0 && strings.HasSuffix(fn, ")") {
			// 'alias:agg(field)'
			alias, name, fn = name, fn[i+1:len(fn)-1], fn[:i]
		}
		f := m.Fields[name]
		if f == nil {
			return nil, ServerErrorf("builtins.ValueError", "Invalid field %s on model %s", py.Repr(name), py.Repr(m.Name))
		}
		if err := env.checkFieldAccess(ctx, m, f, "read"); err != nil {
			return nil, err
		}
		if fn == "" {
			if fn = f.defaultAggregate(); fn == "" {
				continue // fields without an aggregator are not aggregated by default
			}
		}
		if !f.Stored() {
			return nil, notStored(m, f)
		}
		expr, err := env.aggregateExpr(ctx, f, fn)
		if err != nil {
			return nil, err
		}
		aggs = append(aggs, agg{out: alias, field: name, fn: fn, col: expr, exact: f.Numeric && (fn == "sum" || fn == "avg")})
	}
	order, err := env.readGroupOrder(ctx, m, specs, aggs, strArg(a, "orderby"))
	if err != nil {
		return nil, err
	}
	offset, err := intArg(a, "offset")
	if err != nil {
		return nil, err
	}
	limit, err := intArg(a, "limit")
	if err != nil {
		return nil, err
	}
	w, err := env.compileDomain(ctx, m, "t0", a["domain"], true)
	if err != nil {
		return nil, err
	}
	if w, err = env.withRule(ctx, m, w); err != nil {
		return nil, err
	}
	// Groups are named by their position in GROUP BY and ORDER BY: a time
	// zone travels as an argument, and PostgreSQL would not see two
	// arguments as the same expression.
	var sel, grp []string
	var args []any
	for _, s := range specs {
		e, eargs := env.groupExpr(s)
		sel = append(sel, e)
		args = append(args, eargs...)
		grp = append(grp, strconv.Itoa(s.pos))
	}
	sel = append(sel, "COUNT(*)")
	for _, ag := range aggs {
		sel = append(sel, ag.col)
	}
	// Exact sums and averages are made from the sum and the count, read
	// after the aggregates.
	for i := range aggs {
		if aggs[i].exact {
			aggs[i].at = len(sel)
			col, err := env.colExpr(ctx, m.Fields[aggs[i].field], "t0")
			if err != nil {
				return nil, err
			}
			sel = append(sel, exactSQL(env.Dialect, col)...)
		}
	}
	from := m.Table + " t0"
	for _, s := range specs {
		join, jargs, err := env.groupJoin(ctx, m, w, s)
		if err != nil {
			return nil, err
		}
		from += join
		args = append(args, jargs...)
	}
	args = append(args, w.args...)
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + from + " WHERE " + w.sql
	if len(grp) > 0 {
		q += " GROUP BY " + strings.Join(grp, ", ")
	}
	if order != "" {
		q += " ORDER BY " + order
	}
	paging, err := env.pagingSQL(offset, limit)
	if err != nil {
		return nil, err
	}
	rows, err := env.Query(ctx, q+paging, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var groups []Record
	vals := make([]any, len(sel))
	ptrs := make([]any, len(sel))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	domain, _ := domainList(a["domain"])
	countKey := "__count"
	if lazy && len(specs) == 1 {
		countKey = specs[0].field.Name + "_count"
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		g := Record{}
		gdoms := make([][]any, 1, len(specs)+1)
		gdoms[0] = domain
		for i, s := range specs {
			v := vals[i]
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			val, cond, period := env.groupValue(s, v)
			g[s.key] = val
			gdoms = append(gdoms, cond)
			if period != nil {
				if g["__range"] == nil {
					g["__range"] = NewDict(len(specs))
				}
				g["__range"].(*Dict).Set(s.key, period)
			}
		}
		count, _ := ToInt64(vals[len(specs)])
		g[countKey] = count
		for i, ag := range aggs {
			v := vals[len(specs)+1+i]
			if ag.fn == "count" || ag.fn == "count_distinct" {
				n, _ := ToInt64(v)
				g[ag.out] = n
			} else if f := m.Fields[ag.out]; f != nil && f.Type == Integer && ag.fn != "avg" {
				n, _ := ToInt64(v)
				g[ag.out] = n
			} else if v == nil {
				g[ag.out] = false
			} else if ag.exact {
				g[ag.out] = exactAggregate(ag.fn, vals[ag.at], vals[ag.at+1], vals[ag.at+2])
			} else {
				x, _ := toFloat(v)
				g[ag.out] = x
			}
		}
		g["__domain"] = andDomains(gdoms...)
		if withContext {
			g["__context"] = map[string]any{"group_by": toAnyStrings(allGroupby[1:])}
		}
		if g["__range"] != nil {
			withRange = true
		}
		groups = append(groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, env.Classify(err)
	}
	if err := env.nameGroups(ctx, specs, groups); err != nil {
		return nil, err
	}
	return dictRows(groups, groupKeys(specs, countKey, aggs, withContext, withRange)), nil
}

// agg is one aggregate of read_group: the key it is returned under, the
// field and function, and its SQL.
type agg struct {
	out, field, fn, col string
	// exact aggregates are computed from the columns of exactSQL read at
	// at, as decimals (Field.Numeric).
	exact bool
	at    int
}

// aggregateExpr is the SQL of aggregating f with fn, on either dialect.
func (env *Env) aggregateExpr(ctx context.Context, f *Field, fn string) (string, error) {
	sqlFn := map[string]string{"sum": "SUM", "avg": "AVG", "min": "MIN", "max": "MAX", "count": "COUNT",
		"count_distinct": "COUNT(DISTINCT", "bool_and": "BOOL_AND", "bool_or": "BOOL_OR"}[fn]
	if sqlFn == "" || !f.Stored() {
		return "", ServerErrorf("builtins.ValueError", "Invalid aggregation function %s.", py.Repr(fn))
	}
	if env.Dialect == "sqlite" && (fn == "bool_and" || fn == "bool_or") {
		sqlFn = map[string]string{"bool_and": "MIN", "bool_or": "MAX"}[fn]
	}
	col, err := env.colExpr(ctx, f, "t0")
	if err != nil {
		return "", err
	}
	if fn == "count_distinct" {
		return "COUNT(DISTINCT " + col + ")", nil
	}
	return sqlFn + "(" + col + ")", nil
}

// readGroupOrder renders read_group's orderby as Odoo 18 reads it: each
// term is a groupby as given (a date field grouped without granularity by
// its name), "__count", an aggregate "field:function", or the name of an
// aggregated field; many2one groups sort by the comodel's order. Without
// orderby, groups sort by the groupbys in turn.
func (env *Env) readGroupOrder(ctx context.Context, m *Model, specs []groupSpec, aggs []agg, orderby string) (string, error) {
	if strings.TrimSpace(orderby) == "" {
		keys := make([]string, len(specs))
		for i, s := range specs {
			keys[i] = s.key
		}
		orderby = strings.Join(keys, ",")
	}
	if orderby == "" {
		return "", nil
	}
	var parts []string
	for _, part := range strings.Split(orderby, ",") {
		words := strings.Fields(part)
		if len(words) == 0 || len(words) > 4 {
			return "", ServerErrorf("builtins.ValueError", "Invalid order %s for _read_group()", py.Repr(orderby))
		}
		term, dir, nulls := words[0], "ASC", ""
		rest := words[1:]
		if len(rest) > 0 && (strings.EqualFold(rest[0], "asc") || strings.EqualFold(rest[0], "desc")) {
			dir, rest = strings.ToUpper(rest[0]), rest[1:]
		}
		if len(rest) == 2 && strings.EqualFold(rest[0], "nulls") && (strings.EqualFold(rest[1], "first") || strings.EqualFold(rest[1], "last")) {
			nulls, rest = " NULLS "+strings.ToUpper(rest[1]), nil
		}
		if len(rest) != 0 {
			return "", ServerErrorf("builtins.ValueError", "Invalid order %s for _read_group()", py.Repr(orderby))
		}
		if nulls == "" {
			// PostgreSQL's default, which Odoo's groups follow: the group
			// of empty values last, first when descending.
			nulls = nullsOf(env.Dialect, dir)
		}
		expr, err := env.readGroupOrderTerm(ctx, m, specs, aggs, term, dir, nulls)
		if err != nil {
			return "", err
		}
		if expr == "" {
			return "", ServerErrorf("builtins.ValueError", "Order term %s is not a valid aggregate nor valid groupby", py.Repr(strings.TrimSpace(part)))
		}
		parts = append(parts, expr)
	}
	return strings.Join(parts, ", "), nil
}

// readGroupOrderTerm is the ORDER BY item of one term, "" when the term is
// neither a groupby nor an aggregate.
func (env *Env) readGroupOrderTerm(ctx context.Context, m *Model, specs []groupSpec, aggs []agg, term, dir, nulls string) (string, error) {
	for _, s := range specs {
		if s.key != term {
			continue
		}
		// A many2one sorts by its comodel's order; a many2many's links
		// sort by their ids, as Odoo 18's.
		if s.field.Type == Many2one && s.gran == "" {
			col, colErr := env.orderCols(ctx)
			terms := many2oneOrder(env.Registry, env.Dialect, "t0", s.field, dir, nulls, col)
			return strings.Join(terms, ", "), *colErr
		}
		return strconv.Itoa(s.pos) + " " + dir + nulls, nil
	}
	if term == "__count" {
		return "COUNT(*) " + dir + nulls, nil
	}
	for _, ag := range aggs {
		if ag.field == term || ag.out == term {
			return ag.col + " " + dir + nulls, nil
		}
	}
	name, fn, ok := strings.Cut(term, ":")
	f := m.Fields[name]
	if !ok || f == nil {
		return "", nil
	}
	if err := env.checkFieldAccess(ctx, m, f, "read"); err != nil {
		return "", err
	}
	expr, err := env.aggregateExpr(ctx, f, fn)
	if err != nil {
		return "", nil
	}
	return expr + " " + dir + nulls, nil
}

func toAnyStrings(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// contextTZ is the context's tz when it names a time zone, else nil (UTC).
func (env *Env) contextTZ() *time.Location {
	name, _ := env.Context["tz"].(string)
	if name == "" || name == "Local" {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil // Odoo ignores a tz that pytz does not know
	}
	return loc
}

// nameGroups replaces many2one group values by [id, display_name].
func (env *Env) nameGroups(ctx context.Context, specs []groupSpec, groups []Record) error {
	for _, s := range specs {
		if s.field.Type != Many2one && s.field.Type != Many2many {
			continue
		}
		var ids []int64
		for _, g := range groups {
			if id, ok := g[s.key].(int64); ok {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			continue
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		names, err := env.Sudo().DisplayNames(ctx, env.Registry.Model(s.field.Relation), UniqueIDs(ids))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if id, ok := g[s.key].(int64); ok {
				g[s.key] = []any{id, names[id]}
			}
		}
	}
	return nil
}
