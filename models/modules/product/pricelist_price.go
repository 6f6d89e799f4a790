package product

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models"
)

// priceRule is a pricelist item (product.pricelist.item) as the price of
// a product reads it.
type priceRule struct {
	id                   int64
	appliedOn            string // 3_global, 2_product_category, 1_product, 0_product_variant
	categ, tmpl, product int64
	minQty               float64
	start, end           string // datetimes as stored, "" for none
	compute, base        string // fixed, percentage, formula; list_price, standard_price, pricelist
	basePricelist        int64
	fixed, percent       float64
	discount, surcharge  float64
	round                float64
	minMargin, maxMargin float64
}

// priced is what a rule reads of the product priced.
type priced struct {
	product, tmpl int64
	categs        []int64 // the product's category and its ancestors
	list, cost    float64 // its sale price (list_price) and its cost, per unit of its own
	currency      int64   // the currency of its sale price
	qty           float64 // in its own unit
	date          string  // the datetime of the price, as stored
	uom           unit    // its own unit (uom_id)
}

// applies tells whether the rule prices p, as Odoo's _get_applicable_rules
// and _is_applicable_for: its product, template or category (or any
// product), its minimum quantity and its dates.
func (r priceRule) applies(p priced) bool {
	switch {
	case r.product != 0 && r.product != p.product,
		r.tmpl != 0 && r.tmpl != p.tmpl,
		r.categ != 0 && !containsID(p.categs, r.categ),
		r.minQty != 0 && p.qty < r.minQty,
		r.start != "" && p.date != "" && p.date < r.start,
		r.end != "" && p.date != "" && p.date > r.end:
		return false
	}
	return true
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// price is the rule's price of p from base, the price its base gives
// (the product's sale price, its cost or another pricelist's), as Odoo's
// _compute_price: a fixed price, a discount on the base, or a formula
// (discount, rounding, surcharge, margins). The rule's amounts are per
// unit of the product's own, which perUnit turns into the unit priced.
func (r priceRule) price(base float64, perUnit func(float64) float64) float64 {
	switch r.compute {
	case "fixed":
		return perUnit(r.fixed)
	case "percentage":
		return base - base*r.percent/100
	}
	price := base - base*r.discount/100
	if r.round != 0 {
		price = roundTo(price, r.round)
	}
	price += perUnit(r.surcharge)
	if r.minMargin != 0 {
		price = math.Max(price, base+perUnit(r.minMargin))
	}
	if r.maxMargin != 0 {
		price = math.Min(price, base+perUnit(r.maxMargin))
	}
	return price
}

// roundTo is Odoo's float_round to a rounding precision, halves away
// from zero.
func roundTo(x, precision float64) float64 {
	n := x / precision
	n = math.Round(n + math.Copysign(1e-9, n)*math.Abs(n)*1e-6)
	v, _ := strconv.ParseFloat(strconv.FormatFloat(n*precision, 'f', 12, 64), 64)
	return v
}

// maxBaseDepth bounds the chain of pricelists based on one another, as a
// cycle must not loop.
const maxBaseDepth = 8

// PriceQuery is what a price is asked for.
type PriceQuery struct {
	Pricelist int64   // 0 for none: the product's sale price
	Product   int64   // the variant (product.product)
	Qty       float64 // in UoM
	UoM       int64   // the unit priced, 0 for the product's own
	Currency  int64   // the currency of the price, 0 for the pricelist's
	Company   int64   // whose currency rates convert, and whose currency prices without a pricelist
	Date      string  // a datetime as stored, "" for now
}

// Price is the price of one unit (q.UoM) of the product for q.Qty units
// on q.Date with the pricelist, as Odoo's _get_product_price: the first
// rule that applies, in the items' order, for the quantity in the
// product's own unit, else the product's sale price; amounts per unit of
// the product's own are converted to the unit priced, and prices in
// another currency with the company's rates of the day.
func Price(ctx context.Context, env *models.Env, q PriceQuery) (float64, error) {
	p, err := loadPriced(ctx, env, q.Product)
	if err != nil {
		return 0, err
	}
	target := p.uom
	if q.UoM != 0 && q.UoM != p.uom.id {
		if target, err = loadUnit(ctx, env, q.UoM); err != nil {
			return 0, err
		}
	}
	p.qty, p.date = target.quantity(q.Qty, p.uom), q.Date
	company, err := currencyOf(ctx, env, q.Company)
	if err != nil {
		return 0, err
	}
	currency := q.Currency
	if currency == 0 {
		if currency, err = pricelistCurrency(ctx, env, q.Pricelist); err != nil {
			return 0, err
		}
	}
	if currency == 0 {
		currency = company
	}
	if p.currency == 0 {
		p.currency = company
	}
	day := q.Date
	if day == "" {
		day = env.NowText()
	}
	pr := pricing{p: p, target: target, costCurrency: company,
		rates: &rates{env: env, company: q.Company, date: day[:min(len(day), len("2006-01-02"))]}}
	return pr.with(ctx, env, q.Pricelist, currency, 0)
}

// pricing is one price being made: the product, the unit priced, and
// the rates that convert between currencies.
type pricing struct {
	p            priced
	target       unit
	costCurrency int64 // the currency of the cost: the company's
	rates        *rates
}

// perUnit is an amount per unit of the product's own per unit priced.
func (pr *pricing) perUnit(x float64) float64 { return pr.p.uom.price(x, pr.target) }

// with is the price with the pricelist (none: the sale price) in
// currency.
func (pr *pricing) with(ctx context.Context, env *models.Env, pricelist, currency int64, depth int) (float64, error) {
	var rules []priceRule
	if pricelist != 0 {
		var err error
		if rules, err = loadRules(ctx, env, pricelist); err != nil {
			return 0, err
		}
	}
	for _, r := range rules {
		if !r.applies(pr.p) {
			continue
		}
		if r.compute == "fixed" {
			return r.price(0, pr.perUnit), nil
		}
		base, err := pr.base(ctx, env, r, currency, depth)
		if err != nil {
			return 0, err
		}
		return r.price(base, pr.perUnit), nil
	}
	return pr.base(ctx, env, priceRule{}, currency, depth)
}

// base is the price a rule's base gives in currency, as Odoo's
// _compute_base_price: another pricelist's price in its own currency, or
// the product's cost or sale price per unit priced, converted.
func (pr *pricing) base(ctx context.Context, env *models.Env, r priceRule, currency int64, depth int) (float64, error) {
	var price float64
	var from int64
	switch {
	case r.base == "pricelist" && r.basePricelist != 0 && depth < maxBaseDepth:
		var err error
		if from, err = pricelistCurrency(ctx, env, r.basePricelist); err != nil {
			return 0, err
		}
		if from == 0 {
			from = currency
		}
		if price, err = pr.with(ctx, env, r.basePricelist, from, depth+1); err != nil {
			return 0, err
		}
	case r.base == "standard_price":
		price, from = pr.perUnit(pr.p.cost), pr.costCurrency
	default:
		price, from = pr.perUnit(pr.p.list), pr.p.currency
	}
	return pr.rates.convert(ctx, price, from, currency)
}

// pricelistCurrency is the pricelist's currency, 0 for none.
func pricelistCurrency(ctx context.Context, env *models.Env, pricelist int64) (int64, error) {
	var id int64
	if pricelist == 0 {
		return 0, nil
	}
	_, err := env.Scalar(ctx, &id, "SELECT COALESCE(currency_id, 0) FROM product_pricelist WHERE id = ?", pricelist)
	return id, err
}

// currencyOf is the company's currency, 0 for none.
func currencyOf(ctx context.Context, env *models.Env, company int64) (int64, error) {
	var id int64
	_, err := env.Scalar(ctx, &id, "SELECT COALESCE(currency_id, 0) FROM res_company WHERE id = ?", company)
	return id, err
}

// loadPriced reads what pricing needs of the product.
func loadPriced(ctx context.Context, env *models.Env, product int64) (priced, error) {
	p := priced{product: product}
	var categ sql.NullInt64
	var path sql.NullString
	var list, cost sql.NullFloat64
	var uom, currency sql.NullInt64
	// The sale price is in the currency of the template's company, else
	// of the main company (Odoo's _compute_currency_id).
	costSQL, err := env.ValueSQL(ctx, env.Registry.Model("product.product"), "standard_price", "p")
	if err != nil {
		return p, err
	}
	rows, err := env.Query(ctx, "SELECT t.id, t.categ_id, c.parent_path, t.list_price, "+costSQL+", t.uom_id, "+
		"COALESCE(tc.currency_id, (SELECT mc.currency_id FROM res_company mc JOIN ir_model_data d ON d.res_id = mc.id "+
		"AND d.module = 'base' AND d.name = 'main_company' AND d.model = 'res.company')) FROM product_product p "+
		"JOIN product_template t ON t.id = p.product_tmpl_id LEFT JOIN product_category c ON c.id = t.categ_id "+
		"LEFT JOIN res_company tc ON tc.id = t.company_id WHERE p.id = ?", product)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	if !rows.Next() {
		return p, rows.Err()
	}
	if err := rows.Scan(&p.tmpl, &categ, &path, &list, &cost, &uom, &currency); err != nil {
		return p, err
	}
	p.list, p.cost, p.currency = list.Float64, cost.Float64, currency.Int64
	for _, s := range strings.Split(path.String, "/") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			p.categs = append(p.categs, id)
		}
	}
	if categ.Valid && !containsID(p.categs, categ.Int64) {
		p.categs = append(p.categs, categ.Int64)
	}
	if err := rows.Close(); err != nil {
		return p, err
	}
	p.uom, err = loadUnit(ctx, env, uom.Int64)
	return p, err
}

