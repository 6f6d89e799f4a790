package models

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/godoo/godoo/models/py"
)

// domainOps lists the comparison operators a domain term may use.
var domainOps = map[string]bool{
	"=": true, "!=": true, ">": true, ">=": true, "<": true, "<=": true, "=?": true,
	"like": true, "not like": true, "ilike": true, "not ilike": true, "=like": true, "=ilike": true,
	"in": true, "not in": true, "any": true, "not any": true, "child_of": true, "parent_of": true,
}

// where is a compiled SQL condition with bun placeholders.
type where struct {
	sql  string
	args []any
}

var (
	sqlTrue  = where{sql: "TRUE"}
	sqlFalse = where{sql: "FALSE"}
)

// domainCompiler turns an Odoo domain into a SQL condition on one table
// alias. Field names come only from the registry and values only travel as
// arguments, so nothing a client sends is ever pasted into SQL.
type domainCompiler struct {
	env   *Env
	depth int // alias counter for sub-queries
	// ctx is set when the fields a domain names must be readable by the
	// user (Odoo checks field access in a search's domain, not in record
	// rules).
	ctx context.Context
	// queryCtx is the call's context for the queries of a domain whose
	// fields are not checked (ctx nil): a rule's company-dependent field
	// reads the call's company and its fallback in the call's transaction,
	// under its deadline.
	queryCtx context.Context
	// companyDependent is set once the domain named a company-dependent
	// field: its SQL then holds the call's company and that company's
	// fallback, and serves no call of another company.
	companyDependent bool
}

// compileDomain compiles domain for m under alias, adding the active test when
// the top level of the domain does not mention active.
func (env *Env) compileDomain(ctx context.Context, m *Model, alias string, domain any, activeTest bool) (where, error) {
	c := &domainCompiler{env: env, ctx: ctx}
	terms, err := domainList(domain)
	if err != nil {
		return where{}, err
	}
	if err := indexTerms(terms); err != nil {
		return where{}, err
	}
	w, err := c.compile(m, alias, terms)
	if err != nil {
		return where{}, err
	}
	if activeTest && m.HasActive() && env.ActiveTest() && !mentionsActive(terms) {
		w = and(where{sql: alias + ".active = ?", args: []any{true}}, w)
	}
	if activeTest && m.SearchFilter != nil {
		if extra := m.SearchFilter(terms); extra != nil {
			fw, err := c.compile(m, alias, extra)
			if err != nil {
				return where{}, err
			}
			w = and(fw, w)
		}
	}
	return w, nil
}

func domainList(domain any) ([]any, error) {
	switch d := domain.(type) {
	case nil:
		return nil, nil
	case bool:
		if !d {
			return nil, nil
		}
	case []any:
		return d, nil
	}
	return nil, ServerErrorf("builtins.AssertionError", "Domains to normalize must have a 'domain' form: a list or tuple of domain components")
}

// domainArity is how many operands each domain operator takes.
var domainArity = map[string]int{"&": 2, "|": 2, "!": 1}

// indexTerms fails as Odoo does on a domain whose terms cannot be indexed:
// before anything else reads a domain, Odoo's search checks that it is
// well formed (normalize_domain: "syntactically not correct"), then walks
// it from the end reading the operator of each term, its second item
// (expression.is_false), which a string or a list of fewer than two items
// lacks (IndexError) and a number, a boolean or None cannot give
// (TypeError). The whole term is read later (the unpacking's ValueError).
func indexTerms(terms []any) error {
	if len(terms) == 0 {
		return nil
	}
	expected := 1
	for _, t := range terms {
		if expected == 0 {
			expected = 1 // an implicit '&'
		}
		if _, ok := t.([]any); ok {
			expected--
		} else {
			op, _ := t.(string)
			expected += domainArity[op] - 1
		}
	}
	if expected != 0 {
		return syntaxError(terms)
	}
	for i := len(terms) - 1; i >= 0; i-- {
		switch t := terms[i].(type) {
		case []any:
			if len(t) < 2 || (t[1] == "in" || t[1] == "not in") && len(t) < 3 {
				return ServerErrorf("builtins.IndexError", "tuple index out of range")
			}
		case string:
			if _, op := domainArity[t]; !op && utf8.RuneCountInString(t) < 2 {
				return ServerErrorf("builtins.IndexError", "string index out of range")
			}
		case map[string]any:
			return KeyError(int64(1))
		default:
			return ServerErrorf("builtins.TypeError", "'%s' object is not subscriptable", py.TypeName(t))
		}
	}
	return nil
}

