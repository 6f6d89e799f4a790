package base

import (
	"context"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models"
)

// authFields are the res.users fields whose change must invalidate every
// cached credential check, in every process (Odoo clears its registry cache
// for the same fields).
var authFields = []string{"password", "active", "login", "groups_id"}

// usersBehaviour is res.users': a new user gets a partner, the groups of
// a new internal user and its company; passwords are hashed when written;
// the superuser stays archived and the current user active; and a change to
// what authenticates a user drops the cached credential checks.
func usersBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			// Odoo's SELF_WRITEABLE_FIELDS: a user's own preferences.
			// signature is html others' browsers show: it is sanitized
			// on every write, as every html field declared sanitize.
			SelfWritable: []string{"signature", "action_id", "company_id", "email", "name", "image_1920", "lang", "tz"},
			DisplayName:  usersDisplayName,
			// A copy's name and login are marked (usersCopyData).
			CopyData: usersCopyData,
			// The fields of groups are written as groups_id.
			PrepareVals:  usersGroupVals,
			BeforeCreate: usersBeforeCreate,
			AfterCreate: func(ctx context.Context, env *models.Env, id int64, vals map[string]any) error {
				if err := syncUserGroups(ctx, env, []int64{id}); err != nil {
					return err
				}
				// The default company is always one of the allowed ones.
				if cid, ok := models.ToInt64(vals["company_id"]); ok && cid != 0 {
					return env.Link(ctx, env.Registry.Model("res.users").Fields["company_ids"], id, cid)
				}
				return nil
			},
			BeforeWrite: func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
				if err := hashPasswordVal(ctx, env, vals); err != nil {
					return err
				}
				if err := dropForeignOwnCompany(ctx, env, env.Registry.Model("res.users"), ids, vals); err != nil {
					return err
				}
				for _, id := range ids {
					if id == models.SuperuserID {
						if v, ok := vals["active"]; ok && models.Bool(v) {
							return models.UserErrorf("You cannot activate the superuser.")
						}
					}
					if id == env.UID {
						if v, ok := vals["active"]; ok && !models.Bool(v) {
							return models.UserErrorf("You cannot deactivate the user you're currently logged in as.")
						}
					}
				}
				return nil
			},
			BeforeUnlink: usersBeforeUnlink,
			AfterWrite: func(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
				if _, ok := vals["groups_id"]; ok {
					if err := syncUserGroups(ctx, env, ids); err != nil {
						return err
					}
				}
				if hasAny(vals, "company_id", "company_ids", "active") {
					if err := checkUserCompany(ctx, env, ids); err != nil {
						return err
					}
				}
				if hasAny(vals, "active", "partner_id") {
					// A partner a user left keeps its value until it
					// is written again.
					if err := syncUsersPartnerShare(ctx, env, ids); err != nil {
						return err
					}
				}
				for _, f := range authFields {
					if _, ok := vals[f]; ok {
						return env.BumpAuthVersion(ctx, ids)
					}
				}
				return nil
			},
		},
		Defaults: usersDefaults(),
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{"_compute_password": computePassword},
		Methods: []*models.Method{
			{Name: "context_get", Class: "Users", ReadOnly: true, Fn: contextGet},
			{Name: "default_get", Class: "UsersView", Params: []string{"fields"}, Required: 1, ReadOnly: true, Fn: usersDefaultGet},
			withIdentityCheck(&models.Method{Name: "api_key_wizard", Record: true, Fn: func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) {
				return map[string]any{"type": "ir.actions.act_window", "res_model": "res.users.apikeys.description",
					"name": "New API Key", "target": "new", "views": []any{[]any{false, "form"}}}, nil
			}}),
		},
	}
}

// computePassword is new_password: empty, as Odoo never reads a password
// back.
func computePassword(ctx context.Context, _ *models.Env, recs []models.Record) error {
	for _, r := range recs {
		r["new_password"] = ""
	}
	return nil
}

