package mail

import (
	"context"
	"reflect"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// Tracking is the tracking mail gives fields of the models it extends,
// by model and field, as Odoo 18's mail module declares it: a partner's
// name, email, phone, parent, salesperson, tax id and inline address.
func Tracking() map[string]map[string]int {
	return map[string]map[string]int{
		"res.partner": {"name": 1, "email": 1, "phone": 2, "parent_id": 3, "user_id": 4, "vat": 5, "contact_address_inline": 100},
	}
}

// tracked is what one call changes of a model's tracked fields: the
// values each record had when the call first changed it, by record and
// field; a record created by the call has nil, as Odoo discards the
// tracking of a record in the call that creates it (its creation message
// says it all).
type tracked struct {
	initial map[int64]map[string]any
	order   []int64
}

// trackingOf is the call's tracking of model, made on first use.
func trackingOf(env *models.Env, model string) *tracked {
	return env.TxData("mail.tracking."+model, func() any { return &tracked{initial: map[int64]map[string]any{}} }).(*tracked)
}

// trackingOff tells whether the context turns tracking off, as Odoo's
// tracking_disable and mail_notrack do.
func trackingOff(env *models.Env) bool {
	return py.Truthy(env.Context["tracking_disable"]) || py.Truthy(env.Context["mail_notrack"])
}

// trackedFields are model's tracked fields, in declaration order.
func trackedFields(m *models.Model) []*models.Field {
	var out []*models.Field
	for _, n := range m.FieldOrder {
		if f := m.Fields[n]; f != nil && f.Tracking != 0 {
			out = append(out, f)
		}
	}
	return out
}

// discardTracking leaves the record id, which the call created, out of
// the call's tracking.
func discardTracking(env *models.Env, model string, id int64) {
	t := trackingOf(env, model)
	if _, ok := t.initial[id]; !ok {
		t.order = append(t.order, id)
	}
	t.initial[id] = nil
}

// prepareTracking keeps, for the records ids of model, the values of
// the tracked fields among names (every tracked field when names is nil)
// and of the tracked fields godoo computes when read from one of names
// (a partner's inline address, from its street), before the call
// changes them;
// the call's end compares them with the values then and logs the
// changes (finishTracking). A field kept already keeps its first value,
// as Odoo's _track_prepare.
func prepareTracking(ctx context.Context, env *models.Env, model string, ids []int64, names []string) error {
	m := env.Registry.Model(model)
	if m == nil || len(ids) == 0 || trackingOff(env) {
		return nil
	}
	var fields []string
	for _, f := range trackedFields(m) {
		if names == nil || slices.Contains(names, f.Name) || f.Compute != nil && dependsOn(m, f, names, map[string]bool{}) {
			fields = append(fields, f.Name)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	t := trackingOf(env, model)
	recs, err := readTracked(ctx, env.Sudo(), m, ids, fields)
	if err != nil {
		return err
	}
	for _, r := range recs {
		id := r["id"].(int64)
		vals, seen := t.initial[id]
		if seen && vals == nil {
			continue // created by this call
		}
		if !seen {
			vals = map[string]any{}
			t.initial[id] = vals
			t.order = append(t.order, id)
		}
		for _, n := range fields {
			if _, ok := vals[n]; !ok {
				if v, read := r[n]; read {
					vals[n] = v
				}
			}
		}
	}
	env.BeforeCommit("mail.tracking."+model, func(ctx context.Context) error { return finishTracking(ctx, env, model) })
	return nil
}

// dependsOn tells whether the computed field f depends, directly or
// through the computed or related fields it depends on, on one of names,
// so that a write of names can change it. A compute that names nothing it
// depends on may depend on anything.
func dependsOn(m *models.Model, f *models.Field, names []string, seen map[string]bool) bool {
	if seen[f.Name] {
		return false
	}
	seen[f.Name] = true
	deps := slices.Clone(f.Depends)
	if f.Related != nil {
		deps = append(deps, f.Related[0])
	}
	if f.Compute != nil && len(deps) == 0 {
		return true
	}
	for _, d := range deps {
		d, _, _ = strings.Cut(d, ".")
		if slices.Contains(names, d) {
			return true
		}
		if g := m.Fields[d]; g != nil && (g.Compute != nil || g.Related != nil) && dependsOn(m, g, names, seen) {
			return true
		}
	}
	return false
}

// readTracked reads the tracked fields of the records ids. A compute
// that refuses to answer (a sale order line's group of taxes, which godoo
// does not compute) leaves the computed fields out, untracked, rather
// than failing the call that changed the record: its refusal reaches the
// client that reads the field.
func readTracked(ctx context.Context, env *models.Env, m *models.Model, ids []int64, fields []string) ([]models.Record, error) {
	recs, err := env.Read(ctx, m, ids, fields, true)
	if err == nil || models.KindOf(err) != models.KindUser {
		return recs, err
	}
	stored := slices.DeleteFunc(slices.Clone(fields), func(n string) bool { return m.Fields[n].Compute != nil })
	if len(stored) == len(fields) {
		return nil, err
	}
	if len(stored) == 0 {
		// Read names every field when given none: the records alone.
		existing, err := env.Exists(ctx, m, ids)
		out := make([]models.Record, len(existing))
		for i, id := range existing {
			out[i] = models.Record{"id": id}
		}
		return out, err
	}
	return env.Read(ctx, m, ids, stored, true)
}

// trackPrepare is mail.thread's _track_prepare, for the behaviours of
// other models whose changes change a record's tracked fields (an order
// line's, its order's amounts): it keeps the records' tracked values
// before the change. fields names the tracked fields; none means all.
func trackPrepare(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	var names []string
	if l, ok := a["fields"].([]any); ok {
		for _, v := range l {
			if s, ok := v.(string); ok {
				names = append(names, s)
			}
		}
	}
	return nil, prepareTracking(ctx, env, m.Name, ids, names)
}

// finishTracking logs, at the end of the call, the changes of the
// tracked fields of the records of model that prepareTracking kept: one
// message per record, its tracking values in the fields' tracking order,
// then by name. The message has the subtype the model's _track_subtype
// gives for the changes (a confirmed order's) and is posted, or is a
// note when it gives none, as Odoo's _message_track.
func finishTracking(ctx context.Context, env *models.Env, model string) error {
	m := env.Registry.Model(model)
	t := trackingOf(env, model)
	order, initial := t.order, t.initial
	t.order, t.initial = nil, map[int64]map[string]any{}
	su := env.Sudo()
	for _, id := range order {
		init := initial[id]
		if init == nil {
			continue
		}
		fields := make([]string, 0, len(init))
		for n := range init {
			fields = append(fields, n)
		}
		recs, err := readTracked(ctx, su, m, []int64{id}, fields)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			continue // deleted by the call
		}
		values, changed, err := trackingValues(ctx, su, m, recs[0], init)
		if err != nil {
			return err
		}
		if len(changed) == 0 {
			continue
		}
		v := postValues{messageType: "notification", trackingValues: values}
		subtype, err := trackSubtype(ctx, env, m, id, init, changed)
		if err != nil {
			return err
		}
		if subtype != "" {
			if v.subtypeID, err = env.XMLID(ctx, subtype); err != nil {
				return err
			}
			if v.subtypeID == 0 {
				continue // a subtype the database lacks: Odoo posts nothing
			}
			v.notify = true
		} else if len(values) == 0 {
			continue
		}
		if _, err := post(ctx, env, model, id, v); err != nil {
			return err
		}
	}
	return nil
}

// trackSubtype is the subtype (an external id) the model's
// _track_subtype gives for the changed fields' initial values, "" for
// none.
func trackSubtype(ctx context.Context, env *models.Env, m *models.Model, id int64, init map[string]any, changed []string) (string, error) {
	meth := m.Methods["_track_subtype"]
	if meth == nil {
		return "", nil
	}
	values := make(map[string]any, len(changed))
	for _, n := range changed {
		values[n] = init[n]
	}
	v, err := meth.Fn(ctx, env.Sudo(), m, []int64{id}, models.Args{"init_values": values})
	if err != nil {
		return "", err
	}
	s, _ := v.(string)
	return s, nil
}

// trackingValues are the mail.tracking.value rows of the fields of rec
// whose value is no longer init's (a change from one empty value to
// another is none), as one2many commands in Odoo's order, and the names
// of the fields changed.
func trackingValues(ctx context.Context, env *models.Env, m *models.Model, rec models.Record, init map[string]any) ([]any, []string, error) {
	type change struct {
		seq  int
		name string
		vals map[string]any
	}
	var changes []change
	var changed []string
	for n, old := range init {
		f := m.Fields[n]
		now, read := rec[n]
		if !read || reflect.DeepEqual(old, now) || !py.Truthy(old) && !py.Truthy(now) {
			continue
		}
		changed = append(changed, n)
		vals, err := trackingValue(ctx, env, m, f, rec, old, now)
		if err != nil {
			return nil, nil, err
		}
		if vals != nil {
			changes = append(changes, change{f.Tracking, n, vals})
		}
	}
	slices.SortFunc(changes, func(a, b change) int {
		if a.seq != b.seq {
			return a.seq - b.seq
		}
		return strings.Compare(a.name, b.name)
	})
	slices.Sort(changed)
	cmds := make([]any, len(changes))
	for i, c := range changes {
		cmds[i] = []any{int64(0), int64(0), c.vals}
	}
	return cmds, changed, nil
}

// trackingValue is the mail.tracking.value of a change of f from old to
// now (trackedPair), with the currency of a monetary field; nil for a
// field the model's ir.model.fields does not list or a type Odoo does not
// track.
func trackingValue(ctx context.Context, env *models.Env, m *models.Model, f *models.Field, rec models.Record, old, now any) (map[string]any, error) {
	vals := trackedPair(f, old, now)
	if vals == nil {
		return nil, nil
	}
	var fieldID int64
	if _, err := env.Scalar(ctx, &fieldID, "SELECT id FROM ir_model_fields WHERE model = ? AND name = ?", m.Name, f.Name); err != nil || fieldID == 0 {
		return nil, err
	}
	vals["field_id"] = fieldID
	if cf := m.Fields[f.CurrencyField]; f.Type == models.Monetary && cf != nil {
		cur, err := env.Read(ctx, m, []int64{rec["id"].(int64)}, []string{cf.Name}, false)
		if err != nil {
			return nil, err
		}
		if len(cur) == 1 {
			vals["currency_id"] = cur[0][cf.Name]
		}
	}
	return vals, nil
}

// trackedPair are the old and new values of a change of f from old to
// now (as read, a many2one as its id and name), in the columns of
// mail.tracking.value Odoo's _create_tracking_values puts each type in:
// a date as a datetime at midnight, a boolean as an integer, a selection
// as its label, a many2one as its id and name; nil for a type godoo does
// not track (no model tracks an x2many).
func trackedPair(f *models.Field, old, now any) map[string]any {
	vals := map[string]any{}
	pair := func(kind string, o, n any) {
		vals["old_value_"+kind], vals["new_value_"+kind] = o, n
	}
	switch f.Type {
	case models.Integer, models.Float, models.Char, models.Text, models.Datetime:
		pair(f.Type, old, now)
	case models.Monetary:
		pair("float", old, now)
	case models.Date:
		day := func(v any) any {
			if s, ok := v.(string); ok && s != "" {
				return s + " 00:00:00"
			}
			return false
		}
		pair("datetime", day(old), day(now))
	case models.Boolean:
		num := func(v any) int64 {
			if py.Truthy(v) {
				return 1
			}
			return 0
		}
		pair("integer", num(old), num(now))
	case models.Selection:
		label := func(v any) string {
			for _, s := range f.Selection {
				if s[0] == v {
					return s[1]
				}
			}
			if s, ok := v.(string); ok {
				return s // a value the selection no longer has
			}
			return ""
		}
		pair("char", label(old), label(now))
	case models.Many2one:
		id := func(v any) int64 {
			if l, ok := v.([]any); ok && len(l) == 2 {
				n, _ := l[0].(int64)
				return n
			}
			return 0
		}
		name := func(v any) string {
			if l, ok := v.([]any); ok && len(l) == 2 {
				s, _ := l[1].(string)
				return s
			}
			return ""
		}
		pair("integer", id(old), id(now))
		pair("char", name(old), name(now))
	default:
		return nil
	}
	return vals
}
