package base

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
	"github.com/uptrace/bun"
)

// The fields of groups of res.users are Odoo's "reified" groups: the
// user form shows a user's groups as one field per application instead
// of the many2many groups_id. Odoo makes them from its database's groups
// (res.groups.get_groups_by_application, res.users' UsersView): a
// selection sel_groups_<ids> for each category whose groups form a chain
// of implications (its values the groups, from the least to the most
// rights), and a boolean in_group_<id> for each group of the other
// categories and of none. Their names carry the ids of the database's
// groups, so godoo makes them for each database from its own groups, as
// fields its extension adds to res.users (groupFieldsSource): read from
// groups_id, written as groups_id (usersGroupVals), and made again when
// groups change (groupsRegistryChanged) or modules install.
const (
	inGroupPrefix   = "in_group_"
	selGroupsPrefix = "sel_groups_"
	// groupFieldCompute is the name every field of groups computes under.
	groupFieldCompute = "_compute_groups_field"
)

// unlistedGroups are groups Odoo leaves out of the user form while they
// are in the hidden category: account's override of
// get_application_groups, so that "Show Full Accounting Features" and its
// read-only and basic kinds do not confuse the choice of Invoicing's
// rights.
var unlistedGroups = []string{"account.group_account_user", "account.group_account_readonly", "account.group_account_basic"}

// groupField is one field of groups: a selection of groups (in the order
// of their implications) or the boolean of one group.
type groupField struct {
	name      string
	label     string
	help      string
	selection bool
	groups    []int64  // in the selection's order; the boolean's one group
	names     []string // the groups' names, in the same order
	// userType is the selection of base's user types: it has no empty
	// value, and a user with the internal user group (prefer) reads as
	// an internal user whatever else it has.
	userType bool
	prefer   int64
}

// groupRow is a group as the fields of groups need it.
type groupRow struct {
	id       int64
	name     string
	category int64
	comment  string
}

// categoryRow is a category of groups (ir.module.category).
type categoryRow struct {
	id          int64
	name        string
	sequence    int64
	description string
}

// groupFieldsSource is the extension source of the fields of groups of
// res.users, made from the database's groups.
func groupFieldsSource(ctx context.Context, db bun.IDB) (models.Extension, error) {
	fields, err := readGroupFields(ctx, db)
	if err != nil {
		return models.Extension{}, err
	}
	var x models.Extension
	for _, gf := range fields {
		x.Fields = append(x.Fields, gf.extraField())
	}
	return x, nil
}

// extraField declares gf as a field of res.users: described as Odoo's
// fields_get describes it (neither exportable nor selectable), computed
// from groups_id.
func (gf groupField) extraField() models.ExtraField {
	fd := models.FieldDeclaration{Name: gf.name, Type: models.Boolean, String: gf.label, Help: gf.help,
		Compute: groupFieldCompute}
	described := []models.Attr{{Name: "exportable", Value: false}, {Name: "selectable", Value: false}}
	if gf.selection {
		fd.Type = models.Selection
		sel := []any{}
		if !gf.userType {
			sel = append(sel, []any{false, ""})
		}
		for i, g := range gf.groups {
			sel = append(sel, []any{g, gf.names[i]})
		}
		described = append(described, models.Attr{Name: "selection", Value: sel})
	}
	fd.Described = append(described, models.Attr{Name: "string", Value: gf.label}, models.Attr{Name: "type", Value: fd.Type})
	return models.ExtraField{Model: "res.users", Field: fd, Compute: gf.compute}
}

// compute reads gf for users recs from their groups, as Odoo's
// _add_reified_groups: a boolean tells whether the user has its group; a
// selection is the user's last group in its order, false for none (an
// internal user is one whatever else it has).
func (gf groupField) compute(ctx context.Context, env *models.Env, recs []models.Record) error {
	ids := make([]int64, 0, len(recs))
	for _, r := range recs {
		if id, ok := r["id"].(int64); ok {
			ids = append(ids, id)
		}
	}
	has := map[int64]map[int64]bool{}
	if len(ids) > 0 {
		args := append(models.IDArgs(ids), models.IDArgs(gf.groups)...)
		member, err := env.Pairs(ctx, "SELECT uid, gid FROM res_groups_users_rel WHERE uid IN ("+models.Placeholders(len(ids))+
			") AND gid IN ("+models.Placeholders(len(gf.groups))+")", args...)
		if err != nil {
			return err
		}
		for uid, gids := range member {
			has[uid] = map[int64]bool{}
			for _, g := range gids {
				has[uid][g] = true
			}
		}
	}
	for _, r := range recs {
		id, _ := r["id"].(int64)
		if !gf.selection {
			r[gf.name] = has[id][gf.groups[0]]
			continue
		}
		var v any = false
		for _, g := range gf.groups {
			if has[id][g] {
				v = g
			}
		}
		if gf.prefer != 0 && has[id][gf.prefer] {
			v = gf.prefer
		}
		r[gf.name] = v
	}
	return nil
}

