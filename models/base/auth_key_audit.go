package base

import (
	"context"

	"github.com/godoo/godoo/models"
)

// keyAuditBehaviour is auth.key.audit's: the record of what happened to API
// keys and what they were refused, which system administrators read. It
// never holds a secret. Nobody writes it over RPC, administrators and the
// superuser included: its rows come from the key code alone.
func keyAuditBehaviour() *models.Behaviour {
	readOnly := func(context.Context, *models.Env, *models.Model, []int64, models.Args) (any, error) {
		return nil, models.AccessErrorf("The API key audit is read-only.")
	}
	return &models.Behaviour{Methods: []*models.Method{
		{Name: "create", Params: []string{"vals_list"}, Required: 1, Fn: readOnly},
		{Name: "write", Params: []string{"vals"}, Required: 1, Record: true, Fn: readOnly},
		{Name: "unlink", Record: true, Fn: readOnly},
		{Name: "copy", Params: []string{"default"}, Record: true, Fn: readOnly},
	}}
}
