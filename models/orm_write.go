package models

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/godoo/godoo/models/py"
)

// magicFields are maintained by the ORM; values that clients send for them
// are ignored, as Odoo does.
var magicFields = map[string]bool{"id": true, "create_uid": true, "create_date": true,
	"write_uid": true, "write_date": true, "display_name": true}

// splitVals validates vals against m and sorts them into stored columns,
// x2many commands and values for delegated records.
func (env *Env) splitVals(ctx context.Context, m *Model, vals map[string]any) (cols map[string]any, x2m map[string]any, related map[string]map[string]any, err error) {
	cols, x2m, related = map[string]any{}, map[string]any{}, map[string]map[string]any{}
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		v := vals[name]
		f := m.Fields[name]
		if f == nil {
			return nil, nil, nil, ServerErrorf("builtins.ValueError", "Invalid field '%s' on model '%s'", name, m.Name)
		}
		switch {
		case magicFields[name], f.valueless():
			// Odoo computes the second; godoo has nothing to write it to.
		case f.Related != nil:
			if related[f.Related[0]] == nil {
				related[f.Related[0]] = map[string]any{}
			}
			related[f.Related[0]][f.Related[1]] = v
		case f.Type == One2many || f.Type == Many2many:
			x2m[name] = v
		case f.hasColumn() || f.Attachment:
			dbv, err := f.toDB(v)
			if err == nil {
				err = env.checkSelectionRecords(ctx, f, dbv)
			}
			if err != nil {
				return nil, nil, nil, err
			}
			if ref, ok := dbv.(string); ok && f.Type == Reference {
				if dbv, err = env.checkReference(ctx, f, ref); err != nil {
					return nil, nil, nil, err
				}
			}
			cols[name] = dbv
		}
	}
	if err := resizeVariants(m, cols); err != nil {
		return nil, nil, nil, err
	}
	return cols, x2m, related, nil
}

// resizeVariants writes the scaled copies of the images written in cols
// (image_1024 ... image_128 from image_1920), as Odoo's stored related
// images are recomputed when their source changes.
func resizeVariants(m *Model, cols map[string]any) error {
	for _, name := range m.FieldOrder {
		f := m.Fields[name]
		if f.ResizedFrom == "" {
			continue
		}
		src, written := cols[f.ResizedFrom]
		if !written {
			continue
		}
		s, _ := src.(string)
		if s == "" || !f.isImage() {
			cols[name] = src
			continue
		}
		out, err := fitImage(s, f.MaxWidth, f.MaxHeight)
		if err != nil {
			return err
		}
		cols[name] = out
	}
	return nil
}

// checkValsAccess refuses values for fields the user may not write, and
// values for unknown fields with Odoo's ValueError, before anything is
// written.
func (env *Env) checkValsAccess(ctx context.Context, m *Model, vals map[string]any) error {
	for _, name := range sortedKeys(vals) {
		f := m.Fields[name]
		if f == nil {
			return ServerErrorf("builtins.ValueError", "Invalid field '%s' on model '%s'", name, m.Name)
		}
		if err := env.checkFieldAccess(ctx, m, f, "write"); err != nil {
			return err
		}
	}
	return nil
}

// prepareVals is in as the model's PrepareVals rewrites it, in a copy;
// in itself when the model has none.
func (env *Env) prepareVals(ctx context.Context, m *Model, ids []int64, in map[string]any) (map[string]any, error) {
	if m.PrepareVals == nil {
		return in, nil
	}
	vals := maps.Clone(in)
	if vals == nil {
		vals = map[string]any{}
	}
	if err := m.PrepareVals(ctx, env, ids, vals); err != nil {
		return nil, err
	}
	return vals, nil
}

