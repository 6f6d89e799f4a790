package product

import (
	"context"
	"database/sql"
	"math"

	"github.com/godoo/godoo/models"
)

// unit is a unit of measure as conversions read it (uom.uom).
type unit struct {
	id, category     int64
	factor, rounding float64
}

// loadUnit reads the unit id; the zero unit when there is none.
func loadUnit(ctx context.Context, env *models.Env, id int64) (unit, error) {
	u := unit{id: id}
	if id == 0 {
		return u, nil
	}
	var category sql.NullInt64
	var factor, rounding sql.NullFloat64
	rows, err := env.Query(ctx, "SELECT category_id, factor, rounding FROM uom_uom WHERE id = ?", id)
	if err != nil {
		return u, err
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&category, &factor, &rounding); err != nil {
			return u, err
		}
	}
	u.category, u.factor, u.rounding = category.Int64, factor.Float64, rounding.Float64
	return u, rows.Err()
}

// convertible tells whether amounts convert from u to to: two units of
// one category, with factors.
func (u unit) convertible(to unit) bool {
	return u.id != 0 && to.id != 0 && u.id != to.id && u.category == to.category && u.factor != 0 && to.factor != 0
}

// price is the price per unit to of a price per unit u, as Odoo's
// uom.uom._compute_price: unchanged between units of other categories.
func (u unit) price(price float64, to unit) float64 {
	if price == 0 || !u.convertible(to) {
		return price
	}
	return price * u.factor / to.factor
}

// quantity is qty units u in units to, rounded up to the rounding of to,
// as Odoo's uom.uom._compute_quantity (rounding_method "UP"): unchanged
// between units of other categories, as when asked not to raise.
func (u unit) quantity(qty float64, to unit) float64 {
	if !u.convertible(to) {
		return qty
	}
	amount := qty / u.factor * to.factor
	if to.rounding == 0 {
		return amount
	}
	return roundUp(amount, to.rounding)
}

// roundUp is Odoo's float_round with rounding_method "UP": away from
// zero to a multiple of precision, a value within its float's error of a
// multiple being that multiple.
func roundUp(x, precision float64) float64 {
	n := x / precision
	if n == 0 {
		return 0
	}
	n -= math.Copysign(math.Pow(2, math.Log2(math.Abs(n))-52), n)
	return roundTo(math.Copysign(math.Ceil(math.Abs(n)), n)*precision, precision)
}

// rates converts amounts between currencies with a company's rates on a
// date, as Odoo's res.currency._convert without rounding.
type rates struct {
	env     *models.Env
	company int64
	date    string // "2006-01-02"
	known   map[int64]float64
}

// convert is amount in currency from converted to currency to.
func (r *rates) convert(ctx context.Context, amount float64, from, to int64) (float64, error) {
	if from == to || from == 0 || to == 0 || amount == 0 {
		return amount, nil
	}
	rf, err := r.rate(ctx, from)
	if err != nil {
		return 0, err
	}
	rt, err := r.rate(ctx, to)
	if err != nil {
		return 0, err
	}
	return amount * rt / rf, nil
}

// rate is the currency's rate, as Odoo's _get_rates: the company's own
// rate of the latest day on or before the date, else the latest shared
// one, else (no rate so early) the earliest of them, else 1.
func (r *rates) rate(ctx context.Context, currency int64) (float64, error) {
	if x, ok := r.known[currency]; ok {
		return x, nil
	}
	var rate float64
	q := "SELECT rate FROM res_currency_rate WHERE currency_id = ? AND (company_id IS NULL OR company_id = ?)"
	ok, err := r.env.Scalar(ctx, &rate, q+" AND name <= ? ORDER BY (company_id IS NULL), name DESC LIMIT 1", currency, r.company, r.date)
	if err == nil && !ok {
		ok, err = r.env.Scalar(ctx, &rate, q+" ORDER BY (company_id IS NULL), name LIMIT 1", currency, r.company)
	}
	if err != nil {
		return 0, err
	}
	if !ok || rate == 0 {
		rate = 1
	}
	if r.known == nil {
		r.known = map[int64]float64{}
	}
	r.known[currency] = rate
	return rate, nil
}
