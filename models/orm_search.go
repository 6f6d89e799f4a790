package models

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// SearchOptions are search's paging and ordering arguments.
type SearchOptions struct {
	Offset int64
	Limit  int64 // 0 means no limit
	Order  string
}

// Search returns the ids of m's records matching domain, with active_test.
func (env *Env) Search(ctx context.Context, m *Model, domain any, o SearchOptions) ([]int64, error) {
	q, args, err := env.searchQuery(ctx, m, domain, o, "t0.id")
	if err != nil {
		return nil, err
	}
	return env.Int64s(ctx, q, args...)
}

// searchQuery renders the search of m for domain and o, with the read rules
// applied, selecting cols (of alias t0).
func (env *Env) searchQuery(ctx context.Context, m *Model, domain any, o SearchOptions, cols string) (string, []any, error) {
	w, err := env.compileDomain(ctx, m, "t0", domain, true)
	if err != nil {
		return "", nil, err
	}
	if err := env.checkOrderAccess(ctx, m, o.Order); err != nil {
		return "", nil, err
	}
	if w, err = env.withRule(ctx, m, w); err != nil {
		return "", nil, err
	}
	order, colErr, err := env.renderedOrder(ctx, m, "t0", o.Order)
	if err == nil {
		err = colErr
	}
	if err != nil {
		return "", nil, err
	}
	paging, err := env.pagingSQL(o.Offset, o.Limit)
	if err != nil {
		return "", nil, err
	}
	return "SELECT " + cols + " FROM " + m.Table + " t0 WHERE " + w.sql + " ORDER BY " + order + paging, w.args, nil
}

// pagingSQL renders a query's LIMIT and OFFSET; 0 means none. Odoo hands
// negative values to PostgreSQL, which refuses them when the query runs,
// OFFSET first; SQLite would read them as no limit and no offset. Both
// stores answer PostgreSQL's errors, under psycopg2's names, so that a
// client never gets a silent "no limit".
func (env *Env) pagingSQL(offset, limit int64) (string, error) {
	if offset < 0 {
		return "", ServerErrorf("psycopg2.errors.InvalidRowCountInResultOffsetClause", "OFFSET must not be negative")
	}
	if limit < 0 {
		return "", ServerErrorf("psycopg2.errors.InvalidRowCountInLimitClause", "LIMIT must not be negative")
	}
	var q string
	if limit > 0 {
		q = " LIMIT " + strconv.FormatInt(limit, 10)
	} else if offset > 0 && env.Dialect == "sqlite" {
		q = " LIMIT -1" // SQLite has no OFFSET without a LIMIT
	}
	if offset > 0 {
		q += " OFFSET " + strconv.FormatInt(offset, 10)
	}
	return q, nil
}

// SearchCount counts m's records matching domain, with active_test.
func (env *Env) SearchCount(ctx context.Context, m *Model, domain any, limit int64) (int64, error) {
	w, err := env.compileDomain(ctx, m, "t0", domain, true)
	if err != nil {
		return 0, err
	}
	if w, err = env.withRule(ctx, m, w); err != nil {
		return 0, err
	}
	paging, err := env.pagingSQL(0, limit)
	if err != nil {
		return 0, err
	}
	q := "SELECT COUNT(*) FROM " + m.Table + " t0 WHERE " + w.sql
	if paging != "" {
		q = "SELECT COUNT(*) FROM (SELECT 1 FROM " + m.Table + " t0 WHERE " + w.sql + paging + ") c"
	}
	var n int64
	_, err = env.Scalar(ctx, &n, q, w.args...)
	return n, err
}

// parseOrder validates an order specification strictly and renders it for
// alias: "field [asc|desc] [nulls first|nulls last]" items separated by
// commas, fields from the registry only. id is added last so that paging is
// stable.
func parseOrder(m *Model, alias, spec string) (string, error) {
	return parseOrderIn(nil, "postgres", m, alias, spec, nil)
}

