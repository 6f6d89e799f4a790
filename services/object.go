package services

import (
	"context"
	"time"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
)

// Object is Odoo's object service: model methods as an authenticated user.
type Object struct{ c *core }

// Execute runs a model method as id in one transaction: object.execute
// and execute_kw once Auth.Password made id of the call's credentials, and
// the way a program that embeds godoo acts as a route's identity. Errors:
// AccessDenied for an identity without a user; UserError for an unknown
// model; AccessError for private methods and refused access; the method's
// own.
func (s *Object) Execute(ctx context.Context, id auth.Identity, model, method string, args []any, kwargs map[string]any) (any, error) {
	return s.c.call(ctx, id, model, method, args, kwargs)
}

// auditRefusal records a call id's key restrictions refused, in the key
// audit, on its own: the call itself opens no transaction. A failure to
// record is logged, and the refusal stands.
func (c *core) auditRefusal(ctx context.Context, id auth.Identity, model, method string) {
	db, err := c.open(ctx, id.DB)
	if err == nil {
		kind := KeyNative
		if id.Mode == "api_key" || id.Mode == "basic_api_key" {
			kind = KeyHeader
		}
		cl := clientOf(ctx)
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		err = models.AuditRefusal(actx, db, c.cfg.Now().UTC().Format(models.DatetimeLayout), kind, id.KeyID, id.KeyName, id.UID,
			remoteAddr(ctx), cl.UserAgent, cl.Protocol, model, method)
	}
	if err != nil {
		c.log.WarnContext(ctx, "recording a refused key call failed", "db", id.DB, "key_id", id.KeyID, "err", err)
	}
}

// call is the one path of every model method a request runs, whatever
// its protocol (execute, execute_kw, call_kw, JSON-2): open the identity's
// database, look the method up, and run it as the identity in one
// transaction, with the identity check of the web session it came with.
func (c *core) call(ctx context.Context, id auth.Identity, model, method string, args []any, kwargs map[string]any) (any, error) {
	if id.UID <= 0 || id.DB == "" {
		return nil, models.ErrAccessDenied
	}
	// The key's restrictions come before anything else the call does, so
	// that a refused call runs no model code and opens no transaction.
	if err := id.Limits.CheckCall(model, method); err != nil {
		c.auditRefusal(ctx, id, model, method)
		return nil, err
	}
	db, err := c.open(ctx, id.DB)
	if err != nil {
		return nil, err
	}
	reg, err := c.registryOf(ctx, db)
	if err != nil {
		return nil, err
	}
	_, meth, err := reg.Lookup(model, method)
	if err != nil {
		return nil, err
	}
	if args == nil {
		args = []any{}
	}
	fn := func(ctx context.Context, env *models.Env) (any, error) {
		withIdentityCheck(env, id)
		return env.Registry.Call(ctx, env, model, method, args, kwargs)
	}
	readOnly := meth.ReadOnly
	if models.IsReadOnlyMethod(method) {
		// Reads go to the replica when there is one, on every protocol:
		// the methods of the closed list that read-only keys are held to,
		// and again to the primary when the replica cannot serve them
		// (a method of the list that writes after all is run again in a
		// read-write transaction, as Odoo does).
		if rdb := c.replicaFor(ctx, id, db); rdb != nil {
			res, ok, asWrite, err := c.onReplica(ctx, id.DB, rdb, id.UID, fn)
			if ok {
				return res, err
			}
			readOnly = !asWrite
		}
	}
	res, err := c.run(ctx, db, id.UID, readOnly, fn)
	if err == nil && !readOnly {
		c.wrote(ctx, id, db)
	}
	return res, err
}

// withIdentityCheck gives env the identity check of id's web session, if
// it has one: when the password was last checked, and how to record a new
// check.
func withIdentityCheck(env *models.Env, id auth.Identity) {
	if s := id.Session; s != nil {
		env.Identity = &models.IdentityCheck{Last: s.Checked, Record: func(ctx context.Context, at time.Time) error {
			return models.SetSessionIdentityCheck(ctx, env.DB, s.Row, at)
		}}
	}
}
