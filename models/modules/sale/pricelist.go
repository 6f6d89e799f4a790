package sale

import (
	"context"
	"database/sql"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/modules/product"
	"github.com/godoo/godoo/models/py"
)

// pricelistPrice is the unit price of a new line of the order for the
// product from the order's pricelist (its rules for the line's quantity
// on the order's date), or price, the product's sale price, when the
// order has none, as Odoo's _compute_price_unit.
func pricelistPrice(ctx context.Context, env *models.Env, order, prod int64, vals map[string]any, price float64) (float64, error) {
	if order == 0 {
		return price, nil
	}
	var pricelist sql.NullInt64
	var date any
	rows, err := env.Query(ctx, "SELECT pricelist_id, date_order FROM sale_order WHERE id = ?", order)
	if err != nil {
		return 0, err
	}
	found := rows.Next()
	if found {
		err = rows.Scan(&pricelist, &date)
	}
	rows.Close()
	if err != nil || !found || !pricelist.Valid {
		return price, err
	}
	qty := 1.0
	if v, ok := vals["product_uom_qty"]; ok && py.Truthy(v) {
		if q, ok := v.(float64); ok {
			qty = q
		} else if n, ok := models.ToInt64(v); ok {
			qty = float64(n)
		}
	}
	return product.Price(ctx, env, pricelist.Int64, prod, qty, product.DatetimeText(date))
}