// usersCopyData marks a copied user's name and login as a copy's, as
// Odoo's res.users.copy_data, unless the caller gives them (or the
// partner, which holds the name).
func usersCopyData(ctx context.Context, env *models.Env, id int64, vals, def map[string]any) error {
	rows, err := readByID(ctx, env, "res.users", []int64{id}, []string{"name", "login"})
	if err != nil || rows[id] == nil {
		return err
	}
	_, name := def["name"]
	_, partner := def["partner_id"]
	if s, ok := rows[id]["name"].(string); ok && !name && !partner {
		vals["name"] = s + " (copy)"
	}
	if _, ok := def["login"]; !ok {
		if s, ok := rows[id]["login"].(string); ok {
			vals["login"] = s + " (copy)"
		}
	}
	return nil
}

// usersBeforeUnlink keeps the users the database cannot do without, with
// Odoo's texts: the superuser, which owns what the system makes, and the
// administrator, which security settings name (it may be archived
// instead).
func usersBeforeUnlink(ctx context.Context, env *models.Env, ids []int64) error {
	admin, err := env.XMLID(ctx, "base.user_admin")
	if err != nil {
		return err
	}
	for _, id := range ids {
		switch {
		case id == models.SuperuserID:
			return models.UserErrorf("You can not remove the admin user as it is used internally for resources created by Odoo (updates, module installation, ...)")
		case id == admin && admin != 0:
			return models.UserErrorf("You cannot delete the admin user because it is utilized in various places (such as security configurations,...). Instead, archive it.")
		}
	}
	return nil
}

// usersDisplayName is the name of the user's partner, read as the
// superuser.
func usersDisplayName(ctx context.Context, env *models.Env, recs []models.Record) error {
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r["id"].(int64)
	}
	named, err := env.Sudo().Read(ctx, env.Registry.Model("res.users"), ids, []string{"name"}, false)
	if err != nil {
		return err
	}
	byID := map[int64]any{}
	for _, n := range named {
		byID[n["id"].(int64)] = n["name"]
	}
	for _, r := range recs {
		r["display_name"] = byID[r["id"].(int64)]
	}
	return nil
}

// defaultUserGroups are the groups of Odoo's template of new users,
// base.default_user, in a base database: Behaviour.Defaults give them to
// a user created without groups.
var defaultUserGroups = []string{"base.group_user", "base.group_partner_manager", "base.group_allow_export"}

// usersBeforeCreate creates the partner a new user delegates to, unless one
// is given, and hashes the password.
func usersBeforeCreate(ctx context.Context, env *models.Env, vals map[string]any) error {
	if login, ok := vals["login"].(string); ok {
		vals["login"] = strings.TrimSpace(login)
	}
	if err := hashPasswordVal(ctx, env, vals); err != nil {
		return err
	}
	if pid, ok := models.ToInt64(vals["partner_id"]); ok && pid != 0 {
		for _, k := range []string{"name", "email", "lang", "tz"} {
			delete(vals, k)
		}
		return nil
	}
	// As Odoo, the new user's partner is as active as the user: an
	// archived user's partner is archived with it.
	pvals := map[string]any{}
	if v, ok := vals["active"]; ok && !models.Bool(v) {
		pvals["active"] = false
	}
	for _, k := range []string{"name", "email", "lang", "tz"} {
		if v, ok := vals[k]; ok {
			pvals[k] = v
			delete(vals, k)
		}
	}
	if pvals["name"] == nil || pvals["name"] == false || pvals["name"] == "" {
		pvals["name"] = vals["login"]
	}
	if cid, ok := models.ToInt64(vals["company_id"]); ok {
		pvals["company_id"] = cid
	}
	pid, err := env.Create(ctx, env.Registry.Model("res.partner"), pvals)
	if err != nil {
		return err
	}
	vals["partner_id"] = pid
	return nil
}

// hashPasswordVal replaces a clear password in vals by its hash. An empty
// password is refused: Odoo never stores one.
func hashPasswordVal(ctx context.Context, env *models.Env, vals map[string]any) error {
	v, ok := vals["password"]
	if !ok {
		return nil
	}
	clear, _ := v.(string)
	if clear == "" {
		delete(vals, "password")
		return nil
	}
	if env.Registry.HashPassword == nil {
		return &models.Error{Kind: models.KindInternal, Message: "no password hasher configured"}
	}
	var rounds int
	var param string
	if ok, err := env.Scalar(ctx, &param, "SELECT value FROM ir_config_parameter WHERE key = ?", "password.hashing.rounds"); err != nil {
		return err
	} else if ok {
		rounds, _ = strconv.Atoi(strings.TrimSpace(param))
	}
	h, err := env.Registry.HashPassword(clear, rounds)
	if err != nil {
		return err
	}
	vals["password"] = h
	return nil
}