// parseOrderIn is parseOrder with the registry, which lets a many2one sort
// by its comodel's order (Odoo orders by the related _order, not by id),
// and the dialect, which places empty values as PostgreSQL does on every
// store (see nullsOf).
//
// col gives the SQL of a field's value (nil: its column).
func parseOrderIn(reg *Registry, dialect string, m *Model, alias, spec string, col colFunc) (string, error) {
	if col == nil {
		col = plainCol
	}
	if strings.TrimSpace(spec) == "" {
		spec = m.Order
	}
	// As Odoo, the whole specification is checked for its form first (a
	// UserError), then each field (ValueErrors).
	if !validOrderForm(spec) {
		return "", invalidOrder(spec)
	}
	var parts []string
	hasID := false
	for _, item := range strings.Split(spec, ",") {
		words := strings.Fields(strings.ToLower(item))
		// Field names keep their case; only the keywords are case-insensitive.
		name := strings.Trim(strings.Fields(item)[0], `"`)
		f := m.storedAs(m.Fields[name])
		if f == nil {
			return "", ServerErrorf("builtins.ValueError", "Invalid field '%s' on model '%s'", name, m.Name)
		}
		if !f.Stored() && (f.Related == nil || reg == nil) {
			return "", notStored(m, f)
		}
		dir := "ASC"
		rest := words[1:]
		if len(rest) > 0 && (rest[0] == "asc" || rest[0] == "desc") {
			dir = strings.ToUpper(rest[0])
			rest = rest[1:]
		}
		nulls := ""
		if len(rest) == 2 && rest[0] == "nulls" && (rest[1] == "first" || rest[1] == "last") {
			nulls = " NULLS " + strings.ToUpper(rest[1])
			rest = nil
		}
		if len(rest) != 0 {
			return "", invalidOrder(spec)
		}
		if nulls == "" {
			nulls = nullsOf(dialect, dir)
		}
		if f.Name == "id" {
			hasID = true
		}
		if f.Related != nil {
			part, ok := relatedOrder(reg, m, alias, f, dir, nulls, col)
			if !ok {
				return "", invalidOrder(spec)
			}
			parts = append(parts, part)
			continue
		}
		if f.Type == Many2one && reg != nil {
			parts = append(parts, many2oneOrder(reg, dialect, alias, f, dir, nulls, col)...)
			continue
		}
		parts = append(parts, col(f, alias)+" "+dir+nulls)
	}
	if !hasID {
		parts = append(parts, alias+".id ASC")
	}
	return strings.Join(parts, ", "), nil
}

// storedAs is the field searches and orders use for f: the stored field
// the model's StoredAs names for it, else f itself (nil stays nil).
func (m *Model) storedAs(f *Field) *Field {
	if f == nil || f.Stored() {
		return f
	}
	if g := m.Fields[m.StoredAs[f.Name]]; g != nil && g.Stored() {
		return g
	}
	return f
}

// nullsOf is the placement of empty values to write out for a sort in
// direction dir on dialect, when the order names none: PostgreSQL's
// default (last ascending, first descending), which Odoo's answers follow.
// SQLite sorts NULL as the smallest value, so it is told; PostgreSQL needs
// nothing, which keeps its SQL as it was and its indexes usable.
func nullsOf(dialect, dir string) string {
	if dialect != "sqlite" {
		return ""
	}
	if dir == "DESC" {
		return " NULLS FIRST"
	}
	return " NULLS LAST"
}

// notStored is Odoo's ValueError for a field that has no column a client
// may use, named in an order or a grouping.
func notStored(m *Model, f *Field) error {
	return ServerErrorf("builtins.ValueError", "Cannot convert %s.%s to SQL because it is not stored", m.Name, f.Name)
}

