package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/godoo/godoo/models/py"
)

// IdentityWindow is how long a password re-check lasts (Odoo's 10 minutes).
const IdentityWindow = 10 * time.Minute

// IdentityCheck is what a call knows of its user's last password re-check,
// Odoo's session key identity-check-last.
type IdentityCheck struct {
	// Last is when the user last passed the check; zero for never.
	Last time.Time
	// Record keeps a new check time in the caller's web session. It is nil
	// outside a web session (XML-RPC, JSON-RPC): the check then lasts for
	// the call only, as with Odoo's throwaway session of an RPC request.
	Record func(ctx context.Context, at time.Time) error
}

// identityFresh reports whether the user passed the check in the last ten
// minutes.
func (e *Env) identityFresh() bool {
	return e.Identity != nil && !e.Identity.Last.IsZero() && e.Now.Sub(e.Identity.Last) < IdentityWindow
}

// withIdentityCheck wraps a record method that needs a recent password
// re-check (Odoo's @check_identity): without one, it stores the pending
// call in a res.users.identitycheck record and returns the action that
// asks for the password; run_check on that record then replays the call.
func withIdentityCheck(meth *Method) *Method { return identityChecked(meth, false) }

// withSessionIdentityCheck is withIdentityCheck for calls made with a web
// session only: programs calling over XML-RPC, JSON-RPC or JSON-2 prove
// their identity with every call, but a stolen session cookie must not be
// enough to mint or revoke keys.
func withSessionIdentityCheck(meth *Method) *Method { return identityChecked(meth, true) }

func identityChecked(meth *Method, sessionOnly bool) *Method {
	fn := meth.Fn
	meth.CheckIdentity = true
	meth.Fn = func(ctx context.Context, env *Env, m *Model, ids []int64, a Args) (any, error) {
		inSession := env.Identity != nil && env.Identity.Record != nil
		if env.identityFresh() || (sessionOnly && !inSession) {
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

// identityCheckModel is res.users.identitycheck, the password prompt of the
// identity check. Its password is verified when it is written and never
// stored; run_check then replays the pending call.
func identityCheckModel() *Model {
	m := &Model{Name: "res.users.identitycheck", Description: "Password Check Wizard", Table: "res_users_identitycheck"}
	m.AddField(&Field{Name: "password", Type: Char, String: "Password", Column: "password", WriteOnly: true})
	m.Rule = func(_ context.Context, env *Env) ([]any, error) {
		return []any{[]any{"create_uid", "=", env.UID}}, nil
	}
	m.BeforeCreate = func(ctx context.Context, env *Env, vals map[string]any) error {
		return env.verifyIdentityPassword(ctx, vals)
	}
	m.BeforeWrite = func(ctx context.Context, env *Env, _ []int64, vals map[string]any) error {
		return env.verifyIdentityPassword(ctx, vals)
	}
	m.AddMethod(&Method{Name: "run_check", Record: true, Fn: runIdentityCheck})
	return m
}

// verifyIdentityPassword replaces a password being written by whether it is
// the user's password ('1' or '0'), as an interactive login checks it: API
// keys are not accepted.
func (e *Env) verifyIdentityPassword(ctx context.Context, vals map[string]any) error {
	v, given := vals["password"]
	if !given {
		return nil
	}
	clear, _ := v.(string)
	ok := false
	if clear != "" && e.Registry.VerifyPassword != nil {
		u, found, err := UserByID(ctx, e.DB, e.UID)
		if err != nil {
			return e.Classify(err)
		}
		ok = found && u.Active && e.Registry.VerifyPassword(clear, u.Hash)
	}
	vals["password"] = "0"
	if ok {
		vals["password"] = "1"
	}
	return nil
}

// runIdentityCheck is res.users.identitycheck.run_check.
func runIdentityCheck(ctx context.Context, env *Env, m *Model, ids []int64, _ Args) (any, error) {
	if len(ids) != 1 {
		return nil, ServerErrorf("builtins.ValueError", "Expected singleton: %s", recordRepr(m.Name, ids))
	}
	// One statement reads and consumes a right password's verdict, so that
	// two run_check calls cannot both use it. A pending call older than the
	// identity window is refused.
	var req string
	var created any
	err := env.DB.QueryRowContext(ctx, `UPDATE res_users_identitycheck SET password = NULL
		WHERE id = ? AND create_uid = ? AND password = '1' RETURNING request, create_date`, ids[0], env.UID).Scan(&req, &created)
	if errors.Is(err, sql.ErrNoRows) {
		res, err := env.exec(ctx, "UPDATE res_users_identitycheck SET password = NULL WHERE id = ? AND create_uid = ?", ids[0], env.UID)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil, MissingErrorf("Record does not exist or has been deleted.\n(Record: %s, User: %d)", recordRepr(m.Name, ids), env.UID)
		}
		return nil, UserErrorf("Incorrect Password, try again or click on Forgot Password to reset your password.")
	}
	if err != nil {
		return nil, env.Classify(err)
	}
	if at, ok := formatTime(created, DatetimeLayout).(string); !ok || at < env.Now.Add(-IdentityWindow).Format(DatetimeLayout) {
		return nil, UserErrorf("This security check has expired; please try again.")
	}
	var call []json.RawMessage
	var callCtx, kwargs map[string]any
	var model, method string
	var callIDs []int64
	if json.Unmarshal([]byte(req), &call) != nil || len(call) != 6 ||
		json.Unmarshal(call[0], &callCtx) != nil || json.Unmarshal(call[1], &model) != nil ||
		json.Unmarshal(call[2], &callIDs) != nil || json.Unmarshal(call[3], &method) != nil ||
		json.Unmarshal(call[5], &kwargs) != nil {
		return nil, ServerErrorf("builtins.ValueError", "invalid identity check request")
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
		return nil, ServerErrorf("builtins.AssertionError", "")
	}
	if env.Identity == nil {
		env.Identity = &IdentityCheck{}
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