func mentionsActive(terms []any) bool {
	for _, t := range terms {
		if l, ok := t.([]any); ok && len(l) == 3 && l[0] == "active" {
			return true
		}
	}
	return false
}

func (c *domainCompiler) compile(m *Model, alias string, terms []any) (where, error) {
	if len(terms) == 0 {
		return sqlTrue, nil
	}
	tree, err := parseDomainTree(terms)
	if err != nil {
		return where{}, err
	}
	return c.node(m, alias, tree, false)
}

// dnode is a parsed domain: an operator with its operands, or a term.
type dnode struct {
	op   string // "&", "|", "!" or "" for a term
	kids []*dnode
	term any
}

// parseDomainTree reads the prefix notation; whatever is left unconsumed is
// AND-ed, in the order it was written.
func parseDomainTree(terms []any) (*dnode, error) {
	var stack []*dnode
	for i := len(terms) - 1; i >= 0; i-- {
		switch t := terms[i].(type) {
		case string:
			switch t {
			case "&", "|":
				if len(stack) < 2 {
					return nil, syntaxError(terms)
				}
				a, b := stack[len(stack)-1], stack[len(stack)-2]
				stack = append(stack[:len(stack)-2], &dnode{op: t, kids: []*dnode{a, b}})
			case "!":
				if len(stack) < 1 {
					return nil, syntaxError(terms)
				}
				stack[len(stack)-1] = &dnode{op: "!", kids: []*dnode{stack[len(stack)-1]}}
			default:
				return nil, invalidLeaf(t)
			}
		default:
			stack = append(stack, &dnode{term: t})
		}
	}
	out := stack[len(stack)-1]
	for i := len(stack) - 2; i >= 0; i-- {
		out = &dnode{op: "&", kids: []*dnode{out, stack[i]}}
	}
	return out, nil
}

// inverse is the operator a negated term turns into, as Odoo pushes '!'
// into terms; terms with other operators are wrapped in NOT.
var inverse = map[string]string{"=": "!=", "!=": "=", "<>": "=", "<": ">=", ">": "<=", "<=": ">", ">=": "<",
	"in": "not in", "not in": "in", "like": "not like", "not like": "like", "ilike": "not ilike",
	"not ilike": "ilike", "any": "not any", "not any": "any"}

func (c *domainCompiler) node(m *Model, alias string, n *dnode, neg bool) (where, error) {
	switch n.op {
	case "!":
		return c.node(m, alias, n.kids[0], !neg)
	case "&", "|":
		a, err := c.node(m, alias, n.kids[0], neg)
		if err != nil {
			return where{}, err
		}
		b, err := c.node(m, alias, n.kids[1], neg)
		if err != nil {
			return where{}, err
		}
		if (n.op == "&") != neg {
			return and(a, b), nil
		}
		return or(a, b), nil
	}
	t, ok := n.term.([]any)
	if !ok {
		return where{}, invalidLeaf(n.term)
	}
	if neg {
		// Paths keep NOT around 'any' (Odoo 17+), so that records with an
		// empty link match a negated path.
		if len(t) != 3 {
			return where{}, invalidLeaf(t)
		}
		if op, ok := t[1].(string); ok {
			path, _ := t[0].(string)
			if inv, ok := inverse[op]; ok && !strings.Contains(path, ".") {
				return c.leaf(m, alias, []any{t[0], inv, t[2]})
			}
		}
		w, err := c.leaf(m, alias, t)
		return not(w), err
	}
	return c.leaf(m, alias, t)
}

func syntaxError(terms []any) error {
	return ServerErrorf("builtins.ValueError", "Domain %s is syntactically not correct.", py.Repr(terms))
}

// invalidLeaf is Odoo's refusal of a domain term: Python's own ValueError
// when the term does not unpack into three parts (a list or a string of
// another length), else "Invalid leaf" with the term as a tuple.
func invalidLeaf(t any) error {
	n := -1
	switch x := t.(type) {
	case []any:
		n = len(x)
		if n == 3 {
			return ServerErrorf("builtins.ValueError", "Invalid leaf %s", pyTuple(x))
		}
	case string:
		n = utf8.RuneCountInString(x)
	}
	switch {
	case n >= 0 && n < 3:
		return ServerErrorf("builtins.ValueError", "not enough values to unpack (expected 3, got %d)", n)
	case n > 3:
		return ServerErrorf("builtins.ValueError", "too many values to unpack (expected 3)")
	}
	return ServerErrorf("builtins.ValueError", "Invalid leaf %s", py.Repr(t))
}

