package base

import (
	"context"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// modelDataBehaviour is ir.model.data's: check_object_reference, which
// scripts call to resolve an external id.
func modelDataBehaviour() *models.Behaviour {
	return &models.Behaviour{Methods: []*models.Method{{Name: "check_object_reference", Class: "IrModelData",
		Params: []string{"module", "xml_id", "raise_on_access_error"}, Required: 2, ReadOnly: true, Fn: checkObjectReference}}}
}

// checkObjectReference returns [model, res_id] of an external id, raising
// ValueError when it does not exist.
func checkObjectReference(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, a models.Args) (any, error) {
	module, _ := a["module"].(string)
	name, _ := a["xml_id"].(string)
	var model string
	var resID int64
	rows, err := env.Query(ctx, "SELECT model, res_id FROM ir_model_data WHERE module = ? AND name = ?", module, name)
	if err != nil {
		return nil, err
	}
	found := rows.Next()
	if found {
		var rid any
		if err := rows.Scan(&model, &rid); err != nil {
			rows.Close()
			return nil, err
		}
		resID, _ = models.ToInt64(rid)
	}
	rows.Close()
	if !found {
		return nil, models.ServerErrorf("builtins.ValueError", "External ID not found in the system: %s.%s", module, name)
	}
	if m := env.Registry.Model(model); m != nil {
		ok, err := env.HasAccess(ctx, m, models.OpRead)
		if err != nil {
			return nil, err
		}
		if !ok && py.Truthy(a["raise_on_access_error"]) {
			return nil, env.CheckAccess(ctx, m, models.OpRead)
		}
		if !ok {
			return false, nil
		}
	}
	return []any{model, resID}, nil
}
