package base

import (
	"context"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
)

// dropForeignOwnCompany removes company_id from a user's write of their own
// preferences when it names a company they are not allowed in: that write
// runs past the access rights, so without this any user could move to any
// company. Odoo's res.users.write drops the value the same way, on the same
// condition (the user writes only themselves, only self-writable fields).
func dropForeignOwnCompany(ctx context.Context, env *models.Env, m *models.Model, ids []int64, vals map[string]any) error {
	v, ok := vals["company_id"]
	if !ok || len(ids) != 1 || ids[0] != env.UID {
		return nil
	}
	for k := range vals {
		if !slices.Contains(m.SelfWritable, k) && !strings.HasPrefix(k, "context_") {
			return nil
		}
	}
	cid, _ := models.ToInt64(v)
	rows, err := env.Query(ctx, "SELECT 1 FROM res_company_users_rel WHERE user_id = ? AND cid = ?", env.UID, cid)
	if err != nil {
		return err
	}
	allowed := rows.Next()
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if !allowed {
		delete(vals, "company_id")
	}
	return nil
}

// checkUserCompany is Odoo's _check_user_company: an active user's company
// is one of their allowed companies.
func checkUserCompany(ctx context.Context, env *models.Env, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := env.Query(ctx, `SELECT u.id, COALESCE(c.name, ''), COALESCE(p.name, '') FROM res_users u
		JOIN res_company c ON c.id = u.company_id LEFT JOIN res_partner p ON p.id = u.partner_id
		WHERE u.active AND u.id IN (`+models.Placeholders(len(ids))+`)
		AND NOT EXISTS (SELECT 1 FROM res_company_users_rel r WHERE r.user_id = u.id AND r.cid = u.company_id)
		ORDER BY u.id LIMIT 1`, models.IDArgs(ids)...)
	if err != nil {
		return err
	}
	var (
		uid           int64
		company, user string
		found         = rows.Next()
	)
	if found {
		err = rows.Scan(&uid, &company, &user)
	}
	rows.Close()
	if err != nil || !found {
		return err
	}
	rows, err = env.Query(ctx, `SELECT c.name FROM res_company c JOIN res_company_users_rel r ON r.cid = c.id
		WHERE r.user_id = ? ORDER BY c.sequence, c.name, c.id`, uid)
	if err != nil {
		return err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return models.ValidationErrorf("Company %s is not in the allowed companies for user %s (%s).", company, user, strings.Join(names, ", "))
}

// hasAny reports whether vals sets one of keys.
func hasAny(vals map[string]any, keys ...string) bool {
	for _, k := range keys {
		if _, ok := vals[k]; ok {
			return true
		}
	}
	return false
}
