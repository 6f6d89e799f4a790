package services

import (
	"context"

	"github.com/godoo/godoo/models"
)

// Object is Odoo's object service: model methods as an authenticated user.
type Object struct{ c *core }

// ExecuteKw is one object.execute_kw (or execute) call.
type ExecuteKw struct {
	DB       string
	UID      int64
	Password string
	Model    string
	Method   string
	Args     []any
	Kwargs   map[string]any
}

// ExecuteKw checks the credentials, then runs the method in one transaction.
// Errors: AccessDenied for bad credentials; UserError for an unknown model;
// AccessError for private methods and refused access; the method's own.
func (s *Object) ExecuteKw(ctx context.Context, in ExecuteKw) (any, error) {
	db, err := s.c.open(ctx, in.DB)
	if err != nil {
		return nil, err
	}
	if !noAuth {
		if err := s.c.auth.Check(ctx, db, in.DB, in.UID, in.Password, remoteAddr(ctx)); err != nil {
			return nil, s.c.refused(ctx, err)
		}
	}
	_, meth, err := s.c.registry.Lookup(in.Model, in.Method)
	if err != nil {
		return nil, err
	}
	return s.c.run(ctx, db, in.UID, meth.ReadOnly, func(ctx context.Context, env *models.Env) (any, error) {
		return s.c.registry.Call(ctx, env, in.Model, in.Method, in.Args, in.Kwargs)
	})
}
