package base

import (
	"context"
	"fmt"

	"github.com/godoo/godoo/models"
)

// stateBehaviour is res.country.state's: Odoo 18 names a state with its
// country's code, "California (US)", wherever it shows it (a partner's
// state_id reads so too), and finds it by its code first.
func stateBehaviour() *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{
		DisplayName: func(ctx context.Context, env *models.Env, recs []models.Record) error {
			return suffixDisplayName(ctx, env, recs, "country_id", "SELECT id, code FROM res_country WHERE id IN (%s)",
				func(name, code string) string { return name + " (" + code + ")" })
		},
		DisplayNameDeps: []string{"country_id"},
		// name_search lists the states whose code is the name first.
		NameSearchFirst: func(name, _ string) []any { return []any{[]any{"code", "=like", name}} },
	}}
}

// groupsDisplayName is a group's full name, "Administration / Settings":
// its category's name before its own, as Odoo's res.groups full_name.
func groupsDisplayName(ctx context.Context, env *models.Env, recs []models.Record) error {
	return suffixDisplayName(ctx, env, recs, "category_id", "SELECT id, name FROM ir_module_category WHERE id IN (%s)",
		func(name, category string) string { return category + " / " + name })
}

// suffixDisplayName sets the display name of recs from their name and a
// text of the record their many2one field via points at (read by q, whose
// %s takes the ids' placeholders), joined by join; a record without that
// many2one shows its name alone.
func suffixDisplayName(ctx context.Context, env *models.Env, recs []models.Record, via, q string, join func(name, other string) string) error {
	var ids []int64
	for _, r := range recs {
		if id, ok := r[via].(int64); ok {
			ids = append(ids, id)
		}
	}
	texts := map[int64]string{}
	if ids = models.UniqueIDs(ids); len(ids) > 0 {
		rows, err := env.Query(ctx, fmt.Sprintf(q, models.Placeholders(len(ids))), models.IDArgs(ids)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var text string
			if err := rows.Scan(&id, &text); err != nil {
				rows.Close()
				return err
			}
			texts[id] = text
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, r := range recs {
		name, _ := r["name"].(string)
		if id, ok := r[via].(int64); ok && texts[id] != "" {
			r["display_name"] = join(name, texts[id])
		} else {
			r["display_name"] = name
		}
	}
	return nil
}
