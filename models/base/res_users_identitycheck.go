package base

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// withIdentityCheck wraps a record method that needs a recent password
// re-check (Odoo's @check_identity): without one, it stores the pending
// call in a res.users.identitycheck record and returns the action that
// asks for the password; run_check on that record then replays the call.
// As in Odoo 18, the check needs a web session: over XML-RPC, JSON-RPC and
// JSON-2 such a method is refused ("This method can only be accessed over
// HTTP"), and programs use generate and revoke instead.
func withIdentityCheck(meth *models.Method) *models.Method { return identityChecked(meth, false) }

// withSessionIdentityCheck is withIdentityCheck for calls made with a web
// session only: programs calling over XML-RPC, JSON-RPC or JSON-2 prove
// their identity with every call, but a stolen session cookie must not be
// enough to mint or revoke keys.
func withSessionIdentityCheck(meth *models.Method) *models.Method { return identityChecked(meth, true) }

func identityChecked(meth *models.Method, sessionOnly bool) *models.Method {
	fn := meth.Fn
	meth.CheckIdentity = true
	meth.Fn = func(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
		inSession := env.Identity != nil && env.Identity.Record != nil
		if !sessionOnly && !inSession {
			return nil, models.UserErrorf("This method can only be accessed over HTTP")
		}
		if env.IdentityFresh() || (sessionOnly && !inSession) {
			return fn(ctx, env, m, ids, a)
		}
		ctxCopy := map[string]any{}
		for k, v := range env.Context {
			if _, err := json.Marshal(v); err == nil {
				ctxCopy[k] = v
			}
		}
		if ids == nil {
			ids = []int64{}
		}
		args := map[string]any{}
		for k, v := range a {
			args[k] = v
		}
		req, err := json.Marshal([]any{ctxCopy, m.Name, ids, meth.Name, []any{}, args})
		if err != nil {
			return nil, err
		}
		var id int64
		err = env.DB.QueryRowContext(ctx, `INSERT INTO res_users_identitycheck (request, create_uid, create_date, write_uid, write_date)
			VALUES (?, ?, ?, ?, ?) RETURNING id`, string(req), env.UID, env.NowText(), env.UID, env.NowText()).Scan(&id)
		if err != nil {
			return nil, env.Classify(err)
		}
		return map[string]any{
			"type": "ir.actions.act_window", "res_model": "res.users.identitycheck", "res_id": id,
			"name": "Security Control", "target": "new", "views": []any{[]any{false, "form"}},
		}, nil
	}
	return meth
}

// identityCheckBehaviour is res.users.identitycheck's, the password prompt
// of the identity check. Its password is verified when it is written and
// never stored; run_check then replays the pending call.
func identityCheckBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			Rule: func(_ context.Context, env *models.Env) ([]any, error) {
				return []any{[]any{"create_uid", "=", env.UID}}, nil
			},
			BeforeCreate: func(ctx context.Context, env *models.Env, vals map[string]any) error {
				return verifyIdentityPassword(ctx, env, vals)
			},
			BeforeWrite: func(ctx context.Context, env *models.Env, _ []int64, vals map[string]any) error {
				return verifyIdentityPassword(ctx, env, vals)
			},
		},
		Methods: []*models.Method{{Name: "run_check", Record: true, Fn: runIdentityCheck}},
	}
}

// verifyIdentityPassword replaces a password being written by whether it is
// the user's password ('1' or '0'), as an interactive login checks it: API
// keys are not accepted.
func verifyIdentityPassword(ctx context.Context, env *models.Env, vals map[string]any) error {
	v, given := vals["password"]
	if !given {
		return nil
	}
	clear, _ := v.(string)
	ok := false
	if clear != "" && env.Registry.VerifyPassword != nil {
		u, found, err := models.UserByID(ctx, env.DB, env.UID)
		if err != nil {
			return env.Classify(err)
		}
		ok = found && u.Active && env.Registry.VerifyPassword(clear, u.Hash)
	}
	vals["password"] = "0"
	if ok {
		vals["password"] = "1"
	}
	return nil
}

// runIdentityCheck is res.users.identitycheck.run_check.
func runIdentityCheck(ctx context.Context, env *models.Env, m *models.Model, ids []int64, _ models.Args) (any, error) {
	if len(ids) != 1 {
		return nil, models.ServerErrorf("builtins.ValueError", "Expected singleton: %s", models.RecordRepr(m.Name, ids))
	}
	// One statement reads and consumes a right password's verdict, so that
	// two run_check calls cannot both use it. A pending call older than the
	// identity window is refused.
	var req string
	var created any
	err := env.DB.QueryRowContext(ctx, `UPDATE res_users_identitycheck SET password = NULL
		WHERE id = ? AND create_uid = ? AND password = '1' RETURNING request, create_date`, ids[0], env.UID).Scan(&req, &created)
	if errors.Is(err, sql.ErrNoRows) {
		res, err := env.Exec(ctx, "UPDATE res_users_identitycheck SET password = NULL WHERE id = ? AND create_uid = ?", ids[0], env.UID)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil, models.MissingErrorf("Record does not exist or has been deleted.\n(Record: %s, User: %d)", models.RecordRepr(m.Name, ids), env.UID)
		}
		return nil, models.UserErrorf("Incorrect Password, try again or click on Forgot Password to reset your password.")
	}
	if err != nil {
		return nil, env.Classify(err)
	}
	if at, ok := models.FormatTime(created, models.DatetimeLayout).(string); !ok || at < env.Now.Add(-models.IdentityWindow).Format(models.DatetimeLayout) {
		return nil, models.UserErrorf("This security check has expired; please try again.")
	}
	var call []json.RawMessage
	var callCtx, kwargs map[string]any
	var model, method string
	var callIDs []int64
	if json.Unmarshal([]byte(req), &call) != nil || len(call) != 6 ||
		json.Unmarshal(call[0], &callCtx) != nil || json.Unmarshal(call[1], &model) != nil ||
		json.Unmarshal(call[2], &callIDs) != nil || json.Unmarshal(call[3], &method) != nil ||
		json.Unmarshal(call[5], &kwargs) != nil {
		return nil, models.ServerErrorf("builtins.ValueError", "invalid identity check request")
	}
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	kwargs["context"] = py.Numbers(callCtx)
	_, meth, err := env.Registry.Lookup(model, method)
	if err != nil {
		return nil, err
	}
	if !meth.CheckIdentity {
		return nil, models.ServerErrorf("builtins.AssertionError", "")
	}
	if env.Identity == nil {
		env.Identity = &models.IdentityCheck{}
	}
	env.Identity.Last = env.Now
	if env.Identity.Record != nil {
		if err := env.Identity.Record(ctx, env.Now); err != nil {
			return nil, err
		}
	}
	var args []any
	if meth.Record {
		anyIDs := make([]any, len(callIDs))
		for i, id := range callIDs {
			anyIDs[i] = id
		}
		args = []any{anyIDs}
	}
	for k, v := range kwargs {
		if k != "context" {
			kwargs[k] = py.Numbers(v)
		}
	}
	return env.Registry.Call(ctx, env, model, method, args, kwargs)
}
