package models

import (
	"context"
	"math"
	"sort"
	"strconv"
)

// floatRound rounds value to a multiple of rounding, half away from zero,
// as Odoo's float_round: the value is first nudged by one unit in the last
// place of its magnitude, so that 2.675, stored as 2.67499999..., still
// rounds up to 2.68.
func floatRound(value, rounding float64) float64 {
	if rounding <= 0 || value == 0 {
		return value
	}
	normalized := value / rounding
	sign := math.Copysign(1, normalized)
	epsilon := math.Pow(2, math.Log2(math.Abs(normalized))-52)
	normalized += sign * epsilon
	rounded := math.Floor(math.Abs(normalized)+0.5) * sign
	return rounded * rounding
}

// roundTo rounds value to decimals places as Odoo writes it to a numeric
// column: float_round, then the text of exactly that many decimals
// (float_repr), which the column stores exactly.
func roundTo(value, rounding float64, decimals int) float64 {
	if rounding <= 0 {
		return value
	}
	s := strconv.FormatFloat(floatRound(value, rounding), 'f', decimals, 64)
	out, _ := strconv.ParseFloat(s, 64)
	return out
}

// roundDigits rounds a float field's value to its digits, when it has some.
func (f *Field) roundDigits(x float64) float64 {
	if f.Type != Float || len(f.Digits) != 2 {
		return x
	}
	scale := f.Digits[1]
	return roundTo(x, math.Pow(10, -float64(scale)), scale)
}

// decimalPlaces is Odoo's res.currency decimal_places: the decimals a
// rounding factor keeps.
func decimalPlaces(rounding float64) int {
	if rounding > 0 && rounding < 1 {
		return int(math.Ceil(math.Log10(1 / rounding)))
	}
	return 0
}

// roundMonetary rounds the monetary values among cols to the rounding of
// each record's currency, as Odoo's Monetary field does when it writes:
// the currency written with the value (always so for a create, ids being
// nil), else the record's own. When the records of ids have currencies of
// different roundings, the value leaves cols and is returned per record,
// for the caller to write record by record.
func (env *Env) roundMonetary(ctx context.Context, m *Model, ids []int64, cols map[string]any) (map[int64]map[string]any, error) {
	var names []string
	for name := range cols {
		if f := m.Fields[name]; f.Type == Monetary && cols[name] != nil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	perRecord := map[int64]map[string]any{}
	roundings := map[any]float64{} // by currency id, as the column holds it
	rounding := func(cf *Field, cur any) (float64, error) {
		if r, ok := roundings[cur]; ok {
			return r, nil
		}
		r, err := env.currencyRounding(ctx, cf, cur)
		roundings[cur] = r
		return r, err
	}
	for _, name := range names {
		f := m.Fields[name]
		cf := m.Fields[f.currencyField()]
		if cf == nil || cf.Type != Many2one || !cf.hasColumn() {
			continue
		}
		x, _ := toFloat(cols[name])
		if cur, given := cols[cf.Name]; given || len(ids) == 0 {
			r, err := rounding(cf, cur)
			if err != nil {
				return nil, err
			}
			cols[name] = roundTo(x, r, decimalPlaces(r))
			continue
		}
		currencies, err := env.currenciesOf(ctx, m, cf, ids)
		if err != nil {
			return nil, err
		}
		values := map[int64]float64{}
		distinct := map[float64]bool{}
		for _, id := range ids {
			r, err := rounding(cf, currencies[id])
			if err != nil {
				return nil, err
			}
			values[id] = roundTo(x, r, decimalPlaces(r))
			distinct[values[id]] = true
		}
		if len(distinct) == 1 {
			cols[name] = values[ids[0]]
			continue
		}
		delete(cols, name)
		for id, v := range values {
			if perRecord[id] == nil {
				perRecord[id] = map[string]any{}
			}
			perRecord[id][name] = v
		}
	}
	return perRecord, nil
}

// currenciesOf reads the currency column cf of the records ids.
func (env *Env) currenciesOf(ctx context.Context, m *Model, cf *Field, ids []int64) (map[int64]any, error) {
	rows, err := env.Query(ctx, "SELECT id, "+cf.Column+" FROM "+m.Table+" WHERE id IN ("+Placeholders(len(ids))+")", IDArgs(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]any{}
	for rows.Next() {
		var id int64
		var cur any
		if err := rows.Scan(&id, &cur); err != nil {
			return nil, err
		}
		if n, ok := ToInt64(cur); ok {
			cur = n // one key per currency, whatever the driver's type
		}
		out[id] = cur
	}
	return out, rows.Err()
}

// currencyField is the name of a monetary field's currency field.
func (f *Field) currencyField() string {
	if f.CurrencyField != "" {
		return f.CurrencyField
	}
	return "currency_id"
}

// currencyRounding is the rounding factor of the currency id (as a column
// value) that the many2one cf points at, 0 when there is none or its model
// has no rounding: the value is then stored as given.
func (env *Env) currencyRounding(ctx context.Context, cf *Field, id any) (float64, error) {
	n, ok := ToInt64(id)
	co := env.Registry.Model(cf.Relation)
	if !ok || n == 0 || co == nil {
		return 0, nil
	}
	rf := co.Fields["rounding"]
	if rf == nil || !rf.Stored() {
		return 0, nil
	}
	var r any
	found, err := env.Scalar(ctx, &r, "SELECT "+rf.Column+" FROM "+co.Table+" WHERE id = ?", n)
	if err != nil || !found {
		return 0, err
	}
	x, _ := toFloat(r)
	return x, nil
}
