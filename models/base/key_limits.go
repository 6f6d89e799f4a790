package base

import (
	"context"
	"strings"

	"github.com/godoo/godoo/models"
)

// keyLimitFields are the restriction fields both kinds of keys share
// (models.KeyLimits): what system administrators set on a key.
var keyLimitFields = map[string]bool{"allowed_methods": true, "read_only": true, "allowed_networks": true}

// normalizeKeyLimits checks the restriction values being written and stores
// the lists one entry a line, so that a key whose restrictions cannot be
// compiled is never written: a value that does not compile is a
// ValidationError naming it. Lists may be given as text (entries separated
// by lines, spaces or semicolons) or as a list of strings.
func normalizeKeyLimits(vals map[string]any) error {
	for _, f := range []struct {
		name, label string
		networks    bool
	}{{"allowed_methods", "Allowed Methods", false}, {"allowed_networks", "Allowed Networks", true}} {
		v, ok := vals[f.name]
		if !ok {
			continue
		}
		var parts []string
		switch x := v.(type) {
		case nil, bool:
			if x == true {
				return models.ValidationErrorf("%s: expected a list, not True.", f.label)
			}
		case string:
			parts = models.SplitKeyList(x, f.networks)
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return models.ValidationErrorf("%s: expected a list of strings.", f.label)
				}
				parts = append(parts, models.SplitKeyList(s, f.networks)...)
			}
		default:
			return models.ValidationErrorf("%s: expected a list of strings.", f.label)
		}
		if len(parts) == 0 {
			vals[f.name] = false
			continue
		}
		joined := strings.Join(parts, "\n")
		allowed, networks := joined, ""
		if f.networks {
			allowed, networks = "", joined
		}
		if _, err := models.CompileKeyLimits(allowed, networks, false); err != nil {
			return models.ValidationErrorf("%s: %v.", f.label, err)
		}
		vals[f.name] = joined
	}
	return nil
}

// checkRestrictKeys allows changing a key's restrictions to system
// administrators only: a user could otherwise lift what an administrator
// set on their key.
func checkRestrictKeys(ctx context.Context, env *models.Env) error {
	if env.IsSuperuser() {
		return nil
	}
	admin, err := env.HasGroup(ctx, "base.group_system")
	if err != nil || admin {
		return err
	}
	return models.AccessErrorf("Only system administrators may change the restrictions of API keys.")
}

// writeNativeKeyLimits is res.users.apikeys' write: native keys cannot be
// modified, except for their restrictions, which system administrators
// set.
func writeNativeKeyLimits(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	vals, _ := a["vals"].(map[string]any)
	if len(vals) == 0 {
		return nil, models.AccessErrorf("API keys cannot be modified; revoke the key and generate a new one.")
	}
	for k := range vals {
		if !keyLimitFields[k] {
			return nil, models.AccessErrorf("API keys cannot be modified; revoke the key and generate a new one.")
		}
	}
	if err := checkRestrictKeys(ctx, env); err != nil {
		return nil, err
	}
	if err := env.Sudo().Write(ctx, m, ids, vals); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if err := env.Audit(ctx, "restricted", "native", id, "", 0); err != nil {
			return nil, err
		}
	}
	return true, nil
}
