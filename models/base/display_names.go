package base

import (
	"context"
	"strings"

	"github.com/godoo/godoo/models"
)

// The display names Odoo composes from more than a record's name: a tag
// under its parents ("Segment / Retail / Online"), a group under its
// application ("Extra Rights / Contact Creation"), a state with its
// country's code ("California (US)"). And the records name_search lists
// first for countries and states: those whose code is the name searched.

// categoryBehaviour is res.partner.category's: its display name is the path
// of names from its root.
func categoryBehaviour() *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{DisplayName: categoryDisplayName, DisplayNameDeps: []string{"parent_id"}}}
}

// countryBehaviour is res.country's: a two-letter name_search finds the
// country of that code first.
func countryBehaviour() *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{NameSearchFirst: func(name, op string) []any {
		if len([]rune(name)) != 2 {
			return nil
		}
		return []any{[]any{"code", op, name}}
	}}}
}

// stateBehaviour is res.country.state's: named with its country's code, and
// found by its code first.
func stateBehaviour() *models.Behaviour {
	return &models.Behaviour{Hooks: models.Hooks{
		DisplayName:     stateDisplayName,
		DisplayNameDeps: []string{"country_id"},
		NameSearchFirst: func(name, _ string) []any { return []any{[]any{"code", "=like", name}} },
	}}
}

// categoryDisplayName joins the names of each tag's ancestors and its own
// with " / ", archived ancestors included, as Odoo's res.partner.category.
func categoryDisplayName(ctx context.Context, env *models.Env, recs []models.Record) error {
	type node struct {
		name   string
		parent int64
	}
	known := map[int64]node{}
	var pending []int64
	note := func(r models.Record) {
		n := node{}
		n.name, _ = r["name"].(string)
		n.parent, _ = r["parent_id"].(int64)
		known[r["id"].(int64)] = n
	}
	for _, r := range recs {
		note(r)
	}
	next := func() []int64 {
		var out []int64
		for _, n := range known {
			if _, ok := known[n.parent]; n.parent != 0 && !ok {
				out = append(out, n.parent)
			}
		}
		return models.UniqueIDs(out)
	}
	for pending = next(); len(pending) > 0; pending = next() {
		rows, err := readByID(ctx, env, "res.partner.category", pending, []string{"name", "parent_id"})
		if err != nil {
			return err
		}
		for _, id := range pending {
			if r := rows[id]; r != nil {
				note(r)
			} else {
				known[id] = node{} // gone: the path stops there
			}
		}
	}
	for _, r := range recs {
		var names []string
		seen := map[int64]bool{}
		for id := r["id"].(int64); id != 0 && !seen[id]; id = known[id].parent {
			seen[id] = true
			names = append(names, known[id].name)
		}
		for i, j := 0, len(names)-1; i < j; i, j = i+1, j-1 {
			names[i], names[j] = names[j], names[i]
		}
		r["display_name"] = strings.Join(names, " / ")
	}
	return nil
}

// stateDisplayName is "Name (CODE)", CODE the country's.
func stateDisplayName(ctx context.Context, env *models.Env, recs []models.Record) error {
	codes, err := linkedText(ctx, env, recs, "country_id", "res.country", "code")
	if err != nil {
		return err
	}
	for _, r := range recs {
		name, _ := r["name"].(string)
		code, ok := codes[r["id"].(int64)]
		if !ok {
			code = "False" // Python's str(False), as Odoo's f-string writes it
		}
		r["display_name"] = name + " (" + code + ")"
	}
	return nil
}

// groupDisplayName is a group's full name: its application's name, " / ",
// its own, as Odoo's res.groups.
func groupDisplayName(ctx context.Context, env *models.Env, recs []models.Record) error {
	apps, err := linkedText(ctx, env, recs, "category_id", "ir.module.category", "name")
	if err != nil {
		return err
	}
	for _, r := range recs {
		name, _ := r["name"].(string)
		if app := apps[r["id"].(int64)]; app != "" {
			name = app + " / " + name
		}
		r["display_name"] = name
	}
	return nil
}

// linkedText reads, as the superuser, the text field of the comodel record
// each of recs links to through the many2one link, by record id; records
// without a link or a text are left out.
func linkedText(ctx context.Context, env *models.Env, recs []models.Record, link, comodel, field string) (map[int64]string, error) {
	var ids []int64
	for _, r := range recs {
		if id, ok := r[link].(int64); ok {
			ids = append(ids, id)
		}
	}
	rows, err := readByID(ctx, env, comodel, ids, []string{field})
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, r := range recs {
		if id, ok := r[link].(int64); ok && rows[id] != nil {
			if s, ok := rows[id][field].(string); ok {
				out[r["id"].(int64)] = s
			}
		}
	}
	return out, nil
}