// Create inserts one record and returns its id.
func (env *Env) Create(ctx context.Context, m *Model, in map[string]any) (int64, error) {
	in, err := env.prepareVals(ctx, m, nil, in)
	if err != nil {
		return 0, err
	}
	if err := env.checkValsAccess(ctx, m, in); err != nil {
		return 0, err
	}
	vals := make(map[string]any, len(in))
	for k, v := range in {
		vals[k] = v
	}
	for _, name := range m.FieldOrder {
		f := m.Fields[name]
		if _, given := vals[name]; !given {
			if v, ok := f.contextDefault(ctx, env); ok {
				vals[name] = v
			}
		}
	}
	done := false
	if m.WriteFailed != nil {
		defer func() {
			if !done {
				m.WriteFailed(ctx, env, nil, vals)
			}
		}()
	}
	if m.BeforeCreate != nil {
		if err := m.BeforeCreate(ctx, env, vals); err != nil {
			return 0, err
		}
	}
	for _, name := range sortedKeys(vals) {
		if f := m.Fields[name]; f != nil {
			if err := f.pgTimeText(vals[name]); err != nil {
				return 0, err
			}
		}
	}
	cols, x2m, related, err := env.splitVals(ctx, m, vals)
	if err != nil {
		return 0, err
	}
	atts := takeAttachmentVals(m, cols)
	if _, err := env.roundMonetary(ctx, m, nil, cols); err != nil {
		return 0, err
	}
	for _, name := range m.FieldOrder {
		f := m.Fields[name]
		if f.Required && f.hasColumn() && cols[name] == nil && !magicFields[name] {
			return 0, env.NotNullError(m, f)
		}
	}
	if err := env.checkCompanyTargets(ctx, m, cols); err != nil {
		return 0, err
	}
	if m.LogAccess() {
		cols["create_uid"], cols["write_uid"] = env.UID, env.UID
		cols["create_date"], cols["write_date"] = env.NowText(), env.NowText()
	}
	names := make([]string, 0, len(cols))
	for k := range cols {
		names = append(names, k)
	}
	sort.Strings(names)
	args := make([]any, len(names))
	colNames := make([]string, len(names))
	for i, n := range names {
		colNames[i] = m.Fields[n].Column
		args[i] = cols[n]
		if m.Fields[n].CompanyDependent && cols[n] != nil {
			// A new record has a value for the call's company alone.
			cid, err := env.company(ctx)
			if err != nil {
				return 0, err
			}
			args[i] = companyObject(cid, cols[n])
		}
	}
	env.credentialsChanged(m.Table)
	env.defaultsChanged(m.Table)
	q := "INSERT INTO " + m.Table + " (" + strings.Join(colNames, ", ") + ") VALUES (" + Placeholders(len(names)) + ") RETURNING id"
	if len(names) == 0 {
		// A record of a model without log access given no column.
		q = "INSERT INTO " + m.Table + " DEFAULT VALUES RETURNING id"
	}
	var id int64
	if err := env.queryRow(ctx, q, args...).Scan(&id); err != nil {
		return 0, env.integrityError(ctx, m, env.Classify(err), nil, env.many2oneRefs(m, cols)...)
	}
	if err := env.writeRelated(ctx, m, []int64{id}, related); err != nil {
		return 0, err
	}
	if m.parentStore() {
		if err := env.updateParentPaths(ctx, m, []int64{id}); err != nil {
			return 0, err
		}
	}
	if err := env.checkRule(ctx, m, []int64{id}, OpCreate); err != nil {
		return 0, err // the transaction rolls the insert back
	}
	if err := env.writeX2many(ctx, m, []int64{id}, x2m); err != nil {
		return 0, err
	}
	if err := env.writeAttachmentVals(ctx, m, []int64{id}, atts); err != nil {
		return 0, err
	}
	if m.AfterCreate != nil {
		if err := m.AfterCreate(ctx, env, id, vals); err != nil {
			return 0, err
		}
	}
	done = true
	return id, nil
}

