package base

import (
	"context"

	"github.com/uptrace/bun"
)

// SanitizeOldHTMLFields sets sanitize to true on the custom html fields
// migration 0018 found in the database, and empties its list: it runs
// after the schema step each time a process opens a database, and does
// something only the first time after that migration.
//
// A field is recognised as made before godoo sanitized custom html fields
// by existing when the migration ran, the first time a godoo with the
// sanitizer opened its database. Its row says nothing else: sanitize had
// no default then, so the column's false was stored whatever the author
// of the field meant, while Odoo's sanitize is true unless one says
// otherwise. A field one made with sanitize false on purpose
// between the sanitizer and this step is sanitized too: the safe side of
// the doubt, and one write gives it back. Other processes rebuild their
// registry of the database at their next request (the version moves).
func SanitizeOldHTMLFields(ctx context.Context, db bun.IDB) (int64, error) {
	res, err := db.ExecContext(ctx, `UPDATE ir_model_fields SET sanitize = TRUE
		WHERE id IN (SELECT field_id FROM godoo_html_sanitize) AND (sanitize IS NULL OR sanitize = FALSE)`)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM godoo_html_sanitize"); err != nil {
		return 0, err
	}
	if n > 0 {
		_, err = db.ExecContext(ctx, "UPDATE godoo_registry_version SET version = version + 1 WHERE id = 1")
	}
	return n, err
}
