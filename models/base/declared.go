package base

import (
	"fmt"

	"github.com/godoo/godoo/models"
)

// Declare adds to r models declared outside godoo (the files of a models
// path, written by godoo model import from an Odoo's fields_get): data
// only, with the generic methods every model has and none of Odoo's
// business methods. They are checked against the models already in r, so
// that a relation to a model nobody declares is an error now rather than
// at the first call. Only administrators may use them: Odoo's access
// rights of a custom module are not part of what fields_get tells.
func Declare(r *models.Registry, decls []*models.Declaration) error {
	for _, d := range decls {
		if r.Model(d.Model) != nil {
			return fmt.Errorf("%s: godoo declares this model already", d.Model)
		}
		if err := r.Declare(d, nil); err != nil {
			return err
		}
		r.AdminOnly = append(r.AdminOnly, d.Model)
	}
	return r.Check()
}

// adminOnlyAccess are the access rights of r's AdminOnly models: every
// right, to the group of administrators.
func adminOnlyAccess(r *models.Registry) []accessDef {
	var out []accessDef
	for _, m := range r.AdminOnly {
		out = append(out, accessDef{m, "group_system", "rwcu"})
	}
	return out
}
