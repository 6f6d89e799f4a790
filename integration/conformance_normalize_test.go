package integration_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// normalizer applies the corpus README's normalisation rules 1–6 to an
// answer, so that it can be compared with the recorded expectation. The
// same code normalises Odoo's own raw answers in the oracle test, which
// is how the readings chosen here are checked.

// fieldSource tells the type and relation of a model's fields: godoo's
// fields_get in the replay, the recorded fields_get in the oracle test.
type fieldSource interface {
	field(model, name string) (typ, relation string, ok bool)
}

type normalizer struct {
	ids    *idSpace
	fields fieldSource
	db     string
	// mask lists the keys whose values are random or time-dependent.
	mask map[string]bool
	// named are the seed and case records the request named.
	named []symRef
	// today turns on the rules the modules flow adds (its README), when
	// set: bare dates near it become <today>, <today+30>; res_id maps
	// through its row's model or res_model; an action's view_id, res_id
	// and context defaults map to their records. The base corpus keeps
	// dates and res_id as they are.
	today time.Time
}

var (
	reDatetime  = regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?`)
	reRecordset = regexp.MustCompile(`\b([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\(([0-9, ]*)\)`)
	reUserID    = regexp.MustCompile(`\b(User: |uid=)(\d+)\b`)
	reServer    = regexp.MustCompile(`connection to server at "[^"]*", port \d+ failed: `)
	reNumber    = regexp.MustCompile(`\d+`)
)

// topLevelIDs are the methods whose answer is ids (or [id, name] pairs) of
// the case's model.
var topLevelIDs = map[string]bool{"search": true, "search_fetch": true, "exists": true, "create": true,
	"copy": true, "name_search": true, "name_create": true, "login": true, "authenticate": true,
	"message_post": true}

// outsideKeys name records wherever they appear, model known or not (the
// currencies of a sales order's tax_totals, a binary field's dict).
var outsideKeys = map[string]string{"uid": "res.users", "user_id": "res.users", "create_uid": "res.users",
	"write_uid": "res.users", "partner_id": "res.partner", "commercial_partner_id": "res.partner",
	"company_id": "res.company", "current_company": "res.company", "currency_id": "res.currency",
	"company_currency_id": "res.currency"}

// result normalises a method's result; model is the case's model and
// method the model method (or RPC method) the request called.
func (n *normalizer) result(v any, method, model string) any {
	if model == "" || method == "fields_get" {
		return n.walk(v, "")
	}
	if topLevelIDs[method] {
		return n.topIDs(v, model)
	}
	if o, ok := v.(*object); ok {
		switch method {
		case "web_search_read":
			return n.container(o, model, "records")
		case "web_read_group":
			return n.container(o, model, "groups")
		}
	}
	return n.walk(v, model)
}

// container normalises a dict that holds rows of model under key.
func (n *normalizer) container(o *object, model, key string) *object {
	out := newObject()
	for _, k := range o.keys {
		if k == key {
			out.set(k, n.walk(o.vals[k], model))
		} else {
			out.set(k, n.member(k, o.vals[k], "", false))
		}
	}
	return out
}

func (n *normalizer) topIDs(v any, model string) any {
	switch x := v.(type) {
	case int64:
		return n.ids.name(model, x)
	case []any:
		if p, ok := n.pair(x, model); ok {
			return p
		}
		out := make([]any, len(x))
		for i, e := range x {
			switch y := e.(type) {
			case int64:
				out[i] = n.ids.name(model, y)
			case []any:
				if p, ok := n.pair(y, model); ok {
					out[i] = p
				} else {
					out[i] = n.walk(y, "")
				}
			default:
				out[i] = n.walk(e, model)
			}
		}
		return out
	}
	return n.walk(v, model)
}

// pair maps an [id, name] pair of model.
func (n *normalizer) pair(x []any, model string) ([]any, bool) {
	if len(x) != 2 {
		return nil, false
	}
	id, ok := x[0].(int64)
	if !ok {
		return nil, false
	}
	switch x[1].(type) {
	case string, bool:
		return []any{n.ids.name(model, id), n.walk(x[1], "")}, true
	}
	return nil, false
}

// walk normalises v, whose dicts are records of model ("" when unknown).
func (n *normalizer) walk(v any, model string) any {
	switch x := v.(type) {
	case *object:
		return n.record(x, model)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = n.walk(e, model)
		}
		return out
	case string:
		return n.str(x)
	case xmlBytes:
		return fmt.Sprintf("<bytes %d>", len(x))
	case xmlTime:
		return fmt.Sprintf("<dateTime.iso8601 %s>", string(x))
	}
	return v
}