// orderSyntax is the form of an order specification Odoo accepts: items
// "field[.property][:function] [asc|desc] [nulls first|last]" separated
// by commas, in any case, without a trailing comma.
var orderSyntax = regexp.MustCompile(`(?i)^(\s*([a-z0-9_]+|"[a-z0-9_]+")(\.[a-z0-9_]+)?(:[a-z_]+)?(\s+(desc|asc))?(\s+nulls\s+(first|last))?\s*(,|$))+$`)

// invalidOrder is Odoo's UserError for an order specification of the wrong
// form.
func invalidOrder(spec string) error {
	return UserErrorf("Invalid \"order\" specified (%s). A valid \"order\" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)", spec)
}

// ruleDomain is the domain of the records the user may touch for op: the
// model's own rule AND the ir.rule rows. ok is false when nothing restricts.
// It is right for the records of scope, which the caller applies it to.
func (env *Env) ruleDomain(ctx context.Context, m *Model, op Op, scope RuleScope) ([]any, bool, error) {
	if env.IsSuperuser() {
		return nil, false, nil
	}
	var out []any
	if m.RuleFor != nil {
		d, err := m.RuleFor(ctx, env, op, scope)
		if err != nil {
			return nil, false, err
		}
		out = d
	} else if m.Rule != nil {
		d, err := m.Rule(ctx, env)
		if err != nil {
			return nil, false, err
		}
		out = d
	}
	ird, ok, err := env.irRuleDomain(ctx, m, op)
	if err != nil {
		return nil, false, err
	}
	if ok {
		if out == nil {
			out = ird
		} else {
			out = append(append([]any{"&"}, wrapDomain(out)...), ird...)
		}
	}
	return out, out != nil, nil
}

// withRule restricts w to the records the rules let the user read; the
// rules look at the records of w alone.
func (env *Env) withRule(ctx context.Context, m *Model, w where) (where, error) {
	rw, ok, err := env.ruleWhere(ctx, m, OpRead, RuleScope{m: m, w: w})
	if err != nil || !ok {
		return w, err
	}
	return and(w, rw), nil
}

// ruleWhere is ruleDomain's SQL on alias t0. The ir.rule rows alone, on a
// model without a rule of its own, are compiled once for the calls that
// share their bound domain: compiling them at every call was a tenth of a
// small search's CPU, and as much of every check on given ids.
func (env *Env) ruleWhere(ctx context.Context, m *Model, op Op, scope RuleScope) (where, bool, error) {
	if m.RuleFor == nil && m.Rule == nil && !env.IsSuperuser() {
		c, err := env.irRules(ctx, m, op)
		if err != nil || !c.ok {
			return where{}, false, err
		}
		rw, err := c.compiled.where(ctx, env, m, c.domain)
		return rw, err == nil, err
	}
	dom, ok, err := env.ruleDomain(ctx, m, op, scope)
	if err != nil || !ok {
		return where{}, false, err
	}
	c := &domainCompiler{env: env, depth: 50, queryCtx: ctx}
	rw, err := c.compile(m, "t0", dom)
	return rw, err == nil, err
}

// checkRule refuses op on existing records of ids that the rules exclude,
// with Odoo's record rule message.
func (env *Env) checkRule(ctx context.Context, m *Model, ids []int64, op Op) error {
	if len(ids) == 0 {
		return nil
	}
	rw, ok, err := env.ruleWhere(ctx, m, op, idScope(m, ids))
	if err != nil || !ok {
		return err
	}
	existing, err := env.Exists(ctx, m, ids)
	if err != nil || len(existing) == 0 {
		return err
	}
	passed, err := env.passRule(ctx, m, existing, rw)
	if err != nil {
		return err
	}
	if len(passed) == len(existing) {
		return nil
	}
	if m.RuleRefusal != nil {
		var refused []int64
		for _, id := range existing {
			if !slices.Contains(passed, id) {
				refused = append(refused, id)
			}
		}
		return m.RuleRefusal(env, op, refused)
	}
	name, _ := env.userName(ctx)
	return AccessErrorf("Uh-oh! Looks like you have stumbled upon some top-secret records.\n\n"+
		"Sorry, %s (id=%d) doesn't have '%s' access to:\n- %s (%s)\n\n"+
		"If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.",
		name, env.UID, op, m.Description, m.Name)
}

