package sale

import (
	"context"
	"database/sql"
	"math"

	"github.com/godoo/godoo/models"
)

// lineBehaviour is sale.order.line's: what a line takes from its order
// and product when created, and its amounts, stored with its order's.
func lineBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{BeforeCreate: lineBeforeCreate, AfterCreate: lineAfterCreate, BeforeWrite: lineBeforeWrite,
			AfterWrite: lineAfterWrite, BeforeUnlink: lineBeforeUnlink},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
			"_compute_product_template_id": computeProductTemplate,
		},
	}
}

// lineBeforeCreate fills what Odoo's line takes from its order (its
// stored related fields: state, currency, company, customer, salesman)
// and from its product (description, unit, price, taxes) when not given.
func lineBeforeCreate(ctx context.Context, env *models.Env, vals map[string]any) error {
	if err := trackOrders(ctx, env, nil, toID(vals["order_id"])); err != nil {
		return err
	}
	if order := toID(vals["order_id"]); order != 0 {
		var state sql.NullString
		var currency, company, partner, user sql.NullInt64
		rows, err := env.Query(ctx, "SELECT state, currency_id, company_id, partner_id, user_id FROM sale_order WHERE id = ?", order)
		if err != nil {
			return err
		}
		found := rows.Next()
		if found {
			err = rows.Scan(&state, &currency, &company, &partner, &user)
		}
		rows.Close()
		if err != nil {
			return err
		}
		if found {
			vals["state"] = nullString(state)
			for field, v := range map[string]sql.NullInt64{"currency_id": currency, "company_id": company, "order_partner_id": partner, "salesman_id": user} {
				vals[field] = nullID(v)
			}
		}
	}
	product := toID(vals["product_id"])
	if product == 0 || vals["display_type"] != nil && vals["display_type"] != false {
		return nil
	}
	var code, name sql.NullString
	var uom sql.NullInt64
	var price sql.NullFloat64
	rows, err := env.Query(ctx, "SELECT p.default_code, t.name, t.uom_id, t.list_price FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id WHERE p.id = ?", product)
	if err != nil {
		return err
	}
	found := rows.Next()
	if found {
		err = rows.Scan(&code, &name, &uom, &price)
	}
	rows.Close()
	if err != nil || !found {
		return err
	}
	if s, _ := vals["name"].(string); s == "" {
		vals["name"] = name.String
		if code.String != "" {
			vals["name"] = "[" + code.String + "] " + name.String
		}
	}
	if toID(vals["product_uom"]) == 0 && uom.Valid {
		vals["product_uom"] = uom.Int64
	}
	if _, ok := vals["price_unit"]; !ok {
		if vals["price_unit"], err = pricelistPrice(ctx, env, toID(vals["order_id"]), product, vals, price.Float64); err != nil {
			return err
		}
	}
	if _, ok := vals["tax_id"]; !ok {
		taxes, err := productTaxes(ctx, env, product, toID(vals["company_id"]), toID(vals["order_id"]))
		if err != nil {
			return err
		}
		if len(taxes) > 0 {
			vals["tax_id"] = []any{[]any{int64(6), int64(0), models.IDArgs(taxes)}}
		}
	}
	if _, ok := vals["customer_lead"]; !ok {
		vals["customer_lead"] = 0.0
	}
	if _, ok := vals["qty_delivered_method"]; !ok {
		vals["qty_delivered_method"] = "manual" // no stock, no expense: delivered quantities are entered by hand
	}
	return nil
}

