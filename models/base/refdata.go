package base

import (
	"embed"
	"encoding/json"
	"path"
	"slices"
	"sync"
)

// DataRecord is one record of Odoo's reference data as godoo's data files
// hold it (generated from the recording by models/modelgen): its external
// id, whether Odoo marks that id noupdate, and its field values by field
// name, a many2one's value being the external id of its record and a
// many2many's a list of them.
type DataRecord struct {
	XMLID    string         `json:"xmlid"`
	Noupdate bool           `json:"noupdate,omitempty"`
	Values   map[string]any `json:"values"`
}

//go:embed data/*.json
var dataFiles embed.FS

// ReferenceModels are the models of Odoo's reference data, in the order a
// new database gets them: a record's many2one points at a model earlier in
// the list, or at a record earlier in its own file.
var ReferenceModels = []string{"res.currency", "res.country", "res.country.group", "res.country.state",
	"res.lang", "res.partner.title", "res.partner.industry", "res.bank", "ir.module.category"}

// UIModels are the models of the user interface records of Odoo's base
// module (views, window actions and the views they open, server, client,
// URL and report actions, scheduled actions, menus), in the order a new
// database gets them, after its users, groups and ir.model rows: a record
// points at records of models before its own.
var UIModels = []string{"ir.ui.view", "ir.actions.act_window", "ir.actions.act_window.view", "ir.actions.server",
	"ir.actions.client", "ir.actions.act_url", "ir.actions.report", "ir.cron", "ir.ui.menu"}

// referenceData are the records of ReferenceModels, UIModels and ir.rule, by
// model, read from the embedded files when first needed (modelgen, which
// writes those files, imports this package).
var referenceData = sync.OnceValue(func() map[string][]DataRecord {
	out := map[string][]DataRecord{}
	for _, model := range append(append(slices.Clone(ReferenceModels), UIModels...), "ir.rule") {
		out[model] = mustReadData(model + ".json")
	}
	return out
})

func mustReadData(name string) []DataRecord {
	b, err := dataFiles.ReadFile(path.Join("data", name))
	if err != nil {
		panic("base: " + err.Error())
	}
	var rows []DataRecord
	if err := json.Unmarshal(b, &rows); err != nil {
		panic("base: data/" + name + ": " + err.Error())
	}
	return rows
}

// ReferenceData returns the records of one of ReferenceModels or UIModels
// (or of ir.rule, Odoo's record rules), as godoo installs them.
func ReferenceData(model string) []DataRecord { return referenceData()[model] }

// str is a string value of a data record, "" when absent.
func (r DataRecord) str(field string) string {
	s, _ := r.Values[field].(string)
	return s
}

// Languages lists the languages Odoo 18 ships (those a database can
// activate), as [code, name].
func Languages() [][2]string { return pairs("res.lang", "code") }

// Countries lists Odoo 18's countries as [code, name].
func Countries() [][2]string { return pairs("res.country", "code") }

// pairs are [key, name] of the records of a reference model.
func pairs(model, key string) [][2]string {
	rows := referenceData()[model]
	out := make([][2]string, len(rows))
	for i, r := range rows {
		out[i] = [2]string{r.str(key), r.str("name")}
	}
	return out
}
