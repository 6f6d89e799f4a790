package base

import (
	"context"

	"github.com/godoo/godoo/models"
)

// cronBehaviour is ir.cron's: a scheduled action is first due when it is
// made, as Odoo's default of nextcall (now) says.
func cronBehaviour() *models.Behaviour {
	return &models.Behaviour{Defaults: map[string]func(context.Context, *models.Env) any{
		"nextcall": func(_ context.Context, env *models.Env) any { return env.NowText() },
	}}
}