// contextGet is res.users.context_get: the caller's language and time zone.
func contextGet(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, _ models.Args) (any, error) {
	recs, err := env.Sudo().Read(ctx, env.Registry.Model("res.users"), []int64{env.UID}, []string{"lang", "tz"}, false)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"lang": "en_US", "tz": false, "uid": env.UID}
	if len(recs) == 1 {
		if l, ok := recs[0]["lang"].(string); ok && l != "" {
			out["lang"] = l
		}
		out["tz"] = recs[0]["tz"]
	}
	return out, nil
}

// syncUserGroups gives users every group implied, directly or not, by a
// group they belong to, as Odoo's res.users does whenever groups change
// (groups are never taken away this way), and recomputes share: a user is
// shared (portal, public) unless an internal user.
func syncUserGroups(ctx context.Context, env *models.Env, uids []int64) error {
	if len(uids) == 0 {
		return nil
	}
	implied, err := env.Pairs(ctx, "SELECT gid, hid FROM res_groups_implied_rel")
	if err != nil {
		return err
	}
	member, err := env.Pairs(ctx, "SELECT uid, gid FROM res_groups_users_rel WHERE uid IN ("+models.Placeholders(len(uids))+")", models.IDArgs(uids)...)
	if err != nil {
		return err
	}
	for _, uid := range models.UniqueIDs(uids) {
		has := map[int64]bool{}
		todo := append([]int64(nil), member[uid]...)
		for _, g := range todo {
			has[g] = true
		}
		for len(todo) > 0 {
			g := todo[len(todo)-1]
			todo = todo[:len(todo)-1]
			for _, h := range implied[g] {
				if has[h] {
					continue
				}
				has[h] = true
				todo = append(todo, h)
				if _, err := env.Exec(ctx, "INSERT INTO res_groups_users_rel (gid, uid) VALUES (?, ?)", h, uid); err != nil {
					return err
				}
			}
		}
	}
	if err := checkOneUserType(ctx, env, uids); err != nil {
		return err
	}
	internal, err := env.XMLID(ctx, "base.group_user")
	if err != nil || internal == 0 {
		return err
	}
	_, err = env.Exec(ctx, "UPDATE res_users SET share = NOT EXISTS (SELECT 1 FROM res_groups_users_rel r WHERE r.uid = res_users.id AND r.gid = ?) WHERE id IN ("+models.Placeholders(len(uids))+")",
		append([]any{internal}, models.IDArgs(uids)...)...)
	if err != nil {
		return err
	}
	return syncUsersPartnerShare(ctx, env, uids)
}

// userTypes are Odoo's groups of the category "User types": a user is in
// one of them at most.
var userTypes = []string{"base.group_user", "base.group_portal", "base.group_public"}

// checkOneUserType is Odoo's _check_one_user_type: a user is internal,
// portal or public, never two of these.
func checkOneUserType(ctx context.Context, env *models.Env, uids []int64) error {
	var gids []any
	for _, x := range userTypes {
		gid, err := env.XMLID(ctx, x)
		if err != nil {
			return err
		}
		if gid != 0 {
			gids = append(gids, gid)
		}
	}
	if len(gids) < 2 {
		return nil
	}
	var n int64
	_, err := env.Scalar(ctx, &n, "SELECT COUNT(*) FROM (SELECT uid FROM res_groups_users_rel WHERE gid IN ("+models.Placeholders(len(gids))+
		") AND uid IN ("+models.Placeholders(len(uids))+") GROUP BY uid HAVING COUNT(*) > 1) t", append(gids, models.IDArgs(uids)...)...)
	if err != nil || n == 0 {
		return err
	}
	return models.ValidationErrorf("The user cannot have more than one user types.")
}
