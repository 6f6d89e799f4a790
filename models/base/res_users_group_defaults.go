package base

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/godoo/godoo/models"
)

// usersDefaultGet is res.users' default_get, as Odoo's UsersView: the
// fields of groups have no default of their own (nor one from the
// context): they are read from the default of groups_id (the template
// user's groups, or the context's default_groups_id), which the answer
// then holds too, asked for or not, as Odoo's. Clients calling
// default_get for a new user thus get the template's user type and
// rights (the web client asks onchange instead, which godoo lacks).
//
// Odoo's UsersView names its parameter fields, not fields_list as
// BaseModel does, so a call passes it by that keyword; it is handed on to
// models.DefaultGet under the name that function reads.
func usersDefaultGet(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	names, _ := a["fields"].([]any)
	var groupFields []string
	rest := make([]any, 0, len(names)+1)
	for _, n := range names {
		if s, ok := n.(string); ok && isGroupField(s) {
			groupFields = append(groupFields, s)
			continue
		}
		rest = append(rest, n)
	}
	args := make(models.Args, len(a))
	for k, v := range a {
		if k != "fields" {
			args[k] = v
		}
	}
	if len(groupFields) == 0 {
		args["fields_list"] = a["fields"]
		return models.DefaultGet(ctx, env, m, ids, args)
	}
	args["fields_list"] = append(rest, "groups_id")
	res, err := models.DefaultGet(ctx, env, m, ids, args)
	if err != nil {
		return nil, err
	}
	out := res.(*models.Dict)
	v, _ := out.Get("groups_id")
	if err := addGroupFieldValues(ctx, env, groupFields, parseM2M(v), out); err != nil {
		return nil, err
	}
	return out, nil
}

// addGroupFieldValues sets in out the value of each field of groups named
// for a user of groups gids, as Odoo's _add_reified_groups: a boolean
// tells whether its group is in gids; a selection is the last of its
// groups in gids in the order of their implications (the internal user
// group whenever it is one of them), or false.
func addGroupFieldValues(ctx context.Context, env *models.Env, names []string, gids []int64, out *models.Dict) error {
	has := make(map[int64]bool, len(gids))
	for _, g := range gids {
		has[g] = true
	}
	var implied map[int64][]int64
	internal := int64(-1)
	for _, name := range names {
		if strings.HasPrefix(name, inGroupPrefix) {
			ids, _ := groupFieldIDs(name, inGroupPrefix)
			out.Set(name, len(ids) == 1 && has[ids[0]])
			continue
		}
		ids, _ := groupFieldIDs(name, selGroupsPrefix)
		if implied == nil {
			var err error
			if implied, err = env.Pairs(ctx, "SELECT gid, hid FROM res_groups_implied_rel"); err != nil {
				return err
			}
			if internal, err = env.XMLID(ctx, "base.group_user"); err != nil {
				return err
			}
		}
		var v any = false
		for _, g := range selectionOrder(ids, implied) {
			if has[g] {
				v = g
				if g == internal {
					break
				}
			}
		}
		out.Set(name, v)
	}
	return nil
}

// selectionOrder is the order of the groups of a selection, as Odoo sorts
// them: by how many of the others each implies, the ids ascending among
// equals.
func selectionOrder(ids []int64, implied map[int64][]int64) []int64 {
	sorted := append([]int64(nil), ids...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	rank := make(map[int64]int, len(sorted))
	for _, g := range sorted {
		for h := range transImplied(g, implied) {
			if h != g && slices.Contains(sorted, h) {
				rank[g]++
			}
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool { return rank[sorted[i]] < rank[sorted[j]] })
	return sorted
}

// parseM2M is the ids a many2many value gives, as Odoo's parse_m2m: a
// list of ids or of commands (link and update add their id, clear empties
// the list, set replaces it).
func parseM2M(v any) []int64 {
	list, _ := v.([]any)
	var ids []int64
	for _, c := range list {
		cmd, ok := c.([]any)
		if !ok {
			if id, ok := models.ToInt64(c); ok {
				ids = append(ids, id)
			}
			continue
		}
		if len(cmd) == 0 {
			continue
		}
		op, _ := models.ToInt64(cmd[0])
		switch {
		case (op == 1 || op == 4) && len(cmd) > 1:
			if id, ok := models.ToInt64(cmd[1]); ok {
				ids = append(ids, id)
			}
		case op == 5:
			ids = nil
		case op == 6 && len(cmd) > 2:
			ids = nil
			set, _ := cmd[2].([]any)
			for _, x := range set {
				if id, ok := models.ToInt64(x); ok {
					ids = append(ids, id)
				}
			}
		}
	}
	return ids
}
