package base

import (
	"context"

	"github.com/godoo/godoo/models"
)

// The defaults of Odoo's fields that are computed when a record is made
// (default_get and create): Behaviour.Defaults of the models below.

// envLang is the language of the call's context when it names one, else
// en_US: the default language of a partner (Odoo's
// `default=lambda self: self.env.lang`, en_US in a base database).
func envLang(_ context.Context, env *models.Env) any {
	if l, ok := env.Context["lang"].(string); ok && l != "" {
		return l
	}
	return "en_US"
}

// envTZ is the time zone of the call's context, False without one.
func envTZ(_ context.Context, env *models.Env) any {
	if tz, ok := env.Context["tz"].(string); ok && tz != "" {
		return tz
	}
	return false
}

// partnerDefaults are res.partner's computed defaults.
func partnerDefaults() map[string]func(context.Context, *models.Env) any {
	return map[string]func(context.Context, *models.Env) any{
		"lang":  envLang,
		"tz":    envTZ,
		"color": func(context.Context, *models.Env) any { return int64(0) },
	}
}

// usersDefaults are res.users': the partner's language and time zone, the
// groups of Odoo's template of new users with those they imply (in
// res.groups' order, by name), and the current company as the one allowed.
func usersDefaults() map[string]func(context.Context, *models.Env) any {
	return map[string]func(context.Context, *models.Env) any{
		"lang": envLang,
		"tz":   envTZ,
		"groups_id": func(ctx context.Context, env *models.Env) any {
			ids, err := defaultUserGroupIDs(ctx, env)
			if err != nil || len(ids) == 0 {
				return []any{}
			}
			return []any{[]any{int64(6), int64(0), ids}}
		},
		"company_ids": func(ctx context.Context, env *models.Env) any {
			return []any{[]any{int64(6), int64(0), []any{currentCompany(ctx, env)}}}
		},
	}
}

// currentCompany is the company of the calling user (the main company for
// the superuser or an unknown one).
func currentCompany(ctx context.Context, env *models.Env) int64 {
	var id int64
	if ok, err := env.Scalar(ctx, &id, "SELECT company_id FROM res_users WHERE id = ?", env.UID); err != nil || !ok || id == 0 {
		return 1
	}
	return id
}

// defaultUserGroupIDs are the groups of the template user and those they
// imply, ordered by name.
func defaultUserGroupIDs(ctx context.Context, env *models.Env) ([]any, error) {
	var todo []int64
	for _, x := range defaultUserGroups {
		gid, err := env.XMLID(ctx, x)
		if err != nil {
			return nil, err
		}
		if gid != 0 {
			todo = append(todo, gid)
		}
	}
	if len(todo) == 0 {
		return nil, nil
	}
	implied, err := env.Pairs(ctx, "SELECT gid, hid FROM res_groups_implied_rel")
	if err != nil {
		return nil, err
	}
	has := map[int64]bool{}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if has[g] {
			continue
		}
		has[g] = true
		todo = append(todo, implied[g]...)
	}
	ids := make([]int64, 0, len(has))
	for g := range has {
		ids = append(ids, g)
	}
	sorted, err := env.Int64s(ctx, "SELECT id FROM res_groups WHERE id IN ("+models.Placeholders(len(ids))+") ORDER BY name, id", models.IDArgs(ids)...)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(sorted))
	for i, id := range sorted {
		out[i] = id
	}
	return out, nil
}
