package sale

import (
	"context"
	"database/sql"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/modules/account"
)

// Odoo's sale.order.line computes its taxes (tax_id, _compute_tax_id)
// from its product and company when they are not given: the product's
// sales taxes (taxes_id) of the line's company, else of the nearest of
// its parent companies that has some (_filter_taxes_by_company), mapped
// by the order's fiscal position.

// productTaxes are the taxes a line of product in company takes.
func productTaxes(ctx context.Context, env *models.Env, product, company, order int64) ([]int64, error) {
	f := env.Registry.Model("product.template").Fields["taxes_id"]
	if f == nil || f.RelTable == "" || product == 0 {
		return nil, nil
	}
	rows, err := env.Query(ctx, "SELECT t.id, COALESCE(t.company_id, 0) FROM product_product p JOIN "+f.RelTable+" r ON r."+f.RelCol+
		" = p.product_tmpl_id JOIN account_tax t ON t.id = r."+f.RelOther+" WHERE p.id = ? ORDER BY t.sequence, t.id", product)
	if err != nil {
		return nil, err
	}
	byCompany := map[int64][]int64{}
	for rows.Next() {
		var id, c int64
		if err := rows.Scan(&id, &c); err != nil {
			rows.Close()
			return nil, err
		}
		byCompany[c] = append(byCompany[c], id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(byCompany) == 0 {
		return nil, err
	}
	var path sql.NullString
	if company != 0 {
		if _, err := env.Scalar(ctx, &path, "SELECT parent_path FROM res_company WHERE id = ?", company); err != nil {
			return nil, err
		}
	}
	chain := account.CompanyPath(path.String, company)
	var taxes []int64
	for i := len(chain) - 1; i >= 0 && len(taxes) == 0; i-- {
		taxes = byCompany[chain[i]]
	}
	return mapTaxes(ctx, env, order, taxes)
}

// mapTaxes maps taxes by the fiscal position of order, as Odoo's
// map_tax: a tax the position names is replaced by its destinations
// (none when it names none), other taxes are kept.
func mapTaxes(ctx context.Context, env *models.Env, order int64, taxes []int64) ([]int64, error) {
	if order == 0 || len(taxes) == 0 || env.Registry.Model("account.fiscal.position.tax") == nil {
		return taxes, nil
	}
	var position sql.NullInt64
	if _, err := env.Scalar(ctx, &position, "SELECT fiscal_position_id FROM sale_order WHERE id = ?", order); err != nil || !position.Valid {
		return taxes, err
	}
	rows, err := env.Query(ctx, "SELECT tax_src_id, COALESCE(tax_dest_id, 0) FROM account_fiscal_position_tax WHERE position_id = ? ORDER BY id", position.Int64)
	if err != nil {
		return nil, err
	}
	mapped := map[int64][]int64{}
	for rows.Next() {
		var src, dest int64
		if err := rows.Scan(&src, &dest); err != nil {
			rows.Close()
			return nil, err
		}
		mapped[src] = append(mapped[src], dest)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []int64
	for _, t := range taxes {
		dests, ok := mapped[t]
		if !ok {
			out = append(out, t)
			continue
		}
		for _, d := range dests {
			if d != 0 {
				out = append(out, d)
			}
		}
	}
	return uniqueIDs(out), nil
}

// setLineTaxes gives the lines ids, whose product a write changed
// without giving their taxes, the taxes of their new product.
func setLineTaxes(ctx context.Context, env *models.Env, ids []int64) error {
	rows, err := env.Query(ctx, "SELECT id, COALESCE(product_id, 0), COALESCE(company_id, 0), COALESCE(order_id, 0) FROM sale_order_line "+
		"WHERE (display_type IS NULL OR display_type = '') AND id IN ("+models.Placeholders(len(ids))+") ORDER BY id", models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	type key struct{ product, company, order int64 }
	var keys []key
	byKey := map[key][]int64{}
	for rows.Next() {
		var id int64
		var k key
		if err := rows.Scan(&id, &k.product, &k.company, &k.order); err != nil {
			rows.Close()
			return err
		}
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	lines := env.Registry.Model("sale.order.line")
	for _, k := range keys {
		taxes, err := productTaxes(ctx, env, k.product, k.company, k.order)
		if err != nil {
			return err
		}
		if err := env.Write(ctx, lines, byKey[k], map[string]any{"tax_id": []any{[]any{int64(6), int64(0), models.IDArgs(taxes)}}}); err != nil {
			return err
		}
	}
	return nil
}