// Write updates ids with vals. Every id must exist.
func (env *Env) Write(ctx context.Context, m *Model, ids []int64, in map[string]any) error {
	if len(ids) == 0 {
		return nil
	}
	if err := env.checkExist(ctx, m, ids, "write"); err != nil {
		return err
	}
	if err := env.checkRule(ctx, m, ids, OpWrite); err != nil {
		return err
	}
	in, err := env.prepareVals(ctx, m, ids, in)
	if err != nil {
		return err
	}
	if err := env.checkValsAccess(ctx, m, in); err != nil {
		return err
	}
	vals := make(map[string]any, len(in))
	for k, v := range in {
		vals[k] = v
	}
	done := false
	if m.WriteFailed != nil {
		defer func() {
			if !done {
				m.WriteFailed(ctx, env, ids, vals)
			}
		}()
	}
	if m.BeforeWrite != nil {
		if err := m.BeforeWrite(ctx, env, ids, vals); err != nil {
			return err
		}
	}
	cols, x2m, related, err := env.splitVals(ctx, m, vals)
	if err != nil {
		return err
	}
	atts := takeAttachmentVals(m, cols)
	// Monetary values of records in different currencies are rounded
	// and written record by record, after the common values.
	perRecord, err := env.roundMonetary(ctx, m, ids, cols)
	if err != nil {
		return err
	}
	for name, v := range cols {
		if f := m.Fields[name]; f.Required && v == nil {
			return env.NotNullError(m, f)
		}
	}
	if err := env.checkCompanyTargets(ctx, m, cols); err != nil {
		return err
	}
	if m.LogAccess() {
		cols["write_uid"], cols["write_date"] = env.UID, env.NowText()
	}
	names := make([]string, 0, len(cols))
	for k := range cols {
		names = append(names, k)
	}
	sort.Strings(names)
	sets := make([]string, len(names))
	args := make([]any, 0, len(names)+len(ids))
	for i, n := range names {
		f := m.Fields[n]
		if f.CompanyDependent {
			// Only the call's company's value changes.
			cid, err := env.company(ctx)
			if err != nil {
				return err
			}
			sets[i] = companySet(env.Dialect, f.Column, cid)
			args = append(args, companyJSON(cols[n]))
			continue
		}
		sets[i] = f.Column + " = ?"
		args = append(args, cols[n])
	}
	for _, id := range ids {
		args = append(args, id)
	}
	env.credentialsChanged(m.Table)
	env.defaultsChanged(m.Table)
	// A write of x2many fields alone on a model without log access
	// (mail.followers' subtypes) changes no column.
	if len(sets) > 0 {
		q := "UPDATE " + m.Table + " SET " + strings.Join(sets, ", ") + " WHERE id IN (" + Placeholders(len(ids)) + ")"
		if _, err := env.Exec(ctx, q, args...); err != nil {
			return env.integrityError(ctx, m, err, nil, env.many2oneRefs(m, cols)...)
		}
	}
	if err := env.checkParentCycle(ctx, m, ids, cols); err != nil {
		return err
	}
	for _, id := range ids {
		for _, name := range sortedKeys(perRecord[id]) {
			set, v := m.Fields[name].Column+" = ?", perRecord[id][name]
			if m.Fields[name].CompanyDependent {
				cid, err := env.company(ctx)
				if err != nil {
					return err
				}
				set, v = companySet(env.Dialect, m.Fields[name].Column, cid), companyJSON(v)
			}
			if _, err := env.Exec(ctx, "UPDATE "+m.Table+" SET "+set+" WHERE id = ?", v, id); err != nil {
				return err
			}
		}
	}
	if err := env.writeRelated(ctx, m, ids, related); err != nil {
		return err
	}
	if _, moved := cols["parent_id"]; moved && m.parentStore() {
		if err := env.updateParentPaths(ctx, m, ids); err != nil {
			return err
		}
	}
	if err := env.writeX2many(ctx, m, ids, x2m); err != nil {
		return err
	}
	if err := env.writeAttachmentVals(ctx, m, ids, atts); err != nil {
		return err
	}
	if m.AfterWrite != nil {
		if err := m.AfterWrite(ctx, env, ids, vals); err != nil {
			return err
		}
	}
	done = true
	return nil
}

// maxHierarchyDepth bounds the walk up a hierarchy that looks for a
// cycle, against a cycle the database held already.
const maxHierarchyDepth = 10000