// readGroupFields makes the fields of groups from the database's groups,
// in Odoo's order: the categories by sequence (a selection, or the
// booleans of its groups by name), then the booleans of the groups of no
// category.
func readGroupFields(ctx context.Context, db bun.IDB) ([]groupField, error) {
	groups, err := readGroupRows(ctx, db)
	if err != nil {
		return nil, err
	}
	cats, err := readCategoryRows(ctx, db)
	if err != nil {
		return nil, err
	}
	xmlids, err := groupXMLIDs(ctx, db)
	if err != nil {
		return nil, err
	}
	implied, err := linkPairs(ctx, db, "SELECT gid, hid FROM res_groups_implied_rel")
	if err != nil {
		return nil, err
	}
	unlisted := map[int64]bool{}
	for _, x := range unlistedGroups {
		if id := xmlids["res.groups:"+x]; id != 0 {
			unlisted[id] = true
		}
	}
	hidden := xmlids["ir.module.category:base.module_category_hidden"]
	byCat := map[int64][]groupRow{}
	var order []int64 // categories as their first group comes, by name
	var others []groupRow
	for _, g := range groups {
		switch {
		case unlisted[g.id] && g.category == hidden:
		case g.category == 0 || cats[g.category] == nil:
			others = append(others, g)
		default:
			if byCat[g.category] == nil {
				order = append(order, g.category)
			}
			byCat[g.category] = append(byCat[g.category], g)
		}
	}
	// Python's sorted is stable: categories of one sequence keep the
	// order in which their first group came.
	sort.SliceStable(order, func(i, j int) bool { return cats[order[i]].sequence < cats[order[j]].sequence })
	var out []groupField
	for _, c := range order {
		out = append(out, linearize(cats[c], byCat[c], implied, xmlids)...)
	}
	for _, g := range others {
		out = append(out, booleanGroupField(g))
	}
	return out, nil
}

// linearize makes the fields of a category's groups, as Odoo's
// get_groups_by_application: base's user types are a selection by id;
// a category whose groups each imply a different number of the others
// (a chain), and Invoicing's in any case, a selection in that order;
// the groups of any other category booleans.
func linearize(c *categoryRow, gs []groupRow, implied map[int64][]int64, xmlids map[string]int64) []groupField {
	userType := c.id == xmlids["ir.module.category:base.module_category_user_type"]
	in := map[int64]bool{}
	for _, g := range gs {
		in[g.id] = true
	}
	rank := map[int64]int{}
	distinct := map[int]bool{}
	for _, g := range gs {
		n := 0
		for h := range transImplied(g.id, implied) {
			if in[h] {
				n++
			}
		}
		rank[g.id] = n
		distinct[n] = true
	}
	sorted := append([]groupRow(nil), gs...)
	switch {
	case userType:
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].id < sorted[j].id })
	case c.id == xmlids["ir.module.category:base.module_category_accounting_accounting"] || len(distinct) == len(gs):
		sort.SliceStable(sorted, func(i, j int) bool { return rank[sorted[i].id] < rank[sorted[j].id] })
	default:
		out := make([]groupField, len(gs))
		for i, g := range gs {
			out[i] = booleanGroupField(g)
		}
		return out
	}
	gf := groupField{label: c.name, selection: true, userType: userType}
	if gf.label == "" {
		gf.label = "Other"
	}
	var tips []string
	if c.description != "" {
		tips = append(tips, c.description+"\n")
	}
	ids := make([]int64, len(sorted))
	for i, g := range sorted {
		gf.groups = append(gf.groups, g.id)
		gf.names = append(gf.names, g.name)
		ids[i] = g.id
		if g.comment != "" {
			tips = append(tips, g.name+": "+g.comment)
		}
	}
	gf.help = strings.Join(tips, "\n")
	if internal := xmlids["res.groups:base.group_user"]; userType && in[internal] {
		gf.prefer = internal
	}
	gf.name = selGroupsName(ids)
	return []groupField{gf}
}

// booleanGroupField is the in_group_<id> field of a group.
func booleanGroupField(g groupRow) groupField {
	return groupField{name: inGroupPrefix + strconv.FormatInt(g.id, 10), label: g.name, help: g.comment,
		groups: []int64{g.id}, names: []string{g.name}}
}

