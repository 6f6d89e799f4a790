package modules

import (
	"maps"
	"slices"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/modules/mail"
	"github.com/godoo/godoo/models/modules/product"
)

// behaviours are the Go behaviour of the modules that have some, by
// module, then by model: in the module's folder, one file per model. A
// behaviour of an abstract model (mail.thread) is laid over every model
// that inherits it, which is every model with all its fields. They are
// functions of the model they are laid over, so that every registry and
// model gets hooks and methods of its own.
var behaviours = map[string]map[string]func(model string) *models.Behaviour{
	"mail":    mail.Behaviours,
	"product": product.Behaviours,
}

// layers are the behaviours the installed modules (order) lay over the
// model d declares: each module's own for the model, then for the
// abstract models it inherits.
func layers(order []string, byModel map[string]*models.Declaration, d *models.Declaration) []*models.Behaviour {
	if d == nil {
		return nil
	}
	var out []*models.Behaviour
	for _, name := range order {
		if fn := behaviours[name][d.Model]; fn != nil {
			out = append(out, fn(d.Model))
		}
		for _, model := range slices.Sorted(maps.Keys(behaviours[name])) {
			if abstract := byModel[model]; model != d.Model && abstract != nil && abstract.Abstract && inherits(d, abstract) {
				out = append(out, behaviours[name][model](d.Model))
			}
		}
	}
	return out
}

// inherits tells whether d has every field of the abstract model a, as a
// model that inherits it has.
func inherits(d, a *models.Declaration) bool {
	if d.Abstract || len(a.Fields) == 0 {
		return false
	}
	have := make(map[string]bool, len(d.Fields))
	for _, f := range d.Fields {
		have[f.Name] = true
	}
	for _, f := range a.Fields {
		if !have[f.Name] {
			return false
		}
	}
	return true
}
