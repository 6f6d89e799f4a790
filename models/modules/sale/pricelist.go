package sale

import (
	"context"
	"database/sql"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/modules/product"
	"github.com/godoo/godoo/models/py"
)

// pricelistPrice is the unit price of a new line of the order for the
// product, per unit of the line (product_uom) and in the order's
// currency, from the order's pricelist (its rules for the line's quantity
// on the order's date), or from the product's sale price when the order
// has none, as Odoo's _compute_price_unit; price, the product's sale
// price, for a line without an order.
func pricelistPrice(ctx context.Context, env *models.Env, order, prod int64, vals map[string]any, price float64) (float64, error) {
	if order == 0 {
		return price, nil
	}
	var pricelist, currency, company sql.NullInt64
	var date any
	rows, err := env.Query(ctx, "SELECT pricelist_id, currency_id, company_id, date_order FROM sale_order WHERE id = ?", order)
	if err != nil {
		return 0, err
	}
	found := rows.Next()
	if found {
		err = rows.Scan(&pricelist, &currency, &company, &date)
	}
	rows.Close()
	if err != nil || !found {
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
	return product.Price(ctx, env, product.PriceQuery{Pricelist: pricelist.Int64, Product: prod, Qty: qty, UoM: toID(vals["product_uom"]),
		Currency: currency.Int64, Company: company.Int64, Date: product.DatetimeText(date)})
}

// orderPricelist gives a new order without a pricelist its customer's
// (Odoo's _compute_pricelist_id), and the order the pricelist's currency
// (_compute_currency_id) when vals names none.
func orderPricelist(ctx context.Context, env *models.Env, vals map[string]any) error {
	if _, given := vals["pricelist_id"]; !given {
		if partner := toID(vals["partner_id"]); partner != 0 {
			recs, err := env.Sudo().Read(ctx, env.Registry.Model("res.partner"), []int64{partner}, []string{"property_product_pricelist"}, false)
			if err != nil {
				return err
			}
			if len(recs) == 1 && toID(recs[0]["property_product_pricelist"]) != 0 {
				vals["pricelist_id"] = toID(recs[0]["property_product_pricelist"])
			}
		}
	}
	if pl := toID(vals["pricelist_id"]); pl != 0 && toID(vals["currency_id"]) == 0 {
		var cur int64
		if ok, err := env.Scalar(ctx, &cur, "SELECT COALESCE(currency_id, 0) FROM product_pricelist WHERE id = ?", pl); err != nil {
			return err
		} else if ok && cur != 0 {
			vals["currency_id"] = cur
		}
	}
	return nil
}
