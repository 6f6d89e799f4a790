package modules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// Register declares into r the base models and those of the installed
// modules (names in any order; base and web, which models/base holds,
// are left out), in dependency order: each module's models, then the
// fields it lays over models of the modules it depends on.
func (c Catalogue) Register(r *models.Registry, installed []string) error {
	order, err := c.Order(installed)
	if err != nil {
		return err
	}
	byModel := map[string]*models.Declaration{}
	return base.RegisterModules(r, func(decls []*models.Declaration) ([]*models.Declaration, error) {
		for _, d := range decls {
			byModel[d.Model] = d
		}
		for _, name := range order {
			mod := c[name]
			for _, d := range mod.Models {
				if byModel[d.Model] != nil {
					return nil, fmt.Errorf("module %s: model %s is declared already", name, d.Model)
				}
				own := *d // the catalogue's declarations are shared
				own.Fields = slices.Clone(own.Fields)
				byModel[d.Model] = &own
				decls = append(decls, &own)
			}
			for _, inh := range mod.Inherits {
				d := byModel[inh.Model]
				if d == nil {
					return nil, fmt.Errorf("module %s: inherits %s, which no module it depends on declares", name, inh.Model)
				}
				d.Fields = layFields(d.Fields, inh.Fields)
			}
		}
		for _, d := range decls {
			if order := fieldOrder()[d.Model]; order != nil {
				sortFields(d.Fields, order)
			}
		}
		if err := computeFields(byModel, order); err != nil {
			return nil, err
		}
		if err := addIndexes(byModel, order); err != nil {
			return nil, err
		}
		return decls, nil
	}, func(model string) []*models.Behaviour {
		return append(behavioursOf(order, model), layers(order, byModel, byModel[model])...)
	})
}

// sortFields puts fields in order's order; those order does not name
// (godoo's own) keep theirs, after the others.
func sortFields(fields []models.FieldDeclaration, order []string) {
	at := make(map[string]int, len(order))
	for i, n := range order {
		at[n] = i
	}
	rank := func(f models.FieldDeclaration) int {
		if i, ok := at[f.Name]; ok {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(fields, func(a, b models.FieldDeclaration) int { return rank(a) - rank(b) })
}

// layFields is fields with over laid on them: a field of the same name is
// replaced, a new one comes last. fields is not changed.
func layFields(fields, over []models.FieldDeclaration) []models.FieldDeclaration {
	out := slices.Clone(fields)
	for _, f := range over {
		i := slices.IndexFunc(out, func(g models.FieldDeclaration) bool { return g.Name == f.Name })
		if i >= 0 {
			out[i] = f
		} else {
			out = append(out, f)
		}
	}
	return out
}

// Order is names (installed modules, base and web aside) in Odoo's
// loading order: by depth (every module after those it depends on),
// then by name. A module that is not in
// the catalogue, or that needs one not among names, is an error.
func (c Catalogue) Order(names []string) ([]string, error) {
	set := map[string]bool{}
	for _, n := range names {
		if !builtin[n] {
			set[n] = true
		}
	}
	var order []string
	done := map[string]bool{}
	var visit func(n string) error
	visit = func(n string) error {
		if done[n] || builtin[n] {
			return nil
		}
		m := c[n]
		if m == nil {
			return fmt.Errorf("module %s: godoo does not have it", n)
		}
		done[n] = true
		for _, d := range m.Depends {
			if !builtin[d] && !set[d] {
				return fmt.Errorf("module %s needs %s, which is not installed", n, d)
			}
			if err := visit(d); err != nil {
				return err
			}
		}
		order = append(order, n)
		return nil
	}
	sorted := slices.Sorted(func(yield func(string) bool) {
		for n := range set {
			if !yield(n) {
				return
			}
		}
	})
	for _, n := range sorted {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	// Odoo loads modules by depth, then by name: the records they make
	// (scheduled actions, ...) come in its order.
	depth := map[string]int{"base": 0, "web": 1}
	for _, n := range order { // each after what it needs
		for _, d := range c[n].Depends {
			depth[n] = max(depth[n], depth[d]+1)
		}
	}
	slices.SortStableFunc(order, func(a, b string) int {
		if depth[a] != depth[b] {
			return depth[a] - depth[b]
		}
		return strings.Compare(a, b)
	})
	return order, nil
}

// builtin are the modules models/base holds, which every database has.
var builtin = map[string]bool{"base": true, "web": true}

// Closure is names with every module they depend on, directly or not
// (base and web aside), in dependency order.
func (c Catalogue) Closure(names []string) ([]string, error) {
	set := map[string]bool{}
	var add func(n string) error
	add = func(n string) error {
		if set[n] || builtin[n] {
			return nil
		}
		m := c[n]
		if m == nil {
			return fmt.Errorf("module %s: godoo does not have it", n)
		}
		set[n] = true
		for _, d := range m.Depends {
			if err := add(d); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range names {
		if err := add(n); err != nil {
			return nil, err
		}
	}
	all := make([]string, 0, len(set))
	for n := range set {
		all = append(all, n)
	}
	return c.Order(all)
}
