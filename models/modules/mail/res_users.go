package mail

import (
	"context"

	"github.com/godoo/godoo/models"
)

// usersBehaviour is what mail adds to res.users: a new user is notified
// by email unless told otherwise, as Odoo's default of notification_type.
func usersBehaviour(string) *models.Behaviour {
	return &models.Behaviour{Defaults: map[string]func(context.Context, *models.Env) any{
		"notification_type": func(context.Context, *models.Env) any { return "email" },
	}}
}