// record normalises a dict; a read_group row (it has __domain) keeps its
// plain integers, which are aggregates.
func (n *normalizer) record(o *object, model string) *object {
	if !n.today.IsZero() && isAction(o) {
		return n.action(o)
	}
	grouped := o.has("__domain")
	out := newObject()
	for _, k := range o.keys {
		if ref := n.referenced(o, k); ref != "" {
			out.set(k, n.relational(o.vals[k], ref, "many2one", false))
			continue
		}
		out.set(k, n.member(k, o.vals[k], model, grouped))
	}
	return out
}

// referenced is, under the modules flow's rules, the model a row's res_id
// names: its model or res_model member.
func (n *normalizer) referenced(o *object, k string) string {
	if n.today.IsZero() || k != "res_id" {
		return ""
	}
	for _, mk := range []string{"model", "res_model"} {
		if m, ok := o.vals[mk].(string); ok && m != "" {
			return m
		}
	}
	return ""
}

func isAction(o *object) bool {
	typ, _ := o.vals["type"].(string)
	return strings.HasPrefix(typ, "ir.actions.")
}

// action normalises an action dict: view_id is a view, res_id a record
// of res_model, and a context's default_F a record of F's relation on
// res_model.
func (n *normalizer) action(o *object) *object {
	resModel, _ := o.vals["res_model"].(string)
	out := newObject()
	for _, k := range o.keys {
		v := o.vals[k]
		switch {
		case k == "view_id":
			out.set(k, n.relational(v, "ir.ui.view", "many2one", false))
		case k == "res_id" && resModel != "":
			out.set(k, n.relational(v, resModel, "many2one", false))
		case k == "context":
			ctx, ok := v.(*object)
			if !ok || resModel == "" {
				out.set(k, n.walk(v, ""))
				continue
			}
			c := newObject()
			for _, ck := range ctx.keys {
				f, isDefault := strings.CutPrefix(ck, "default_")
				if _, rel, ok := n.fields.field(resModel, f); isDefault && ok && rel != "" {
					c.set(ck, n.relational(ctx.vals[ck], rel, "", false))
				} else {
					c.set(ck, n.member(ck, ctx.vals[ck], "", false))
				}
			}
			out.set(k, c)
		default:
			out.set(k, n.member(k, v, "", false))
		}
	}
	return out
}

func (n *normalizer) member(k string, v any, model string, grouped bool) any {
	if n.mask[k] {
		return "<masked>"
	}
	switch k {
	case "session_id", "sid", "csrf_token", "registry_hash":
		return "<sid>"
	case "cache_hashes":
		return "<hash>"
	case "web.base.url":
		return "<base_url>"
	case "user_settings":
		if o, ok := v.(*object); ok {
			s := n.record(o, "")
			if s.has("id") {
				s.set("id", "<res.users.settings>")
			}
			return s
		}
	}
	if model != "" {
		switch k {
		case "id":
			if id, ok := v.(int64); ok && !grouped {
				return n.ids.name(model, id)
			}
		case "parent_path":
			if s, ok := v.(string); ok {
				return n.path(s, model)
			}
		case "__domain":
			if grouped {
				return n.domain(v, model)
			}
		}
		if typ, rel, ok := n.fields.field(model, k); ok {
			if rel != "" {
				return n.relational(v, rel, typ, grouped)
			}
			return n.walk(v, "")
		}
	}
	if rel, ok := outsideKeys[k]; ok {
		return n.relational(v, rel, "", grouped)
	}
	return n.walk(v, "")
}