func and(a, b where) where {
	if a.sql == "TRUE" {
		return b
	}
	if b.sql == "TRUE" {
		return a
	}
	return where{sql: "(" + a.sql + " AND " + b.sql + ")", args: joinArgs(a.args, b.args)}
}

// joinArgs is a new list of the arguments of a then b, allocated once at
// its length (appending to an empty list grew it twice at every call of
// and or or); nil when both are empty. It never writes into a or b, which
// may be shared (a rule's compiled arguments).
func joinArgs(a, b []any) []any {
	if len(a)+len(b) == 0 {
		return nil
	}
	return append(append(make([]any, 0, len(a)+len(b)), a...), b...)
}

func or(a, b where) where {
	if a.sql == "FALSE" {
		return b
	}
	if b.sql == "FALSE" {
		return a
	}
	return where{sql: "(" + a.sql + " OR " + b.sql + ")", args: joinArgs(a.args, b.args)}
}

func not(a where) where {
	switch a.sql {
	case "TRUE":
		return sqlFalse
	case "FALSE":
		return sqlTrue
	}
	return where{sql: "(NOT " + a.sql + ")", args: a.args}
}

func (c *domainCompiler) leaf(m *Model, alias string, t []any) (where, error) {
	if len(t) != 3 {
		return where{}, invalidLeaf(t)
	}
	op, ok := t[1].(string)
	if !ok {
		return where{}, invalidLeaf(t)
	}
	// Operators are taken in the case Odoo lists them ('ILIKE' is an
	// invalid leaf); '<>' is the old spelling of '!='.
	if op == "<>" {
		op = "!="
	}
	path, isStr := t[0].(string)
	if !isStr {
		// Only the constant terms (1, '=', 1) and (0, '=', 1) have a
		// non-string left side.
		l, lok := ToInt64(t[0])
		r, rok := ToInt64(t[2])
		if lok && rok && op == "=" && r == 1 && (l == 0 || l == 1) && !isBool(t[0]) {
			if l == 1 {
				return sqlTrue, nil
			}
			return sqlFalse, nil
		}
		return where{}, invalidLeaf(t)
	}
	if !domainOps[op] {
		return where{}, invalidLeaf(t)
	}
	name, rest, dotted := strings.Cut(path, ".")
	f := m.storedAs(m.Fields[name])
	if f == nil {
		return where{}, ServerErrorf("builtins.ValueError", "Invalid field %s.%s in leaf %s", m.Name, name, pyTuple(t))
	}
	if c.ctx != nil && f.Groups != "" {
		if err := c.env.checkFieldAccess(c.ctx, m, f, "read"); err != nil {
			return where{}, err
		}
	}
	value := t[2]
	if f.Related != nil {
		// A delegated field is searched on the record it lives on.
		via := m.Fields[f.Related[0]]
		sub := f.Related[1]
		if dotted {
			sub += "." + rest
		}
		return c.any(m, alias, via, []any{[]any{sub, op, value}}, false)
	}
	if dotted && (f.Type == Date || f.Type == Datetime) && f.Stored() {
		col, err := c.col(f, alias)
		if err != nil {
			return where{}, err
		}
		if expr, ok := c.datePart(col, rest); ok {
			return c.scalar(expr, &Field{Name: path, Type: Integer}, op, value, t)
		}
	}
	if dotted {
		if f.Relation == "" && (f.Type == Date || f.Type == Datetime) {
			return where{}, ServerErrorf("builtins.ValueError", "Invalid field %s.%s in leaf %s", m.Name, path, pyTuple(t))
		}
		if f.Relation == "" {
			// Odoo's domain checker asserts the path goes through a
			// relation.
			return where{}, ServerErrorf("builtins.AssertionError", "Invalid field %s in domain term %s", py.Repr(path), pyTuple(t))
		}
		return c.any(m, alias, f, []any{[]any{rest, op, value}}, false)
	}
	if op == "any" || op == "not any" {
		if f.Relation == "" {
			// Odoo looks the comodel of a field without one up: None.
			return where{}, KeyError(nil)
		}
		sub, ok := value.([]any)
		if !ok {
			return where{}, invalidLeaf(t)
		}
		return c.any(m, alias, f, sub, op == "not any")
	}
	if op == "child_of" || op == "parent_of" {
		return c.hierarchy(m, alias, f, op, value, t)
	}
	if op == "=?" {
		if value == nil || value == false {
			return sqlTrue, nil
		}
		op = "="
	}
	if f.Attachment {
		return attachmentLeaf(m, alias, f, op, value), nil
	}
	if f.Name == "display_name" && !f.Stored() {
		if sub := displayNameDomain(m, op, value); sub != nil {
			return c.compile(m, alias, sub)
		}
		return sqlTrue, nil
	}
	if !f.Stored() && (f.Type != One2many && f.Type != Many2many || f.valueless()) {
		return sqlTrue, nil // Odoo ignores unsearchable fields (and logs it)
	}
	switch f.Type {
	case One2many, Many2many:
		return c.x2many(m, alias, f, op, value)
	case Many2one:
		if hasString(value) && op != "=like" && op != "=ilike" {
			return c.many2oneByName(m, alias, f, op, value)
		}
	}
	col, err := c.col(f, alias)
	if err != nil {
		return where{}, err
	}
	return c.scalar(col, f, op, value, t)
}

