package base

import (
	"context"
	"math/rand/v2"
	"strings"

	"github.com/godoo/godoo/models"
)

// The display names Odoo composes from more than a record's name: a tag
// under its parents ("Segment / Retail / Online"), a group under its
// application ("Extra Rights / Contact Creation"), a state with its
// country's code ("California (US)"). And the records name_search lists
// first for countries and states: those whose code is the name searched.

// categoryBehaviour is res.partner.category's: its display name is the path
// of names from its root, and a new tag gets a random colour, as Odoo's
// _get_default_color (1 to 11).
func categoryBehaviour() *models.Behaviour {
	return &models.Behaviour{
		Hooks: models.Hooks{DisplayName: categoryDisplayName, DisplayNameDeps: []string{"parent_id"}},
		Defaults: map[string]func(context.Context, *models.Env) any{
			"color": func(context.Context, *models.Env) any { return int64(1 + rand.IntN(11)) },
		},
	}
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