// lineBeforeWrite takes lines moving to another order out of their
// order's amounts, and writes the order's fields a line keeps a copy of
// through to the order, as Odoo's related fields write to the record
// they relate to: to the line's new order when order_id is given too,
// else to the lines' orders, as the caller, so the order's access rules
// apply. The lines then take the order's values (lineAfterWrite, or the
// order's hook).
func lineBeforeWrite(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	if err := trackOrders(ctx, env, ids, toID(vals["order_id"])); err != nil {
		return err
	}
	if _, moving := vals["order_id"]; moving {
		// The orders the lines leave add them up no more.
		left, err := linesOrders(ctx, env, ids)
		if err != nil {
			return err
		}
		if !deferOrders(env, left) {
			if err := storeOrderAmounts(ctx, env, left, ids); err != nil {
				return err
			}
		}
	}
	through := map[string]any{}
	for lf, of := range orderRelated {
		if v, ok := vals[lf]; ok {
			through[of] = v
			delete(vals, lf)
		}
	}
	if len(through) == 0 {
		return nil
	}
	var orders []int64
	if v, ok := vals["order_id"]; ok {
		if id := toID(v); id != 0 {
			orders = []int64{id}
		}
	} else {
		var err error
		orders, err = env.Int64s(ctx, "SELECT DISTINCT order_id FROM sale_order_line WHERE order_id IS NOT NULL AND id IN ("+
			models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
		if err != nil {
			return err
		}
	}
	if len(orders) == 0 {
		return nil
	}
	return env.Write(ctx, env.Registry.Model("sale.order"), orders, through)
}

// lineAfterWrite gives lines moved to another order that order's values
// of the fields they keep a copy of, and stores the amounts of lines
// whose quantity, price, discount, taxes, currency or order changed, with
// their orders'.
func lineAfterWrite(ctx context.Context, env *models.Env, ids []int64, vals map[string]any) error {
	if _, ok := vals["order_id"]; ok {
		if err := syncLines(ctx, env, "id", ids); err != nil {
			return err
		}
	}
	if _, ok := vals["product_id"]; ok {
		if _, given := vals["tax_id"]; !given {
			if err := setLineTaxes(ctx, env, ids); err != nil {
				return err
			}
		}
	}
	for _, f := range lineAmountFields {
		if _, ok := vals[f]; ok {
			return storeLinesWithOrders(ctx, env, ids)
		}
	}
	for _, f := range lineStatusFields {
		if _, ok := vals[f]; ok {
			return storeLinesStatus(ctx, env, ids)
		}
	}
	return nil
}

// lineAfterCreate stores a new line's amounts and its order's.
func lineAfterCreate(ctx context.Context, env *models.Env, id int64, _ map[string]any) error {
	return storeLinesWithOrders(ctx, env, []int64{id})
}

// lineBeforeUnlink takes the lines about to be deleted out of their
// orders' amounts, once the chatter keeps the orders' tracked values.
func lineBeforeUnlink(ctx context.Context, env *models.Env, ids []int64) error {
	if err := trackOrders(ctx, env, ids, 0); err != nil {
		return err
	}
	orders, err := linesOrders(ctx, env, ids)
	if err != nil || deferOrders(env, orders) {
		return err
	}
	return storeOrderAmounts(ctx, env, orders, ids)
}

// storeLinesWithOrders stores the amounts of the lines ids and of their
// orders, or leaves both to the order's write under way (deferLines);
// what a failed write left to its batch is stored with them.
func storeLinesWithOrders(ctx context.Context, env *models.Env, ids []int64) error {
	if deferLines(env, ids) {
		return nil
	}
	lines, orders := batchOf(env).takeLeft()
	return storeLinesAndOrders(ctx, env, uniqueIDs(append(lines, ids...)), orders)
}

func nullString(v sql.NullString) any {
	if !v.Valid {
		return false
	}
	return v.String
}

func nullID(v sql.NullInt64) any {
	if !v.Valid {
		return false
	}
	return v.Int64
}

// line is what a line's computed fields are made of.
type line struct {
	order                        int64
	qty, price, discount         float64
	delivered, invoiced          float64
	rounding                     float64
	state, policy                string
	section                      bool
	subtotal, tax, total, toBill float64
	// taxed are the line's taxes with what each amounts to.
	taxed []taxed
}

// taxed is one tax of a line and what it amounts to.
type taxed struct {
	tax
	amountDue float64
}

// readLines reads the lines ids with their amounts computed as Odoo's
// _compute_amount does, taxes rounded per line: the price after
// discount times the quantity, without the percent taxes it includes;
// the taxes (percent of that base, or fixed per unit); both rounded to
// the currency.
func readLines(ctx context.Context, env *models.Env, where string, args ...any) (map[int64]*line, []int64, error) {
	out, ids, err := scanLines(ctx, env, where, args...)
	if err != nil || len(ids) == 0 {
		return out, ids, err
	}
	taxes, err := lineTaxes(ctx, env, ids)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range ids {
		if l := out[id]; !l.section {
			l.amounts(taxes[id])
		}
	}
	return out, ids, nil
}

// scanLines reads the lines where holds with what is left to invoice of
// each, without their amounts: the quantity ordered (or delivered, by
// the product's invoicing policy) less the quantity invoiced, on a
// confirmed order.
func scanLines(ctx context.Context, env *models.Env, where string, args ...any) (map[int64]*line, []int64, error) {
	rows, err := env.Query(ctx, `SELECT l.id, l.order_id, COALESCE(l.product_uom_qty, 0), COALESCE(l.price_unit, 0),
		COALESCE(l.discount, 0), COALESCE(l.qty_delivered, 0), COALESCE(l.qty_invoiced, 0), COALESCE(c.rounding, 0.01),
		COALESCE(l.state, 'draft'), COALESCE(t.invoice_policy, 'order'), l.display_type
		FROM sale_order_line l
		LEFT JOIN res_currency c ON c.id = l.currency_id
		LEFT JOIN product_product p ON p.id = l.product_id
		LEFT JOIN product_template t ON t.id = p.product_tmpl_id
		WHERE `+where+` ORDER BY l.id`, args...)
	if err != nil {
		return nil, nil, err
	}
	out := map[int64]*line{}
	var ids []int64
	for rows.Next() {
		var id int64
		var display sql.NullString
		l := &line{}
		if err := rows.Scan(&id, &l.order, &l.qty, &l.price, &l.discount, &l.delivered, &l.invoiced, &l.rounding, &l.state, &l.policy, &display); err != nil {
			rows.Close()
			return nil, nil, err
		}
		l.section = display.Valid && display.String != ""
		out[id] = l
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for _, id := range ids {
		l := out[id]
		if l.section {
			continue
		}
		switch {
		case l.state != "sale":
		case l.policy == "delivery":
			l.toBill = l.delivered - l.invoiced
		default:
			l.toBill = l.qty - l.invoiced
		}
	}
	return out, ids, nil
}

// tax is one tax of a line.
type tax struct {
	id, group int64
	kind      string // amount_type
	amount    float64
	included  bool
	// affectsBase is Odoo's include_base_amount: the taxes after it are
	// computed on the base plus its amount.
	affectsBase bool
}

// amounts computes l's subtotal, tax and total with its taxes, in their
// order, as Odoo's tax computation does per line: the taxes included in
// the price are taken out of it first, from the last one back, each
// that affects the base closing a step; then each tax is computed on
// the base (plus the taxes before it that affect the base), rounded to
// the currency, an included tax taking what is left of the price to
// its step, so that the total is the price.
func (l *line) amounts(taxes []tax) {
	gross := l.price * (1 - l.discount/100) * l.qty
	var fixed, percent, division float64
	strip := func(base float64) float64 {
		return (base - fixed) / (1 + percent/100) * (100 - division) / 100
	}
	checkpoints := map[int]float64{}
	base, store := gross, true
	for i := len(taxes) - 1; i >= 0; i-- {
		t := taxes[i]
		if t.affectsBase {
			base = strip(base)
			fixed, percent, division = 0, 0, 0
			store = true
		}
		if !t.included {
			continue
		}
		switch t.kind {
		case "percent":
			percent += t.amount
		case "division":
			division += t.amount
		case "fixed":
			fixed += math.Abs(l.qty) * t.amount
		}
		if store && t.amount != 0 {
			checkpoints[i] = base
			store = false
		}
	}
	l.subtotal = round(strip(base), l.rounding)
	base = l.subtotal
	var includedSoFar float64
	for i, t := range taxes {
		var due float64
		if at, ok := checkpoints[i]; ok && t.included {
			due = at - (base + includedSoFar)
			includedSoFar = 0
		} else {
			due = taxAmount(t, base, l.qty)
		}
		due = round(due, l.rounding)
		if _, ok := checkpoints[i]; t.included && !ok {
			includedSoFar += due
		}
		if t.affectsBase {
			base += due
		}
		l.tax += due
		l.taxed = append(l.taxed, taxed{tax: t, amountDue: due})
	}
	l.tax = round(l.tax, l.rounding)
	l.total = round(l.subtotal+l.tax, l.rounding)
}

// taxAmount is what tax t amounts to on base for qty units, computed as
// a tax on top of the price.
func taxAmount(t tax, base, qty float64) float64 {
	switch t.kind {
	case "percent":
		return base * t.amount / 100
	case "division":
		if t.amount == 100 {
			return 0
		}
		return base/(1-t.amount/100) - base
	case "fixed":
		return math.Copysign(qty, base) * t.amount
	}
	return 0
}

// lineTaxes are the taxes of the lines ids, by line.
func lineTaxes(ctx context.Context, env *models.Env, ids []int64) (map[int64][]tax, error) {
	f := env.Registry.Model("sale.order.line").Fields["tax_id"]
	out := map[int64][]tax{}
	if f == nil || f.RelTable == "" {
		return out, nil
	}
	rows, err := env.Query(ctx, "SELECT r."+f.RelCol+", t.id, COALESCE(t.tax_group_id, 0), t.amount_type, COALESCE(t.amount, 0), COALESCE(t.price_include_override, co.account_price_include, ''), COALESCE(t.include_base_amount, ?) FROM "+
		f.RelTable+" r JOIN account_tax t ON t.id = r."+f.RelOther+" LEFT JOIN res_company co ON co.id = t.company_id WHERE r."+f.RelCol+" IN ("+models.Placeholders(len(ids))+") ORDER BY t.sequence, t.id",
		append([]any{false}, models.IDArgs(ids)...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t tax
		var include string
		if err := rows.Scan(&id, &t.id, &t.group, &t.kind, &t.amount, &include, &t.affectsBase); err != nil {
			return nil, err
		}
		if t.kind != "percent" && t.kind != "division" && t.kind != "fixed" {
			return nil, models.UserErrorf("The tax %d is of type %q, which godoo does not compute on sales order lines.", t.id, t.kind)
		}
		// Odoo's price_include: the tax's own choice, else its company's.
		t.included = include == "tax_included"
		out[id] = append(out[id], t)
	}
	return out, rows.Err()
}

// round is Odoo's float_round of x to a multiple of precision, halves
// away from zero, after the nudge Odoo gives the value against binary
// representation errors.
func round(x, precision float64) float64 {
	if precision <= 0 || x == 0 {
		return x
	}
	n := x / precision
	eps := math.Pow(2, math.Log2(math.Abs(n))-52)
	n += math.Copysign(eps, n)
	r := math.Round(n) * precision
	// Drop the representation noise of the product.
	digits := math.Max(0, math.Ceil(-math.Log10(precision)))
	p := math.Pow(10, digits)
	return math.Round(r*p) / p
}

// uomPrecision is the precision of quantities: Odoo's "Product Unit of
// Measure" decimal precision, two digits.
const uomPrecision = 0.01

// qtyCompare is Odoo's float_compare of quantities a and b at uomPrecision:
// -1, 0 or 1.
func qtyCompare(a, b float64) int {
	switch d := round(a-b, uomPrecision); {
	case d == 0:
		return 0
	case d < 0:
		return -1
	}
	return 1
}

// invoiceStatus is Odoo's for a line: nothing to invoice but on a
// confirmed order; then something left to invoice; more delivered than
// ordered on a product invoiced on order (upselling); all invoiced
// (also a line of quantity 0, and a section); else nothing.
func (l *line) invoiceStatus() string {
	switch {
	case l.state != "sale":
		return "no"
	case qtyCompare(l.toBill, 0) != 0:
		return "to invoice"
	case !l.section && l.policy == "order" && l.qty >= 0 && qtyCompare(l.delivered, l.qty) > 0:
		return "upselling"
	case qtyCompare(l.invoiced, l.qty) >= 0:
		return "invoiced"
	}
	return "no"
}

// eachLine reads the lines of recs and hands each record its line.
func eachLine(ctx context.Context, env *models.Env, recs []models.Record, set func(models.Record, *line)) error {
	ids := recordIDs(recs)
	if len(ids) == 0 {
		return nil
	}
	lines, _, err := readLines(ctx, env, "l.id IN ("+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	for _, r := range recs {
		id, _ := r["id"].(int64)
		l := lines[id]
		if l == nil {
			l = &line{}
		}
		set(r, l)
	}
	return nil
}

// computeProductTemplate fills the lines' product_template_id: their
// product's template.
func computeProductTemplate(ctx context.Context, env *models.Env, recs []models.Record) error {
	ids := recordIDs(recs)
	if len(ids) == 0 {
		return nil
	}
	found, err := env.Pairs(ctx, `SELECT l.id, p.product_tmpl_id FROM sale_order_line l
		JOIN product_product p ON p.id = l.product_id WHERE l.id IN (`+models.Placeholders(len(ids))+")", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	for _, r := range recs {
		id, _ := r["id"].(int64)
		r["product_template_id"] = false
		if t := found[id]; len(t) > 0 {
			r["product_template_id"] = t[0]
		}
	}
	return nil
}