// col is the SQL of f's value in the row of alias (Env.colExpr).
func (c *domainCompiler) col(f *Field, alias string) (string, error) {
	if !f.CompanyDependent {
		return alias + "." + f.Column, nil
	}
	c.companyDependent = true
	ctx := c.ctx
	if ctx == nil {
		ctx = c.queryCtx
	}
	if ctx == nil {
		// The registry's check of field domains runs no query of a call.
		ctx = context.Background()
	}
	return c.env.colExpr(ctx, f, alias)
}

// nullIsZero tells whether a comparison op with v on the number field f
// also holds for the records without a value: Odoo reads them as 0, and a
// search for amounts below 10 finds those without one.
func nullIsZero(f *Field, op string, v any) bool {
	if f.Type != Integer && f.Type != Float && f.Type != Monetary || f.Name == "id" {
		return false
	}
	x, ok := toFloat(v)
	if !ok {
		return false
	}
	switch op {
	case "<":
		return 0 < x
	case "<=":
		return 0 <= x
	case ">":
		return 0 > x
	case ">=":
		return 0 >= x
	}
	return false
}

// displayNameDomain is Odoo's _search_display_name: the leaf on
// display_name becomes one leaf per field of the model's rec_names_search
// (its rec_name without), any of which may match, or all of which must for
// a negative operator. nil means there is nothing to search in.
func displayNameDomain(m *Model, op string, value any) []any {
	names := m.RecNamesSearch
	if len(names) == 0 {
		names = []string{m.RecName}
	}
	var leaves []any
	for _, n := range names {
		if f := m.Fields[n]; f != nil && (f.Stored() || f.Related != nil) {
			leaves = append(leaves, []any{n, op, value})
		}
	}
	if len(leaves) == 0 {
		return nil
	}
	join := "|"
	if negativeOps[op] {
		join = "&"
	}
	out := make([]any, 0, 2*len(leaves)-1)
	for range leaves[1:] {
		out = append(out, join)
	}
	return append(out, leaves...)
}

// negativeOps are Odoo's NEGATIVE_TERM_OPERATORS.
var negativeOps = map[string]bool{"!=": true, "not like": true, "not ilike": true, "not in": true}

func pyTuple(t []any) string {
	s := py.Repr(t)
	return "(" + s[1:len(s)-1] + ")"
}

func hasString(v any) bool {
	switch x := v.(type) {
	case string:
		return true
	case []any:
		for _, e := range x {
			if _, ok := e.(string); ok {
				return true
			}
		}
	}
	return false
}

