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
	list, cost    float64 // its sale price (list_price) and its cost
	qty           float64
	date          string // the datetime of the price, as stored
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
// (discount, rounding, surcharge, margins).
func (r priceRule) price(base float64) float64 {
	switch r.compute {
	case "fixed":
		return r.fixed
	case "percentage":
		return base - base*r.percent/100
	}
	price := base - base*r.discount/100
	if r.round != 0 {
		price = roundTo(price, r.round)
	}
	price += r.surcharge
	if r.minMargin != 0 {
		price = math.Max(price, base+r.minMargin)
	}
	if r.maxMargin != 0 {
		price = math.Min(price, base+r.maxMargin)
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

// Price is the unit price of the product for qty units on date (a
// datetime as stored, "" for now) with the pricelist, as Odoo's
// _get_product_price: the first rule that applies, in the items' order,
// else the product's sale price.
func Price(ctx context.Context, env *models.Env, pricelist, product int64, qty float64, date string) (float64, error) {
	p, err := loadPriced(ctx, env, product)
	if err != nil {
		return 0, err
	}
	p.qty, p.date = qty, date
	return priceWith(ctx, env, pricelist, p, 0)
}

func priceWith(ctx context.Context, env *models.Env, pricelist int64, p priced, depth int) (float64, error) {
	rules, err := loadRules(ctx, env, pricelist)
	if err != nil {
		return 0, err
	}
	for _, r := range rules {
		if !r.applies(p) {
			continue
		}
		base := p.list
		switch {
		case r.compute == "fixed":
		case r.base == "standard_price":
			base = p.cost
		case r.base == "pricelist" && r.basePricelist != 0 && depth < maxBaseDepth:
			if base, err = priceWith(ctx, env, r.basePricelist, p, depth+1); err != nil {
				return 0, err
			}
		}
		return r.price(base), nil
	}
	return p.list, nil
}

// loadPriced reads what pricing needs of the product.
func loadPriced(ctx context.Context, env *models.Env, product int64) (priced, error) {
	p := priced{product: product}
	var categ sql.NullInt64
	var path sql.NullString
	var list, cost sql.NullFloat64
	rows, err := env.Query(ctx, "SELECT t.id, t.categ_id, c.parent_path, t.list_price, p.standard_price FROM product_product p "+
		"JOIN product_template t ON t.id = p.product_tmpl_id LEFT JOIN product_category c ON c.id = t.categ_id WHERE p.id = ?", product)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	if !rows.Next() {
		return p, rows.Err()
	}
	if err := rows.Scan(&p.tmpl, &categ, &path, &list, &cost); err != nil {
		return p, err
	}
	p.list, p.cost = list.Float64, cost.Float64
	for _, s := range strings.Split(path.String, "/") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			p.categs = append(p.categs, id)
		}
	}
	if categ.Valid && !containsID(p.categs, categ.Int64) {
		p.categs = append(p.categs, categ.Int64)
	}
	return p, rows.Err()
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