// checkParentCycle refuses a write of parent_id (Odoo's _parent_name)
// that made one of ids its own ancestor, once written: a model that keeps
// a parent_path (Odoo's _parent_store) with the UserError "Recursion
// Detected.", one with a message for it (Hooks.ParentCycle) with that
// ValidationError; other models keep no such check, as in Odoo.
func (env *Env) checkParentCycle(ctx context.Context, m *Model, ids []int64, cols map[string]any) error {
	f := m.Fields["parent_id"]
	if f == nil || f.Type != Many2one || f.Relation != m.Name || !f.Stored() || cols["parent_id"] == nil {
		return nil
	}
	if m.Fields["parent_path"] == nil && m.ParentCycle == "" {
		return nil
	}
	col := f.Column
	q := "WITH RECURSIVE h(start, id, depth) AS (SELECT id, " + col + ", 1 FROM " + m.Table +
		" WHERE id IN (" + Placeholders(len(ids)) + ") UNION ALL SELECT h.start, t." + col + ", h.depth + 1 FROM h JOIN " +
		m.Table + " t ON t.id = h.id WHERE h.id <> h.start AND h.depth < ?) SELECT COUNT(*) FROM h WHERE id = start"
	var n int64
	if _, err := env.Scalar(ctx, &n, q, append(IDArgs(ids), int64(maxHierarchyDepth))...); err != nil {
		return err
	}
	switch {
	case n == 0:
		return nil
	case m.Fields["parent_path"] != nil:
		return UserErrorf("Recursion Detected.")
	}
	return ValidationErrorf("%s", m.ParentCycle)
}

// Unlink deletes ids. Ids that no longer exist are ignored.
func (env *Env) Unlink(ctx context.Context, m *Model, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if err := env.checkRule(ctx, m, ids, OpUnlink); err != nil {
		return err
	}
	// Odoo 18 refuses to delete records that are gone already, as it
	// refuses to write them; records hidden by a rule are refused first.
	if err := env.checkExist(ctx, m, ids, "unlink"); err != nil {
		return err
	}
	if m.BeforeUnlink != nil {
		if err := m.BeforeUnlink(ctx, env, ids); err != nil {
			return err
		}
	}
	if err := env.checkCompanyRefs(ctx, m, ids); err != nil {
		return err
	}
	if a := env.attachments(); a != nil {
		// The records' attachments go with them, as Odoo's unlink does.
		if err := a.Unlink(ctx, env, m, ids); err != nil {
			return err
		}
	}
	args := IDArgs(ids)
	env.credentialsChanged(m.Table)
	env.defaultsChanged(m.Table)
	q := "DELETE FROM " + m.Table + " WHERE id IN (" + Placeholders(len(ids)) + ")"
	if _, err := env.Exec(ctx, q, args...); err != nil {
		return env.integrityError(ctx, m, err, ids)
	}
	return env.dropCompanyRefs(ctx, m, ids)
}

// checkExist raises Odoo's MissingError when some of ids are gone.
func (env *Env) checkExist(ctx context.Context, m *Model, ids []int64, op string) error {
	found, err := env.Exists(ctx, m, ids)
	if err != nil {
		return err
	}
	if len(found) == len(UniqueIDs(ids)) {
		return nil
	}
	have := map[int64]bool{}
	for _, id := range found {
		have[id] = true
	}
	var missing []string
	for _, id := range UniqueIDs(ids) {
		if !have[id] {
			missing = append(missing, fmt.Sprint(id))
		}
	}
	return MissingErrorf("Record does not exist or has been deleted.\n(Record: %s, User: %d)",
		m.Name+"("+strings.Join(missing, ", ")+map[bool]string{true: ",", false: ""}[len(missing) == 1]+")", env.UID)
}

// CheckExist returns Odoo's MissingError when one of ids does not exist
// (a record method's check before it acts on its records).
func (env *Env) CheckExist(ctx context.Context, m *Model, ids []int64) error {
	return env.checkExist(ctx, m, ids, "")
}