// relational maps a relational value of model rel: an id, an [id, name]
// pair, a dict of a web specification, a list of ids, dicts or x2many
// commands. In a read_group row a plain integer is an aggregate.
func (n *normalizer) relational(v any, rel, typ string, grouped bool) any {
	switch x := v.(type) {
	case int64:
		if grouped {
			return x
		}
		return n.ids.name(rel, x)
	case *object:
		return n.record(x, rel)
	case []any:
		if p, ok := n.pair(x, rel); ok && (typ == "many2one" || typ == "" || grouped) {
			return p
		}
		out := make([]any, len(x))
		for i, e := range x {
			switch y := e.(type) {
			case int64:
				out[i] = n.ids.name(rel, y)
			case *object:
				out[i] = n.record(y, rel)
			case []any:
				out[i] = n.command(y, rel)
			default:
				out[i] = n.walk(e, "")
			}
		}
		return out
	}
	return n.walk(v, "")
}

// command maps an x2many command: [0, 0, vals], [1, id, vals], [2|3|4, id],
// [5], [6, 0, ids].
func (n *normalizer) command(c []any, rel string) any {
	if len(c) == 0 {
		return []any{}
	}
	op, ok := c[0].(int64)
	if !ok {
		return n.walk(c, "")
	}
	out := make([]any, len(c))
	for i, e := range c {
		out[i] = n.walk(e, "")
	}
	id := func(i int) {
		if i < len(c) {
			if v, ok := c[i].(int64); ok {
				out[i] = n.ids.name(rel, v)
			}
		}
	}
	vals := func(i int) {
		if i < len(c) {
			if o, ok := c[i].(*object); ok {
				out[i] = n.record(o, rel)
			}
		}
	}
	switch op {
	case 0:
		vals(2)
	case 1:
		id(1)
		vals(2)
	case 2, 3, 4:
		id(1)
	case 6:
		if len(c) == 3 {
			if ids, ok := c[2].([]any); ok {
				out[2] = n.relational(ids, rel, "many2many", false)
			}
		}
	}
	return out
}

// path maps a parent_path "12/34/" of model to "@a/@b/".
func (n *normalizer) path(s, model string) string {
	parts := strings.Split(s, "/")
	for i, p := range parts {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			parts[i] = fmt.Sprint(n.ids.name(model, id))
		}
	}
	return strings.Join(parts, "/")
}

// domain maps the values of a read_group row's __domain by each leaf's
// field.
func (n *normalizer) domain(v any, model string) any {
	list, ok := v.([]any)
	if !ok {
		return n.walk(v, "")
	}
	out := make([]any, len(list))
	for i, e := range list {
		leaf, ok := e.([]any)
		field, named := any(nil), false
		if ok && len(leaf) == 3 {
			field, named = leaf[0].(string)
		}
		if !named {
			out[i] = n.walk(e, "")
			continue
		}
		rel := ""
		if field == "id" {
			rel = model
		} else if _, r, ok := n.fields.field(model, field.(string)); ok {
			rel = r
		}
		val := n.walk(leaf[2], "")
		if rel != "" {
			switch y := leaf[2].(type) {
			case int64:
				val = n.ids.name(rel, y)
			case []any:
				val = n.relational(y, rel, "many2many", false)
			}
		}
		out[i] = []any{field, n.walk(leaf[1], ""), val}
	}
	return out
}