func (env *Env) userName(ctx context.Context) (string, error) {
	var name string
	_, err := env.Scalar(ctx, &name, "SELECT p.name FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = ?", env.UID)
	return name, err
}

// many2oneOrder sorts on the comodel's own order, one correlated sub-query
// per stored field of that order; a direction given on the many2one applies
// to each, reversing the comodel's own. Without a placement of empty values
// (nulls), each sub-query places them by its own direction on dialect.
func many2oneOrder(reg *Registry, dialect, alias string, f *Field, dir, nulls string, col colFunc) []string {
	if col == nil {
		col = plainCol
	}
	co := reg.Model(f.Relation)
	var out []string
	for _, item := range strings.Split(co.Order, ",") {
		words := strings.Fields(item)
		if len(words) == 0 {
			continue
		}
		cf := co.Fields[words[0]]
		if cf == nil || cf.Type == Many2one || !cf.Stored() && cf.Related == nil {
			continue
		}
		d := dir
		if len(words) > 1 && strings.EqualFold(words[1], "desc") {
			d = map[string]string{"ASC": "DESC", "DESC": "ASC"}[dir]
		}
		expr := col(cf, "x")
		if cf.Related != nil {
			rel, ok := relatedOrder(reg, co, "x", cf, "", "", col)
			if !ok {
				continue
			}
			expr = strings.TrimSpace(rel)
		}
		n := nulls
		if n == "" || n == nullsOf(dialect, dir) {
			n = nullsOf(dialect, d)
		}
		out = append(out, "(SELECT "+expr+" FROM "+co.Table+" x WHERE x.id = "+col(f, alias)+") "+d+n)
	}
	if len(out) == 0 {
		out = append(out, col(f, alias)+" "+dir+nulls)
	}
	return out
}

// relatedOrder sorts on a field of the delegated record (res.users sorts on
// its partner's name, as Odoo orders by inherited fields), with a correlated
// sub-query. The delegated field's value is col's (a company-dependent
// one's, the call's company's), as an order by that field itself gives.
func relatedOrder(reg *Registry, m *Model, alias string, f *Field, dir, nulls string, col colFunc) (string, bool) {
	if col == nil {
		col = plainCol
	}
	via := m.Fields[f.Related[0]]
	co := reg.Model(via.Relation)
	cf := co.Fields[f.Related[1]]
	if cf == nil || !cf.Stored() || cf.Type == Many2one {
		return "", false
	}
	inner := alias + "_r"
	return "(SELECT " + col(cf, inner) + " FROM " + co.Table + " " + inner + " WHERE " + inner + ".id = " + alias + "." + via.Column + ") " + dir + nulls, true
}

// passRule returns those of existing that the rules' SQL rw (ruleWhere)
// lets through, in id order.
func (env *Env) passRule(ctx context.Context, m *Model, existing []int64, rw where) ([]int64, error) {
	args := append(IDArgs(existing), rw.args...)
	return env.Int64s(ctx, "SELECT t0.id FROM "+m.Table+" t0 WHERE t0.id IN ("+Placeholders(len(existing))+") AND "+rw.sql+" ORDER BY t0.id", args...)
}

// colFunc gives the SQL of a field's value in the row of alias.
type colFunc func(f *Field, alias string) string

// plainCol is a field's column.
func plainCol(f *Field, alias string) string { return alias + "." + f.Column }

// orderCols is the colFunc of the call's orders: company-dependent
// fields give their value for the call's company (Env.colExpr). The
// first error it met is left in the error it returns.
func (env *Env) orderCols(ctx context.Context) (colFunc, *error) {
	var first error
	return func(f *Field, alias string) string {
		expr, err := env.colExpr(ctx, f, alias)
		if err != nil && first == nil {
			first = err
		}
		return expr
	}, &first
}
