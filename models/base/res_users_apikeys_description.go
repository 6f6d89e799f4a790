package base

import (
	"context"
	"strconv"
	"time"

	"github.com/godoo/godoo/models"
)

// apikeysDescriptionBehaviour is res.users.apikeys.description's, the
// wizard of Odoo's key creation flow: create({'name': ...}) then
// make_key(). Users see their own wizards only.
func apikeysDescriptionBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{Rule: func(_ context.Context, env *models.Env) ([]any, error) {
			return []any{[]any{"create_uid", "=", env.UID}}, nil
		}},
		Methods: []*models.Method{
			withIdentityCheck(&models.Method{Name: "make_key", Record: true, Fn: makeKey}),
			{Name: "check_access_make_key", Record: true, ReadOnly: true, Fn: func(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, _ models.Args) (any, error) {
				return true, checkMakeKey(ctx, env)
			}},
		},
	}
}

// makeKey is make_key: a key of the wizard's name and duration for the
// caller, shown once in the action it returns.
func makeKey(ctx context.Context, env *models.Env, m *models.Model, ids []int64, _ models.Args) (any, error) {
	if len(ids) != 1 {
		return nil, models.ServerErrorf("builtins.ValueError", "Expected singleton: %s", models.RecordRepr(m.Name, ids))
	}
	if err := checkMakeKey(ctx, env); err != nil {
		return nil, err
	}
	recs, err := env.Read(ctx, m, ids, []string{"name", "duration", "expiration_date"}, false)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, models.MissingErrorf("Record does not exist or has been deleted.\n(Record: %s, User: %d)", models.RecordRepr(m.Name, ids), env.UID)
	}
	r := recs[0]
	var expiry any = false
	switch d, _ := r["duration"].(string); d {
	case "", "0":
		if d == "" {
			// No choice made: the longest the user may have.
			days, persistent, err := env.MaxKeyDays(ctx)
			if err != nil {
				return nil, err
			}
			if !persistent {
				expiry = env.Now.Add(time.Duration(days*24) * time.Hour).Format(models.DatetimeLayout)
			}
		}
	case "-1":
		expiry = r["expiration_date"]
	default:
		n, _ := strconv.Atoi(d)
		expiry = env.Now.AddDate(0, 0, n).Format(models.DatetimeLayout)
	}
	key, _, err := env.GenerateAPIKey(ctx, env.UID, "", r["name"].(string), expiry)
	if err != nil {
		return nil, err
	}
	if err := env.Sudo().Unlink(ctx, m, ids); err != nil {
		return nil, err
	}
	return map[string]any{
		"type": "ir.actions.act_window", "res_model": "res.users.apikeys.show", "name": "API Key Ready",
		"views": []any{[]any{false, "form"}}, "target": "new", "context": map[string]any{"default_key": key},
	}, nil
}
