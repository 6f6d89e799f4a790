package base

import (
	"context"

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
		Hooks: models.Hooks{Rule: ownKeysRule},
		Methods: []*models.Method{
			{Name: "create", Params: []string{"vals_list"}, Required: 1, Fn: func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) {
				return nil, models.AccessErrorf("API keys are created with generate() or the key wizard, which show the key once.")
			}},
			{Name: "write", Params: []string{"vals"}, Required: 1, Record: true, Fn: func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) {
				return nil, models.AccessErrorf("API keys cannot be modified; revoke the key and generate a new one.")
			}},
			withSessionIdentityCheck(&models.Method{Name: "generate", Params: []string{"scope", "name", "expiration_date"}, Fn: rpcGenerateKey}),
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

// rpcGenerateKey is generate: a key for the caller, returned once.
func rpcGenerateKey(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, a models.Args) (any, error) {
	if err := checkMakeKey(ctx, env); err != nil {
		return nil, err
	}
	scope, _ := a["scope"].(string)
	name, _ := a["name"].(string)
	if name == "" {
		return nil, models.UserErrorf("The API key must have a name.")
	}
	key, _, err := env.GenerateAPIKey(ctx, env.UID, scope, name, a["expiration_date"])
	return key, err
}
