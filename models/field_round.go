package models

import (
	"context"
	"math"
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

// roundMonetary rounds the monetary values among cols of the records ids
// (none yet for a create, whose currency is then the one in cols) to the
// rounding of each record's currency, as Odoo's Monetary field does when
// it writes. Records of different currencies get an UPDATE each; the
// values already in cols are rounded when all records share a currency.
// It returns the ids whose values it wrote itself.
func (env *Env) roundMonetary(ctx context.Context, m *Model, ids []int64, cols map[string]any) (map[int64]map[string]any, error) {
	var names []string
	for name := range cols {
		if f := m.Fields[name]; f.Type == Monetary && cols[name] != nil {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	// The currency of each record: the one written with the value, else
	// the record's own.
	currencyOf := map[int64]any{}
	perRecord := map[int64]map[string]any{}
	for _, name := range names {
		f := m.Fields[name]
		cf := m.Fields[f.currencyField()]
		if cf == nil || cf.Type != Many2one || !cf.hasColumn() {
			continue
		}
		if cur, given := cols[cf.Name]; given || len(ids) == 0 {
			x, _ := toFloat(cols[name])
			r, err := env.currencyRounding(ctx, cf, cur)
			if err != nil {
				return nil, err
			}
			cols[name] = roundTo(x, r, decimalPlaces(r))
			continue
		}
		pairs, err := env.Query(ctx, "SELECT id, "+cf.Column+" FROM "+m.Table+" WHERE id IN ("+Placeholders(len(ids))+")", IDArgs(ids)...)
		if err != nil {
			return nil, err
		}
		for pairs.Next() {
			var id int64
			var cur any
			if err := pairs.Scan(&id, &cur); err != nil {
				pairs.Close()
				return nil, err
			}
			currencyOf[id] = cur
		}
		pairs.Close()
		if err := pairs.Err(); err != nil {
			return nil, err
		}
		x, _ := toFloat(cols[name])
		for _, id := range ids {
			r, err := env.currencyRounding(ctx, cf, currencyOf[id])
			if err != nil {
				return nil, err
			}
			if perRecord[id] == nil {
				perRecord[id] = map[string]any{}
			}
			perRecord[id][name] = roundTo(x, r, decimalPlaces(r))
		}
		delete(cols, name)
	}
	return perRecord, nil
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
