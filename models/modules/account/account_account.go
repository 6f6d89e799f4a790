package account

import (
	"context"
	"fmt"

	"github.com/godoo/godoo/models"
)

// accountBehaviour is account.account's: its code is the one stored for
// the call's company (code_store, company-dependent) and its name
// shows the code first, "121000 Account Receivable", as Odoo's.
func accountBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{
			DisplayName: func(ctx context.Context, env *models.Env, recs []models.Record) error {
				names, err := codeNames(ctx, env, recs)
				if err != nil {
					return err
				}
				for _, r := range recs {
					r["display_name"] = names[r["id"].(int64)]
				}
				return nil
			},
			DisplayNameDeps: []string{"code_store", "name"},
			// The code is searched and ordered by (the model's order is
			// "code, placeholder_code"), through the stored one.
			StoredAs: map[string]string{"code": "code_store", "placeholder_code": "code_store"},
		},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"code": func(ctx context.Context, env *models.Env, recs []models.Record) error {
				codes, err := accountCodes(ctx, env, recs)
				if err != nil {
					return err
				}
				for _, r := range recs {
					r["code"] = false
					if c := codes[r["id"].(int64)]; c[0] != "" {
						r["code"] = c[0]
					}
				}
				return nil
			},
		},
	}
}

// accountCodes are the code and name of each account of recs, by id.
func accountCodes(ctx context.Context, env *models.Env, recs []models.Record) (map[int64][2]string, error) {
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r["id"]
	}
	out := map[int64][2]string{}
	if len(ids) == 0 {
		return out, nil
	}
	code, err := env.ValueSQL(ctx, env.Registry.Model("account.account"), "code_store", "account_account")
	if err != nil {
		return nil, err
	}
	rows, err := env.Query(ctx, "SELECT id, "+code+", name FROM account_account WHERE id IN ("+models.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code, name *string
		if err := rows.Scan(&id, &code, &name); err != nil {
			return nil, err
		}
		var c [2]string
		if code != nil {
			c[0] = *code
		}
		if name != nil {
			c[1] = *name
		}
		out[id] = c
	}
	return out, rows.Err()
}

// codeNames are the accounts' display names: the code, then the name.
func codeNames(ctx context.Context, env *models.Env, recs []models.Record) (map[int64]string, error) {
	codes, err := accountCodes(ctx, env, recs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(codes))
	for id, c := range codes {
		out[id] = c[1]
		if c[0] != "" {
			out[id] = fmt.Sprintf("%s %s", c[0], c[1])
		}
	}
	return out, nil
}
