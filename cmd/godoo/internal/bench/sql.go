package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
)

// The yardstick: each scenario's work done directly on the database, through
// the same driver, bun and the same kind of pool as godoo, and scanned into
// Go values as godoo scans them. Queries take bun's ? placeholders, which
// bun fills in on the client side for godoo as well.

// partnerColumns are the columns of Fields, with the id.
var partnerColumns = "t0.id, t0." + strings.Join(Fields, ", t0.")

// searchReadSQL is what search_read of the 8 fields reads: the matching
// partners in godoo's order (name, then id), with their columns.
func searchReadSQL(db *bun.DB, want int) Target {
	return rowsSQL(db, want, "SELECT "+partnerColumns+" FROM res_partner t0 WHERE t0.is_company = ? AND t0.active = ? ORDER BY t0.name ASC, t0.id ASC LIMIT ?",
		true, true, SearchReadLimit)
}

// searchSQL is what the small search reads: ids only.
func searchSQL(db *bun.DB, want int) Target {
	return rowsSQL(db, want, "SELECT t0.id FROM res_partner t0 WHERE t0.is_company = ? AND t0.active = ? ORDER BY t0.name ASC, t0.id ASC LIMIT ?",
		true, true, SearchLimit)
}

// readSQL reads the 8 fields of ids.
func readSQL(db *bun.DB, ids []int64) Target {
	return rowsSQL(db, len(ids), "SELECT "+partnerColumns+" FROM res_partner t0 WHERE t0.id IN (?)", bun.In(ids))
}

// headerKeySQL is the look-up of an API-KEY header key by its hash, with
// its user and company, as the route check reads it.
func headerKeySQL(db *bun.DB, hash string) Target {
	return rowsSQL(db, 1, `SELECT k.id, k.name, k.user_id, u.login, k.active, u.active, c.archived_user_disable_auth_api_key
		FROM auth_api_key k JOIN res_users u ON u.id = k.user_id JOIN res_company c ON c.id = u.company_id WHERE k.key_hash = ?`, hash)
}

// createUnlinkSQL inserts a partner and deletes it, each statement in its
// own implicit transaction, as the two calls are.
func createUnlinkSQL(db *bun.DB) Target {
	return func(int) CallFunc {
		return func(ctx context.Context) error {
			now := time.Now().UTC().Format(models.DatetimeLayout)
			var id int64
			err := db.QueryRowContext(ctx, `INSERT INTO res_partner (name, is_company, active, type, color, create_uid, write_uid, create_date, write_date)
				VALUES (?, ?, ?, 'contact', 0, 2, 2, ?, ?) RETURNING id`, "bench create", false, true, now, now).Scan(&id)
			if err != nil {
				return err
			}
			res, err := db.ExecContext(ctx, "DELETE FROM res_partner WHERE id = ?", id)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("delete: %d rows, %v", n, err)
			}
			return nil
		}
	}
}

// rowsSQL runs query and scans every row into Go values; the call fails
// unless it returns want rows.
func rowsSQL(db *bun.DB, want int, query string, args ...any) Target {
	return func(int) CallFunc {
		var vals, ptrs []any
		return func(ctx context.Context) error {
			rows, err := db.QueryContext(ctx, query, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			if vals == nil {
				cols, err := rows.Columns()
				if err != nil {
					return err
				}
				vals, ptrs = make([]any, len(cols)), make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
			}
			n := 0
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				n++
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if n != want {
				return fmt.Errorf("%d rows, want %d", n, want)
			}
			return nil
		}
	}
}
