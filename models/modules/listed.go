package modules

import (
	_ "embed"
	"encoding/json"
	"sync"

	"github.com/godoo/godoo/models/base"
)

// listedJSON are Odoo 18's applications that godoo does not carry, which
// Odoo lists uninstalled in every database's ir.module.module (crm,
// stock, ...), with their manifest's flags; written by hand. A script
// that looks a module up by name finds it as in Odoo; installing it is
// refused with Odoo's error for a module that is not there.
//
//go:embed listed.json
var listedJSON []byte

// listedModule is a row of listed.json.
type listedModule struct {
	Name        string `json:"name"`
	Application bool   `json:"application"`
	AutoInstall bool   `json:"auto_install"`
}

// Listed are the rows ir.module.module shows for Odoo's modules godoo
// does not carry: uninstalled, without version or dependencies.
func Listed() []base.ModuleInfo {
	return listed()
}

var listed = sync.OnceValue(func() []base.ModuleInfo {
	var rows []listedModule
	if err := json.Unmarshal(listedJSON, &rows); err != nil {
		panic(err) // the embedded file is checked by this package's tests
	}
	out := make([]base.ModuleInfo, len(rows))
	for i, r := range rows {
		out[i] = base.ModuleInfo{Name: r.Name, Application: r.Application, AutoInstall: r.AutoInstall}
	}
	return out
})