// str applies the string rules: datetimes, the database name, recordsets
// "model.name(1, 2)" and "User: 7" / "uid=7".
func (n *normalizer) str(s string) string {
	if s == n.db && s != "" {
		return "<db>"
	}
	s = reDatetime.ReplaceAllString(s, "<datetime>")
	if d, ok := n.nearDate(s); ok {
		return d
	}
	s = reRecordset.ReplaceAllStringFunc(s, func(m string) string {
		sub := reRecordset.FindStringSubmatch(m)
		model := sub[1]
		ids := reNumber.ReplaceAllStringFunc(sub[2], func(d string) string {
			id, _ := strconv.ParseInt(d, 10, 64)
			return fmt.Sprint(n.ids.name(model, id))
		})
		return model + "(" + ids + ")"
	})
	return reUserID.ReplaceAllStringFunc(s, func(m string) string {
		sub := reUserID.FindStringSubmatch(m)
		id, _ := strconv.ParseInt(sub[2], 10, 64)
		return sub[1] + fmt.Sprint(n.ids.name("res.users", id))
	})
}

// nearDate is, under the modules flow's rules, a bare date within 400
// days of today as <today> or <today+N>.
func (n *normalizer) nearDate(s string) (string, bool) {
	if n.today.IsZero() || len(s) != len("2006-01-02") {
		return "", false
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", false
	}
	days := int(d.Sub(n.today.Truncate(24*time.Hour)).Hours() / 24)
	switch {
	case days == 0:
		return "<today>", true
	case days > 0 && days <= 400:
		return fmt.Sprintf("<today+%d>", days), true
	case days < 0 && days >= -400:
		return fmt.Sprintf("<today%d>", days), true
	}
	return "", false
}

// message normalises a fault or error text: rule 6 drops the database
// server's address, then the string rules, then integers that are ids of
// seed or case records become their symbols: those of 100 and more (the
// README's rule, for Odoo's ids), and any the request itself named, which
// a message repeats whatever its size (godoo's ids are small).
func (n *normalizer) message(s string) string {
	s = reServer.ReplaceAllString(s, "")
	s = n.str(s)
	idx := reNumber.FindAllStringIndex(s, -1)
	var b strings.Builder
	last := 0
	for _, m := range idx {
		if !standalone(s, m[0], m[1]) {
			continue
		}
		id, err := strconv.ParseInt(s[m[0]:m[1]], 10, 64)
		if err != nil {
			continue
		}
		if sym, ok := n.messageID(id); ok {
			b.WriteString(s[last:m[0]])
			b.WriteString(sym)
			last = m[1]
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// standalone tells whether s[i:j] is a whole number, not part of a word,
// a decimal, a symbol or a placeholder.
func standalone(s string, i, j int) bool {
	if i > 0 {
		switch c := s[i-1]; {
		case c == '_' || c == '.' || c == '@' || c == '-' || c == '<' || c == '/' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			return false
		}
	}
	if j < len(s) {
		c := s[j]
		if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			return false
		}
		if c == '.' && j+1 < len(s) && '0' <= s[j+1] && s[j+1] <= '9' {
			return false
		}
	}
	return true
}

func (n *normalizer) messageID(id int64) (string, bool) {
	var named []string
	for _, r := range n.named {
		if r.id == id {
			if sym, ok := n.ids.byID[r.model][r.id]; ok {
				if r.model == "res.partner" {
					return sym, true
				}
				named = append(named, sym)
			}
		}
	}
	if len(named) > 0 {
		return named[0], true
	}
	if id >= 100 {
		if syms := n.ids.symbolsOf(id); len(syms) > 0 {
			return syms[0], true
		}
	}
	return "", false
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// exceptionLine is the line that names the exception of a Python traceback:
// the first line at the margin after the frames of the last traceback. ok
// is false when s is not a traceback.
func exceptionLine(s string) (line string, ok bool) {
	const head = "Traceback (most recent call last):"
	if !strings.HasPrefix(s, head) {
		return "", false
	}
	lines := strings.Split(s, "\n")
	start := 0
	for i, l := range lines {
		if strings.HasPrefix(l, head) {
			start = i
		}
	}
	for _, l := range lines[start+1:] {
		if l != "" && l[0] != ' ' && l[0] != '\t' {
			return l, true
		}
	}
	return "", true
}