// selGroupsName is the name of the selection of groups ids, as Odoo's
// name_selection_groups: their ids in ascending order.
func selGroupsName(ids []int64) string {
	sorted := append([]int64(nil), ids...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	parts := make([]string, len(sorted))
	for i, id := range sorted {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return selGroupsPrefix + strings.Join(parts, "_")
}

// transImplied is every group g implies, directly or not (Odoo's
// trans_implied_ids), without g itself unless a cycle leads back to it.
func transImplied(g int64, implied map[int64][]int64) map[int64]bool {
	seen := map[int64]bool{}
	todo := append([]int64(nil), implied[g]...)
	for len(todo) > 0 {
		h := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		todo = append(todo, implied[h]...)
	}
	return seen
}

// readGroupRows reads the groups, by name as Odoo's res.groups orders
// them.
func readGroupRows(ctx context.Context, db bun.IDB) ([]groupRow, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, COALESCE(name, ''), COALESCE(category_id, 0), COALESCE(comment, '') FROM res_groups`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []groupRow
	for rows.Next() {
		var g groupRow
		if err := rows.Scan(&g.id, &g.name, &g.category, &g.comment); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].name != out[j].name {
			return out[i].name < out[j].name
		}
		return out[i].id < out[j].id
	})
	return out, rows.Err()
}

// readCategoryRows reads the categories of groups, by id.
func readCategoryRows(ctx context.Context, db bun.IDB) (map[int64]*categoryRow, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, COALESCE(name, ''), COALESCE(sequence, 0), COALESCE(description, '') FROM ir_module_category`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*categoryRow{}
	for rows.Next() {
		c := &categoryRow{}
		if err := rows.Scan(&c.id, &c.name, &c.sequence, &c.description); err != nil {
			return nil, err
		}
		out[c.id] = c
	}
	return out, rows.Err()
}

// groupXMLIDs are the ids of the groups and categories the rules of the
// fields of groups name, by "model:module.name".
func groupXMLIDs(ctx context.Context, db bun.IDB) (map[string]int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT model, module, name, res_id FROM ir_model_data
		WHERE model IN ('res.groups', 'ir.module.category') AND module IN ('base', 'account')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var model, module, name string
		var id int64
		if err := rows.Scan(&model, &module, &name, &id); err != nil {
			return nil, err
		}
		out[model+":"+module+"."+name] = id
	}
	return out, rows.Err()
}

// linkPairs runs a query of two integer columns outside a call (as an
// extension source reads) and groups the second by the first.
func linkPairs(ctx context.Context, db bun.IDB, q string) (map[int64][]int64, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return models.ScanPairs(rows)
}

// usersGroupVals turns the values of fields of groups a create or write
// of res.users gives into groups_id, as Odoo's _remove_reified_groups: a
// true boolean adds its group, a false one removes it; a selection
// removes its groups and adds the one chosen. The groups removed keep
// those that the added ones imply. When the values give groups_id
// themselves, the fields of groups are left out.
func usersGroupVals(ctx context.Context, env *models.Env, _ []int64, vals map[string]any) error {
	var add, rem []int64
	found := false
	for _, k := range sortedVals(vals) {
		v := vals[k]
		switch {
		case strings.HasPrefix(k, inGroupPrefix):
			id, ok := groupFieldIDs(k, inGroupPrefix)
			if !ok || len(id) != 1 {
				continue
			}
			if py.Truthy(v) {
				add = append(add, id[0])
			} else {
				rem = append(rem, id[0])
			}
		case strings.HasPrefix(k, selGroupsPrefix):
			ids, ok := groupFieldIDs(k, selGroupsPrefix)
			if !ok {
				continue
			}
			rem = append(rem, ids...)
			if py.Truthy(v) {
				id, ok := models.ToInt64(v)
				if !ok {
					return models.ServerErrorf("builtins.ValueError", "invalid literal for int() with base 10: %s", py.Repr(v))
				}
				add = append(add, id)
			}
		default:
			continue
		}
		found = true
		delete(vals, k)
	}
	if _, given := vals["groups_id"]; given || !found {
		return nil
	}
	implied, err := env.Pairs(ctx, "SELECT gid, hid FROM res_groups_implied_rel")
	if err != nil {
		return err
	}
	added := map[int64]bool{}
	for _, g := range add {
		added[g] = true
		for h := range transImplied(g, implied) {
			added[h] = true
		}
	}
	cmds := []any{}
	for _, g := range rem {
		if !added[g] {
			cmds = append(cmds, []any{int64(3), g})
		}
	}
	for _, g := range add {
		cmds = append(cmds, []any{int64(4), g})
	}
	vals["groups_id"] = cmds
	return nil
}

// isGroupField tells whether name is that of a field of groups.
func isGroupField(name string) bool {
	for _, prefix := range []string{inGroupPrefix, selGroupsPrefix} {
		if strings.HasPrefix(name, prefix) {
			_, ok := groupFieldIDs(name, prefix)
			return ok
		}
	}
	return false
}

// groupFieldIDs are the group ids a field of groups' name carries.
func groupFieldIDs(name, prefix string) ([]int64, bool) {
	parts := strings.Split(strings.TrimPrefix(name, prefix), "_")
	ids := make([]int64, len(parts))
	for i, p := range parts {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			return nil, false
		}
		ids[i] = id
	}
	return ids, true
}

// sortedVals is the names of vals in order, so that commands come out
// the same way every time.
func sortedVals(vals map[string]any) []string {
	out := make([]string, 0, len(vals))
	for k := range vals {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// groupsRegistryChanged makes every process make the fields of groups
// again, when a group is created or deleted or changes what they show:
// its name, category, comment or implications.
func groupsRegistryChanged(ctx context.Context, env *models.Env, vals map[string]any) error {
	if vals != nil && !hasAny(vals, "name", "category_id", "comment", "implied_ids") {
		return nil
	}
	return env.RegistryChanged(ctx)
}
