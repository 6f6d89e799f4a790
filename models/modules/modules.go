// Package modules holds the installable modules godoo knows beyond base
// and web: one folder per Odoo module (sale, mail, product, ...) of
// declarations and data, generated from the recording of a real Odoo 18
// with those modules installed (see models/modelgen).
package modules

import "embed"

// packs are the module folders: manifest.json, models/ (the models the
// module adds), inherit/ (the fields it adds to models of the modules it
// depends on, as Odoo's _inherit) and data/ (groups, access rows, record
// rules), generated (edit models/modelgen, then run go generate); and,
// written by hand, records.json (the data records scripts rely on) and
// the Go behaviour of the module's models (behaviours.go).
//
//go:generate go run ../modelgen modules
//go:embed */manifest.json */models */inherit */data */records.json
var packs embed.FS

// orderJSON is the order of the fields of each model several modules
// declare, as Odoo's fields_get gives it with every module installed.
//
//go:embed order.json
var orderJSON []byte