// scalar compiles one comparison on a column, with Odoo's NULL semantics.
func (c *domainCompiler) scalar(col string, f *Field, op string, value any, t []any) (where, error) {
	isBoolField := f.Type == Boolean
	switch op {
	case "=", "!=":
		if l, ok := value.([]any); ok { // 16/17 rewrite (f, '=', [..]) to in
			if op == "=" {
				return c.scalar(col, f, "in", l, t)
			}
			return c.scalar(col, f, "not in", l, t)
		}
		if empty, blank := emptyValue(f, value); empty {
			if isBoolField {
				if op == "=" {
					return where{sql: "(" + col + " IS NULL OR " + col + " = ?)", args: []any{false}}, nil
				}
				return where{sql: col + " = ?", args: []any{true}}, nil
			}
			if blank != nil {
				if op == "=" {
					return where{sql: "(" + col + " IS NULL OR " + col + " = ?)", args: []any{blank}}, nil
				}
				return where{sql: "(" + col + " IS NOT NULL AND " + col + " != ?)", args: []any{blank}}, nil
			}
			if op == "=" {
				return where{sql: col + " IS NULL"}, nil
			}
			return where{sql: col + " IS NOT NULL"}, nil
		}
		v, err := c.sqlValue(f, value, op)
		if err != nil {
			return where{}, err
		}
		if op == "=" {
			return where{sql: col + " = ?", args: []any{v}}, nil
		}
		return where{sql: "(" + col + " != ? OR " + col + " IS NULL)", args: []any{v}}, nil
	case "<", ">", "<=", ">=":
		if value == nil || value == false {
			return sqlFalse, nil
		}
		v, err := c.sqlValue(f, value, op)
		if err != nil {
			return where{}, err
		}
		if nullIsZero(f, op, v) {
			return where{sql: "(" + col + " " + op + " ? OR " + col + " IS NULL)", args: []any{v}}, nil
		}
		return where{sql: col + " " + op + " ?", args: []any{v}}, nil
	case "in", "not in":
		l, ok := value.([]any)
		if !ok {
			if value == true || value == false {
				if op == "in" {
					return c.scalar(col, f, "=", value, t)
				}
				return c.scalar(col, f, "!=", value, t)
			}
			return where{}, ServerErrorf("builtins.ValueError", "Invalid domain term %s", pyTuple(t))
		}
		var vals []any
		withNull := false
		for _, e := range l {
			if e == nil || e == false {
				withNull = true
				if isBoolField {
					vals = append(vals, false)
				}
				continue
			}
			v, err := c.sqlValue(f, e, "=")
			if err != nil {
				return where{}, err
			}
			vals = append(vals, v)
		}
		var w where
		if len(vals) == 0 {
			w = sqlFalse
		} else {
			w = where{sql: col + " IN (" + Placeholders(len(vals)) + ")", args: vals}
		}
		if op == "in" {
			if withNull {
				w = or(w, where{sql: col + " IS NULL"})
			}
			return w, nil
		}
		if len(vals) == 0 && !withNull {
			return sqlTrue, nil
		}
		nw := where{sql: col + " NOT IN (" + Placeholders(len(vals)) + ")", args: vals}
		if len(vals) == 0 {
			nw = sqlTrue
		}
		if withNull {
			return and(nw, where{sql: col + " IS NOT NULL"}), nil
		}
		return or(nw, where{sql: col + " IS NULL"}), nil
	case "like", "not like", "ilike", "not ilike", "=like", "=ilike":
		pattern := likeValue(value)
		if op == "like" || op == "not like" || op == "ilike" || op == "not ilike" {
			if pattern == "" {
				if strings.HasPrefix(op, "not") {
					return where{sql: col + " IS NULL"}, nil
				}
				return sqlTrue, nil
			}
			pattern = "%" + pattern + "%"
		} else if value == nil || value == false {
			return sqlFalse, nil
		}
		insensitive := strings.Contains(op, "ilike")
		w := c.like(col, f, pattern, insensitive)
		if strings.HasPrefix(op, "not") {
			return or(not(w), where{sql: col + " IS NULL"}), nil
		}
		return w, nil
	}
	return where{}, invalidLeaf(t)
}

// emptyValue reports whether value, compared with = or != on f, means "no
// value", as Odoo 18 compares it: False and None on every field, the empty
// text on text fields (which also matches NULL), zero on numbers (stored
// NULL when written False, which Odoo stores as 0) and on many2ones.
// blank is the stored value that is also empty ("" or 0), nil for none.
func emptyValue(f *Field, value any) (empty bool, blank any) {
	switch f.Type {
	case Char, Text, HTML:
		if value == nil || value == false || value == "" {
			return true, ""
		}
	case Integer, Float, Monetary, Many2oneReference:
		if f.Name == "id" {
			return value == nil || value == false, nil
		}
		if value == nil || value == false {
			return true, int64(0)
		}
		if x, ok := toFloat(value); ok && x == 0 && !isBool(value) {
			if _, isText := value.(string); !isText {
				return true, int64(0)
			}
		}
	case Many2one:
		if n, ok := ToInt64(value); ok && n == 0 && !isBool(value) {
			if _, isText := value.(string); !isText {
				return true, nil
			}
		}
	}
	return value == nil || value == false, nil
}