// loadRules reads the pricelist's items in Odoo's order of them.
func loadRules(ctx context.Context, env *models.Env, pricelist int64) ([]priceRule, error) {
	// Odoo's order of items, "applied_on, min_quantity desc, categ_id
	// desc, id desc", orders categories by their own order (complete_name),
	// an item without one first, as PostgreSQL puts NULL first downwards.
	rows, err := env.Query(ctx, "SELECT i.id, i.categ_id, i.product_tmpl_id, i.product_id, i.min_quantity, i.date_start, "+
		"i.date_end, i.compute_price, i.base, i.base_pricelist_id, i.fixed_price, i.percent_price, i.price_discount, i.price_surcharge, "+
		"i.price_round, i.price_min_margin, i.price_max_margin FROM product_pricelist_item i LEFT JOIN product_category c ON c.id = i.categ_id "+
		"WHERE i.pricelist_id = ? ORDER BY i.applied_on, COALESCE(i.min_quantity, 0) DESC, (c.complete_name IS NULL) DESC, "+
		"c.complete_name DESC, i.id DESC", pricelist)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []priceRule
	for rows.Next() {
		var r priceRule
		var compute, base sql.NullString
		var start, end any
		var ids [4]sql.NullInt64
		var nums [8]sql.NullFloat64
		if err := rows.Scan(&r.id, &ids[0], &ids[1], &ids[2], &nums[0], &start, &end, &compute, &base, &ids[3],
			&nums[1], &nums[2], &nums[3], &nums[4], &nums[5], &nums[6], &nums[7]); err != nil {
			return nil, err
		}
		r.compute, r.base = compute.String, base.String
		r.categ, r.tmpl, r.product, r.basePricelist = ids[0].Int64, ids[1].Int64, ids[2].Int64, ids[3].Int64
		r.minQty, r.fixed, r.percent, r.discount = nums[0].Float64, nums[1].Float64, nums[2].Float64, nums[3].Float64
		r.surcharge, r.round, r.minMargin, r.maxMargin = nums[4].Float64, nums[5].Float64, nums[6].Float64, nums[7].Float64
		r.start, r.end = DatetimeText(start), DatetimeText(end)
		out = append(out, r)
	}
	return out, rows.Err()
}

// DatetimeText is a stored datetime as text comparable with another
// ("2024-05-06 07:08:09"), whichever type the store scans it as.
func DatetimeText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return strings.Replace(string(x), "T", " ", 1)
	case string:
		return strings.Replace(x, "T", " ", 1)
	case interface{ Format(string) string }:
		return x.Format("2006-01-02 15:04:05")
	}
	return fmt.Sprint(v)
}
