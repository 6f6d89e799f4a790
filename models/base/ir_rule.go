package base

import (
	"context"
	"encoding/json"

	"github.com/godoo/godoo/models"
)

// ruleBehaviour is ir.rule's: a rule's domain must be a JSON domain, the
// only kind godoo evaluates (see the engine's record rules).
func ruleBehaviour() *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{
		BeforeCreate: validateRuleDomain,
		BeforeWrite: func(ctx context.Context, env *models.Env, _ []int64, vals map[string]any) error {
			return validateRuleDomain(ctx, env, vals)
		},
	}}
}

// validateRuleDomain refuses a domain_force that is not a JSON domain.
func validateRuleDomain(_ context.Context, _ *models.Env, vals map[string]any) error {
	s, ok := vals["domain_force"].(string)
	if !ok || s == "" {
		return nil
	}
	var d []any
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return models.ValidationErrorf("Invalid domain: %s (godoo accepts JSON domains only)", s)
	}
	return nil
}
