package base

import (
	"context"
	"time"

	"github.com/godoo/godoo/models"
)

// apikeysBehaviour is res.users.apikeys': native keys, used in place of
// a password over RPC and as bearer keys. Clients never write the table
// directly; keys are made by generate (or the description wizard) and
// removed by remove/revoke/unlink, all of which check ownership.
func apikeysBehaviour() *models.Behaviour {
	remove := func(ctx context.Context, env *models.Env, m *models.Model, ids []int64, _ models.Args) (any, error) {
		return true, env.RemoveAPIKeys(ctx, ids)
	}
	return &models.Behaviour{
		Hooks: models.Hooks{Rule: ownKeysRule, BeforeWrite: func(_ context.Context, _ *models.Env, _ []int64, vals map[string]any) error {
			return normalizeKeyLimits(vals)
		}},
		Methods: []*models.Method{
			{Name: "create", Params: []string{"vals_list"}, Required: 1, Fn: func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) {
				return nil, models.AccessErrorf("API keys are created with generate() or the key wizard, which show the key once.")
			}},
			{Name: "write", Params: []string{"vals"}, Required: 1, Record: true, Fn: writeNativeKeyLimits},
			withSessionIdentityCheck(&models.Method{Name: "generate", Params: []string{"scope", "name", "expiration_date", "user_id"}, Fn: rpcGenerateKey}),
			withSessionIdentityCheck(&models.Method{Name: "rotate", Record: true, Params: []string{"overlap"}, Fn: rpcRotateKey}),
			// remove is Odoo's button, behind the identity check; revoke
			// (Odoo's RPC method) and unlink are for programs, which prove
			// their identity on every call, and need the check only when
			// called with a web session.
			withIdentityCheck(&models.Method{Name: "remove", Record: true, Fn: remove}),
			withSessionIdentityCheck(&models.Method{Name: "revoke", Record: true, Fn: remove}),
			withSessionIdentityCheck(&models.Method{Name: "unlink", Record: true, Fn: remove}),
		},
	}
}

// ownKeysRule lets users see their own keys; system administrators see all.
func ownKeysRule(ctx context.Context, env *models.Env) ([]any, error) {
	admin, err := env.HasGroup(ctx, "base.group_system")
	if err != nil || admin {
		return nil, err
	}
	return []any{[]any{"user_id", "=", env.UID}}, nil
}

// checkMakeKey allows key creation to internal users, and to portal users
// when the system parameter portal.allow_api_keys is set (Odoo's portal
// flow); their keys then last at most the portal group's api_key_duration
// (one day unless set).
func checkMakeKey(ctx context.Context, env *models.Env) error {
	if env.IsSuperuser() {
		return nil
	}
	ok, err := env.HasGroup(ctx, "base.group_user")
	if err != nil || ok {
		return err
	}
	allow, _, err := models.ConfigParam(ctx, env.DB, "portal.allow_api_keys")
	if err != nil {
		return env.Classify(err)
	}
	if allow == "" || allow == "False" || allow == "0" {
		return models.AccessErrorf("Only internal users can create API keys")
	}
	portal, err := env.HasGroup(ctx, "base.group_portal")
	if err != nil {
		return err
	}
	if !portal {
		return models.AccessErrorf("Only internal and portal users can create API keys")
	}
	return nil
}

// rpcGenerateKey is generate: a key for the caller, returned once. A
// system administrator may name another user with the user_id keyword
// (godoo's own), for whom the key is then made, persistent or not.
func rpcGenerateKey(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, a models.Args) (any, error) {
	if err := checkMakeKey(ctx, env); err != nil {
		return nil, err
	}
	scope, _ := a["scope"].(string)
	name, _ := a["name"].(string)
	if name == "" {
		return nil, models.UserErrorf("The API key must have a name.")
	}
	uid := env.UID
	if v := a["user_id"]; v != nil && v != false {
		id, ok := models.ToInt64(v)
		if !ok || id <= 0 {
			return nil, models.UserErrorf("user_id must be the id of a user.")
		}
		if id != env.UID {
			if err := checkRestrictKeys(ctx, env); err != nil {
				return nil, models.AccessErrorf("Only system administrators may make API keys for other users.")
			}
			active, err := activeUser(ctx, env, id)
			if err != nil {
				return nil, err
			}
			if !active {
				return nil, models.UserErrorf("The user %d is archived or does not exist: a native key of an archived user never works.", id)
			}
		}
		uid = id
	}
	key, _, err := env.GenerateAPIKey(ctx, uid, scope, name, a["expiration_date"])
	return key, err
}

// activeUser reports whether the user id exists and is active.
func activeUser(ctx context.Context, env *models.Env, id int64) (bool, error) {
	var active any
	found, err := env.Scalar(ctx, &active, "SELECT active FROM res_users WHERE id = ?", id)
	if err != nil || !found {
		return false, err
	}
	return models.Bool(active), nil
}

// rpcRotateKey is rotate (godoo's own): a new key of the same user, name,
// scope, expiry and restrictions, returned once; the old key keeps working
// for overlap seconds (0, the default, revokes it at once).
func rpcRotateKey(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	if len(ids) != 1 {
		return nil, models.ServerErrorf("builtins.ValueError", "Expected singleton: %s", models.RecordRepr(m.Name, ids))
	}
	var overlap time.Duration
	if v := a["overlap"]; v != nil && v != false {
		secs, ok := v.(float64)
		if n, isInt := v.(int64); isInt {
			secs, ok = float64(n), true
		}
		if !ok || secs < 0 {
			return nil, models.UserErrorf("overlap must be a number of seconds, not negative.")
		}
		overlap = time.Duration(secs * float64(time.Second))
	}
	// The caller must see the key: a user is told of their own keys only.
	visible, err := env.Search(ctx, m, []any{[]any{"id", "=", ids[0]}}, models.SearchOptions{})
	if err != nil {
		return nil, err
	}
	if len(visible) == 0 {
		return nil, models.UserErrorf("No native API key with id %d.", ids[0])
	}
	key, _, err := env.RotateAPIKey(ctx, ids[0], overlap)
	return key, err
}