// Exists returns the subset of ids that exist, in the order given.
func (env *Env) Exists(ctx context.Context, m *Model, ids []int64) ([]int64, error) {
	ids = UniqueIDs(ids)
	if len(ids) == 0 {
		return []int64{}, nil
	}
	found, err := env.Int64s(ctx, "SELECT id FROM "+m.Table+" WHERE id IN ("+Placeholders(len(ids))+")", IDArgs(ids)...)
	if err != nil {
		return nil, err
	}
	have := map[int64]bool{}
	for _, id := range found {
		have[id] = true
	}
	out := make([]int64, 0, len(found))
	for _, id := range ids {
		if have[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// writeRelated writes values of delegated fields on the records they live on.
func (env *Env) writeRelated(ctx context.Context, m *Model, ids []int64, related map[string]map[string]any) error {
	for via, vals := range related {
		f := m.Fields[via]
		co := env.Registry.Model(f.Relation)
		targets, err := env.Int64s(ctx, "SELECT "+f.Column+" FROM "+m.Table+" WHERE id IN ("+Placeholders(len(ids))+") AND "+f.Column+" IS NOT NULL", IDArgs(ids)...)
		if err != nil {
			return err
		}
		if err := env.Write(ctx, co, targets, vals); err != nil {
			return err
		}
	}
	return nil
}

// writeX2many applies x2many values: Odoo's command triples (0 create,
// 1 update, 2 delete, 3 unlink, 4 link, 5 clear, 6 set) or a plain id list.
func (env *Env) writeX2many(ctx context.Context, m *Model, ids []int64, x2m map[string]any) error {
	names := make([]string, 0, len(x2m))
	for k := range x2m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		f := m.Fields[name]
		cmds, err := parseCommands(f, x2m[name])
		if err != nil {
			return err
		}
		for _, id := range ids {
			for _, c := range cmds {
				if err := env.applyCommand(ctx, f, id, c); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

type command struct {
	code int64
	id   int64
	vals map[string]any
	ids  []int64
}

func parseCommands(f *Field, v any) ([]command, error) {
	if v == nil || v == false {
		return []command{{code: 5}}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, ServerErrorf("builtins.ValueError", "Wrong value for %s: %s", f.Name, py.Repr(v))
	}
	var out []command
	for _, item := range list {
		if id, ok := ToInt64(item); ok && !isBool(item) {
			// A plain list of ids replaces the links.
			out = append(out, command{code: 4, id: id})
			continue
		}
		t, ok := item.([]any)
		if !ok || len(t) == 0 {
			return nil, ServerErrorf("builtins.ValueError", "Wrong value for %s: %s", f.Name, py.Repr(v))
		}
		code, ok := ToInt64(t[0])
		if !ok {
			return nil, ServerErrorf("builtins.ValueError", "Wrong value for %s: %s", f.Name, py.Repr(item))
		}
		if code < 0 || code > 6 {
			continue // Odoo's write of x2many values passes over an unknown command
		}
		if (code == 0 || code == 6) && len(t) < 3 {
			// Odoo reads command[2] of a create or a set: a shorter one fails.
			return nil, ServerErrorf("builtins.IndexError", "list index out of range")
		}
		c := command{code: code}
		if len(t) > 1 {
			c.id, _ = ToInt64(t[1])
		}
		if len(t) > 2 {
			switch code {
			case 0, 1:
				c.vals, _ = t[2].(map[string]any)
				if c.vals == nil {
					c.vals = map[string]any{}
				}
			case 6:
				ids, err := IDList(t[2])
				if err != nil {
					return nil, err
				}
				c.ids = ids
			}
		}
		if (code == 1 || code == 2 || code == 3 || code == 4) && len(t) < 2 {
			return nil, ServerErrorf("builtins.ValueError", "Wrong value for %s: %s", f.Name, py.Repr(item))
		}
		out = append(out, c)
	}
	if len(out) > 0 && allLinks(out) && len(out) == len(list) {
		if _, isCmd := list[0].([]any); !isCmd {
			ids := make([]int64, len(out))
			for i, c := range out {
				ids[i] = c.id
			}
			return []command{{code: 6, ids: ids}}, nil
		}
	}
	return out, nil
}

func allLinks(cmds []command) bool {
	for _, c := range cmds {
		if c.code != 4 || c.vals != nil {
			return false
		}
	}
	return true
}

func (env *Env) applyCommand(ctx context.Context, f *Field, id int64, c command) error {
	co := env.Registry.Model(f.Relation)
	if f.Type == Many2many {
		switch c.code {
		case 0:
			nid, err := env.Create(ctx, co, c.vals)
			if err != nil {
				return err
			}
			return env.Link(ctx, f, id, nid)
		case 1:
			return env.Write(ctx, co, []int64{c.id}, c.vals)
		case 2:
			if err := env.unlinkRel(ctx, f, id, &c.id); err != nil {
				return err
			}
			return env.Unlink(ctx, co, []int64{c.id})
		case 3:
			return env.unlinkRel(ctx, f, id, &c.id)
		case 4:
			return env.Link(ctx, f, id, c.id)
		case 5:
			return env.unlinkRel(ctx, f, id, nil)
		case 6:
			if err := env.unlinkRel(ctx, f, id, nil); err != nil {
				return err
			}
			for _, other := range UniqueIDs(c.ids) {
				if err := env.Link(ctx, f, id, other); err != nil {
					return err
				}
			}
		}
		return nil
	}
	inv := co.Fields[f.InverseName]
	// link are the values that link a line to the record: its id, and
	// its model when the inverse is a many2one_reference.
	link := map[string]any{inv.Name: id}
	if inv.Type == Many2oneReference {
		link[inv.ModelField] = f.Model
	}
	switch c.code {
	case 0:
		vals := map[string]any{}
		for k, v := range c.vals {
			vals[k] = v
		}
		for k, v := range link {
			vals[k] = v
		}
		_, err := env.Create(ctx, co, vals)
		return err
	case 1:
		return env.Write(ctx, co, []int64{c.id}, c.vals)
	case 2:
		return env.Unlink(ctx, co, []int64{c.id})
	case 3:
		return env.dropLines(ctx, co, inv, []int64{c.id})
	case 4:
		return env.Write(ctx, co, []int64{c.id}, link)
	case 5, 6:
		current, err := env.Int64s(ctx, "SELECT id FROM "+co.Table+" c WHERE c."+inv.Column+" = ?"+f.inverseModel(co, "c", f.Model), id)
		if err != nil {
			return err
		}
		keep := map[int64]bool{}
		for _, k := range c.ids {
			keep[k] = true
		}
		var drop []int64
		for _, cur := range current {
			if !keep[cur] {
				drop = append(drop, cur)
			}
		}
		if err := env.dropLines(ctx, co, inv, drop); err != nil {
			return err
		}
		return env.Write(ctx, co, c.ids, link)
	}
	return nil
}

// dropLines takes the lines ids out of a one2many whose inverse is inv:
// Odoo deletes them when the inverse cascades (a line cannot outlive its
// record) and empties their inverse otherwise.
func (env *Env) dropLines(ctx context.Context, co *Model, inv *Field, ids []int64) error {
	if inv.OnDelete == "cascade" {
		return env.Unlink(ctx, co, ids)
	}
	return env.Write(ctx, co, ids, map[string]any{inv.Name: false})
}

// Link links record id to other through the many2many f, unless they are
// linked already, naming the missing record as Odoo does when one is gone.
func (env *Env) Link(ctx context.Context, f *Field, id, other int64) error {
	var n int64
	if _, err := env.Scalar(ctx, &n, "SELECT COUNT(*) FROM "+f.RelTable+" WHERE "+f.RelCol+" = ? AND "+f.RelOther+" = ?", id, other); err != nil || n > 0 {
		return err
	}
	_, err := env.Exec(ctx, "INSERT INTO "+f.RelTable+" ("+f.RelCol+", "+f.RelOther+") VALUES (?, ?)", id, other)
	if err != nil {
		co := env.Registry.Model(f.Relation)
		refs := []fkRef{{table: f.RelTable, column: f.RelOther, target: co, id: other}}
		if owner := env.fieldOwner(f); owner != nil {
			refs = append([]fkRef{{table: f.RelTable, column: f.RelCol, target: owner, id: id}}, refs...)
		}
		return env.integrityError(ctx, co, err, nil, refs...)
	}
	return nil
}

// fieldOwner returns the model that declares f.
func (env *Env) fieldOwner(f *Field) *Model {
	for _, name := range env.Registry.Names() {
		if m := env.Registry.Model(name); m.Fields[f.Name] == f {
			return m
		}
	}
	return nil
}

func (env *Env) unlinkRel(ctx context.Context, f *Field, id int64, other *int64) error {
	q := "DELETE FROM " + f.RelTable + " WHERE " + f.RelCol + " = ?"
	args := []any{id}
	if other != nil {
		q += " AND " + f.RelOther + " = ?"
		args = append(args, *other)
	}
	_, err := env.Exec(ctx, q, args...)
	return err
}