func likeValue(v any) string {
	switch x := v.(type) {
	case nil, bool:
		return ""
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// like builds a LIKE on either dialect. SQLite's LIKE ignores ASCII case, so
// a case-sensitive match adds GLOB with the same pattern.
func (c *domainCompiler) like(col string, f *Field, pattern string, insensitive bool) where {
	text := col
	if c.env.Dialect == "pg" && f.Type != Char && f.Type != Text && f.Type != HTML && f.Type != Selection {
		text = "CAST(" + col + " AS VARCHAR)"
	}
	if c.env.Dialect == "pg" {
		if insensitive {
			return where{sql: text + " ILIKE ?", args: []any{pattern}}
		}
		return where{sql: text + " LIKE ?", args: []any{pattern}}
	}
	if insensitive {
		// SQLite's LIKE folds ASCII letters only: both sides are lowered
		// by godoo_lower (registered by the SQLite store), as PostgreSQL's
		// ILIKE folds every letter.
		return where{sql: "godoo_lower(" + text + ") LIKE godoo_lower(?)", args: []any{pattern}}
	}
	return where{sql: "(" + text + " LIKE ? AND " + text + " GLOB ?)", args: []any{pattern, likeToGlob(pattern)}}
}

// likeToGlob rewrites a LIKE pattern as the equivalent GLOB pattern.
func likeToGlob(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '%':
			b.WriteByte('*')
		case '_':
			b.WriteByte('?')
		case '*', '?', '[', ']':
			b.WriteByte('[')
			b.WriteRune(r)
			b.WriteByte(']')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sqlValue converts a domain value to the column's representation where it
// can, and passes it through unchanged otherwise (the database then decides).
// Dates and datetimes are checked as PostgreSQL reads them, with its
// error on both stores, and a date alone compared with a datetime is its
// first second (its last for > and <=), as Odoo compares them.
func (c *domainCompiler) sqlValue(f *Field, v any, op string) (any, error) {
	switch f.Type {
	case Date, Datetime:
		s, ok := v.(string)
		if !ok {
			return v, nil
		}
		if f.Type == Datetime && len(strings.TrimSpace(s)) == len(DateLayout) {
			if op == ">" || op == "<=" {
				s = strings.TrimSpace(s) + " 23:59:59"
			} else {
				s = strings.TrimSpace(s) + " 00:00:00"
			}
		}
		return domainTime(f, s)
	case Many2one, Integer, Many2oneReference:
		if n, ok := ToInt64(v); ok {
			return n, nil
		}
		if _, ok := v.(string); ok && f.Type != Many2one {
			return pyInt(v) // Odoo converts the text as int() does
		}
		return v, nil
	case Float, Monetary:
		if x, ok := toFloat(v); ok {
			return x, nil
		}
		if _, ok := v.(string); ok {
			return pyFloat(v)
		}
		return v, nil
	case Boolean:
		return Bool(v), nil
	case JSON:
		return f.jsonToDB(v)
	case Char, Text, HTML, Selection, Reference:
		switch v.(type) {
		case int64, float64, int:
			return pyStr(v), nil
		}
	}
	return v, nil
}

// any compiles (field, 'any', subdomain): at least one related record of f
// matches sub. Archived comodel records count for many2one paths, as in Odoo.
func (c *domainCompiler) any(m *Model, alias string, f *Field, sub []any, negate bool) (where, error) {
	co := c.env.Registry.Model(f.Relation)
	if co == nil {
		return where{}, KeyError(f.Relation)
	}
	c.depth++
	sa := fmt.Sprintf("t%d", c.depth)
	w, err := c.compile(co, sa, sub)
	if err != nil {
		return where{}, err
	}
	if f.Type != Many2one && co.HasActive() && c.env.ActiveTest() && !mentionsActive(sub) {
		w = and(where{sql: sa + ".active = ?", args: []any{true}}, w)
	}
	var out where
	switch f.Type {
	case Many2one:
		col, err := c.col(f, alias)
		if err != nil {
			return where{}, err
		}
		// The IS NOT NULL guard makes NOT of this term match empty links.
		out = where{sql: "(" + col + " IS NOT NULL AND " + col + " IN (SELECT " + sa + ".id FROM " + co.Table + " " + sa + " WHERE " + w.sql + "))", args: w.args}
	case One2many:
		inv := co.Fields[f.InverseName]
		// NULL inverse values are excluded: NOT IN over a set holding NULL
		// would match nothing.
		out = where{sql: alias + ".id IN (SELECT " + sa + "." + inv.Column + " FROM " + co.Table + " " + sa + " WHERE " +
			sa + "." + inv.Column + " IS NOT NULL" + f.inverseModel(co, sa, m.Name) + " AND " + w.sql + ")", args: w.args}
	case Many2many:
		out = where{sql: alias + ".id IN (SELECT r." + f.RelCol + " FROM " + f.RelTable + " r JOIN " + co.Table + " " + sa +
			" ON " + sa + ".id = r." + f.RelOther + " WHERE " + w.sql + ")", args: w.args}
	default:
		return where{}, ServerErrorf("builtins.ValueError", "Invalid field %s.%s for 'any'", m.Name, f.Name)
	}
	if negate {
		return not(out), nil
	}
	return out, nil
}

// x2many compiles comparisons on one2many and many2many fields: ids (or names)
// of linked records, or False for "no link".
func (c *domainCompiler) x2many(m *Model, alias string, f *Field, op string, value any) (where, error) {
	if value == nil || value == false {
		exists, err := c.any(m, alias, f, nil, false)
		if err != nil {
			return where{}, err
		}
		switch op {
		case "=", "in":
			return not(exists), nil
		case "!=", "not in":
			return exists, nil
		}
	}
	var sub []any
	switch op {
	case "=", "in", "!=", "not in":
		if hasString(value) {
			recName := c.env.Registry.Model(f.Relation).RecName
			_, scalar := value.(string)
			switch {
			case op == "=" || op == "!=":
				sub = []any{[]any{recName, "=", value}}
			case scalar:
				// Odoo searches the comodel's names with the operator
				// itself: in with a single name is an invalid term.
				sub = []any{[]any{recName, "in", value}}
			default:
				sub = []any{[]any{recName, "ilike", value}}
			}
		} else {
			ids, err := IDList(value)
			if err != nil {
				return where{}, err
			}
			list := make([]any, len(ids))
			for i, id := range ids {
				list[i] = id
			}
			sub = []any{[]any{"id", "in", list}}
		}
		return c.any(m, alias, f, sub, op == "!=" || op == "not in")
	default:
		sub = []any{[]any{c.env.Registry.Model(f.Relation).RecName, op, value}}
		return c.any(m, alias, f, sub, false)
	}
}

// many2oneByName resolves a string on a many2one by a name search on the
// comodel; negative operators also keep records whose many2one is empty.
// A comodel whose name has no column of its own (res.users' name is its
// partner's, through _inherits) is searched through a subdomain, which
// follows the delegation.
func (c *domainCompiler) many2oneByName(m *Model, alias string, f *Field, op string, value any) (where, error) {
	co := c.env.Registry.Model(f.Relation)
	positive := map[string]string{"!=": "=", "not like": "like", "not ilike": "ilike", "not in": "in"}
	pos, negative := positive[op]
	if !negative {
		pos = op
	}
	switch pos {
	case "<", ">", "<=", ">=":
		pos = "in"
	}
	col, err := c.col(f, alias)
	if err != nil {
		return where{}, err
	}
	recName := co.Fields[co.RecName]
	if recName == nil || recName.Column == "" {
		in, err := c.any(m, alias, f, []any{[]any{co.RecName, pos, value}}, false)
		if err != nil || !negative {
			return in, err
		}
		return or(not(in), where{sql: col + " IS NULL"}), nil
	}
	c.depth++
	sa := fmt.Sprintf("t%d", c.depth)
	w, err := c.scalar(sa+"."+recName.Column, recName, pos, value, nil)
	if err != nil {
		return where{}, err
	}
	in := where{sql: col + " IN (SELECT " + sa + ".id FROM " + co.Table + " " + sa + " WHERE " + w.sql + ")", args: w.args}
	if negative {
		return or(not(in), where{sql: col + " IS NULL"}), nil
	}
	return in, nil
}

// hierarchy compiles child_of and parent_of: the value records (ids, or
// names found by name search) and all their descendants (child_of) or
// ancestors (parent_of) through the comodel's parent_id, with a recursive
// query that both dialects run.
func (c *domainCompiler) hierarchy(m *Model, alias string, f *Field, op string, value any, t []any) (where, error) {
	co := m
	col := alias + ".id"
	parentField := "parent_id"
	switch {
	case f.Name == "id":
	case f.Type == Many2one && f.Relation == m.Name:
		// A many2one to the model itself is the hierarchy: Odoo reads
		// (parent_id, child_of, x) as (id, child_of, x) through that
		// field, so x itself is in.
		parentField = f.Name
	case f.Type == Many2one:
		co = c.env.Registry.Model(f.Relation)
		var err error
		if col, err = c.col(f, alias); err != nil {
			return where{}, err
		}
	case f.Type == One2many || f.Type == Many2many:
		sub := []any{[]any{"id", op, value}}
		return c.any(m, alias, f, sub, false)
	default:
		// Odoo's scalar fields have no SQL for the hierarchy operators:
		// the operator is the key it misses (a KeyError's message is its
		// key; the traceback shows its repr).
		return where{}, KeyError(op)
	}
	parent := co.Fields[parentField]
	if parent == nil || parent.Relation != co.Name {
		return where{}, ServerErrorf("builtins.ValueError", "Invalid leaf %s: model %s has no parent_id hierarchy", pyTuple(t), co.Name)
	}
	var seed where
	if hasString(value) {
		recName := co.Fields[co.RecName]
		c.depth++
		w, err := c.scalar(recName.Column, recName, "ilike", value, t)
		if err != nil {
			return where{}, err
		}
		if l, ok := value.([]any); ok {
			w, err = c.scalar(recName.Column, recName, "in", l, t)
			if err != nil {
				return where{}, err
			}
		}
		seed = where{sql: "SELECT id FROM " + co.Table + " WHERE " + w.sql, args: w.args}
	} else {
		ids, err := IDList(value)
		if err != nil {
			return where{}, err
		}
		if len(ids) == 0 {
			return sqlFalse, nil
		}
		seed = where{sql: "SELECT id FROM " + co.Table + " WHERE id IN (" + Placeholders(len(ids)) + ")", args: IDArgs(ids)}
	}
	pc := "x." + parent.Column
	step := "SELECT x.id FROM " + co.Table + " x JOIN h ON " + pc + " = h.id"
	if op == "parent_of" {
		step = "SELECT " + pc + " FROM " + co.Table + " x JOIN h ON x.id = h.id WHERE " + pc + " IS NOT NULL"
	}
	return where{sql: col + " IN (WITH RECURSIVE h(id) AS (" + seed.sql + " UNION " + step + ") SELECT id FROM h)", args: seed.args}, nil
}

// datePart is the SQL of a date part of a date or datetime column, for
// domain paths such as birthday.month_number (Odoo 17.3+). Parts are
// integers: day_of_week counts from 0 on Sunday.
func (c *domainCompiler) datePart(col, part string) (string, bool) {
	pg := map[string]string{"year_number": "YEAR", "quarter_number": "QUARTER", "month_number": "MONTH",
		"iso_week_number": "WEEK", "day_of_week": "DOW", "day_of_month": "DAY", "day_of_year": "DOY",
		"hour_number": "HOUR", "minute_number": "MINUTE", "second_number": "SECOND"}
	lite := map[string]string{"year_number": "%Y", "month_number": "%m", "iso_week_number": "%V", "day_of_week": "%w",
		"day_of_month": "%d", "day_of_year": "%j", "hour_number": "%H", "minute_number": "%M", "second_number": "%S"}
	unit, ok := pg[part]
	if !ok {
		return "", false
	}
	if c.env.Dialect == "pg" {
		return "CAST(EXTRACT(" + unit + " FROM " + col + ") AS INTEGER)", true
	}
	if part == "quarter_number" {
		return "((CAST(strftime('%m', " + col + ") AS INTEGER) + 2) / 3)", true
	}
	return "CAST(strftime('" + lite[part] + "', " + col + ") AS INTEGER)", true
}
