package services

import (
	"context"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// LoadAction is /web/action/load: the action of an id, an external id
// ("base.action_partner_form") or a path, as the web client reads it (the
// fields of its kind that the client is given).
// The action is read as the superuser, as Odoo's route does.
// Errors: MissingActionError for an id, external id or path naming no
// action.
func (w *Web) LoadAction(ctx context.Context, s Session, actionID any) (any, error) {
	return w.asSession(ctx, s, true, func(ctx context.Context, env *models.Env, _ bool) (any, error) {
		return base.LoadAction(ctx, env.Sudo(), actionID)
	})
}
