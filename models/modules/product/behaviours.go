// Package product is the Go behaviour of Odoo's product module, one file
// per model: a template and its single variant, their names with the
// internal reference, and the defaults a new template takes.
package product

import (
	"context"
	"fmt"

	"github.com/godoo/godoo/models"
)

// Behaviours are the module's behaviours by model, each made for the
// model it is laid over.
var Behaviours = map[string]func(model string) *models.Behaviour{
	"product.template":       templateBehaviour,
	"product.product":        productBehaviour,
	"res.partner":            partnerBehaviour,
	"product.pricelist":      pricelistBehaviour,
	"product.pricelist.item": itemBehaviour,
}

// codeName is a product's name with its internal reference, as Odoo's
// display names of templates and variants: "[GW-1] Widget".
func codeName(name, code string) string {
	if code == "" {
		return name
	}
	return "[" + code + "] " + name
}

// namesByQuery sets display_name of recs from rows (id, name, code) q
// reads for their ids (%s takes the placeholders), by default the name
// with the code first (codeName).
func namesByQuery(ctx context.Context, env *models.Env, recs []models.Record, q string, name ...func(name, code string) string) error {
	named := codeName
	if len(name) > 0 {
		named = name[0]
	}
	ids := make([]any, len(recs))
	for i, r := range recs {
		ids[i] = r["id"]
	}
	rows, err := env.DB.QueryContext(ctx, fmt.Sprintf(q, models.Placeholders(len(ids))), ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name, code *string
		if err := rows.Scan(&id, &name, &code); err != nil {
			return err
		}
		n, c := "", ""
		if name != nil {
			n = *name
		}
		if code != nil {
			c = *code
		}
		names[id] = named(n, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range recs {
		if n, ok := names[r["id"].(int64)]; ok {
			r["display_name"] = n
		}
	}
	return nil
}

// ref is the id of an external id's record, false when it has none.
func ref(env *models.Env, xmlid string) any {
	id, err := env.XMLID(context.Background(), xmlid)
	if err != nil || id == 0 {
		return false
	}
	return id
}

// floats are the numbers q reads as rows (id, number), by id; a NULL is 0.
func floats(ctx context.Context, env *models.Env, q string, args ...any) (map[int64]float64, error) {
	rows, err := env.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]float64{}
	for rows.Next() {
		var id int64
		var p *float64
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		if p != nil {
			out[id] = *p
		}
	}
	return out, rows.Err()
}
