package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/godoo/godoo/models/base"
)

// referenceModels are the models whose records Odoo's base module ships as
// data, in the order a new database gets them (a record's many2one points
// at a model earlier in the list, or at a row earlier in its own file).
// Each is written to data/<model>.json from the recording's
// data/<model>.json.
var referenceModels = []string{"res.currency", "res.country", "res.country.group", "res.country.state",
	"res.lang", "res.partner.title", "res.partner.industry", "res.bank", "ir.module.category"}

// generateReferenceData writes Odoo's reference data into out, one file a
// model: each record is its external id and its field values, many2one
// values by the external id of their record and many2many values as lists
// of them. Only facts are kept (names, codes, formats); false values of
// fields that are not booleans are left out, as empty.
func generateReferenceData(recording, out string) error {
	noupdate, err := recordedNoupdate(recording)
	if err != nil {
		return err
	}
	countries := map[string]string{} // code -> external id
	for _, model := range referenceModels {
		var records []map[string]any
		if err := readJSON(filepath.Join(recording, "data", model+".json"), &records); err != nil {
			return err
		}
		fields, err := recordedFieldTypes(recording, model)
		if err != nil {
			return err
		}
		rows := make([]base.DataRecord, 0, len(records))
		for _, r := range records {
			row, err := referenceRow(model, r, fields, countries)
			if err != nil {
				return fmt.Errorf("%s: %w", model, err)
			}
			row.Noupdate = noupdate[row.XMLID]
			rows = append(rows, row)
		}
		if model == "ir.module.category" {
			rows = parentsFirst(rows)
		}
		if err := writeLines(filepath.Join(out, model+".json"), rows); err != nil {
			return err
		}
	}
	return nil
}

// referenceRow is one recorded record as a data record. The recording
// names a country's currency and a state's country by their codes; they
// become the many2one fields, by external id.
func referenceRow(model string, r map[string]any, types map[string]string, countries map[string]string) (base.DataRecord, error) {
	row := base.DataRecord{Values: map[string]any{}}
	if s, ok := r["xmlid"].(string); ok {
		row.XMLID = s
	} else if s, ok := r["id"].(string); ok {
		row.XMLID = strings.TrimPrefix(s, "@")
	}
	if !strings.HasPrefix(row.XMLID, "base.") {
		return row, fmt.Errorf("a record without external id: %v", r)
	}
	for k, v := range r {
		switch {
		case k == "xmlid" || k == "id":
			continue
		case model == "res.country" && k == "currency":
			if code, ok := v.(string); ok {
				row.Values["currency_id"] = "base." + code
			}
			if code, ok := r["code"].(string); ok {
				countries[code] = row.XMLID
			}
			continue
		case model == "res.country.state" && k == "country":
			x, ok := countries[fmt.Sprint(v)]
			if !ok {
				return row, fmt.Errorf("state %s of an unknown country %v", row.XMLID, v)
			}
			row.Values["country_id"] = x
			continue
		}
		typ, ok := types[k]
		if !ok {
			continue // the recording's summaries (a country's states and groups)
		}
		if v == false && typ != "boolean" || v == nil {
			continue
		}
		switch typ {
		case "many2one":
			pair, ok := v.([]any)
			if !ok || len(pair) == 0 {
				return row, fmt.Errorf("%s.%s: not a many2one value: %v", row.XMLID, k, v)
			}
			v = strings.TrimPrefix(fmt.Sprint(pair[0]), "@")
		case "many2many", "one2many":
			list, _ := v.([]any)
			ids := make([]string, len(list))
			for i, x := range list {
				ids[i] = strings.TrimPrefix(fmt.Sprint(x), "@")
			}
			v = ids
		}
		row.Values[k] = v
	}
	return row, nil
}

// recordedFieldTypes are the types of a model's fields, by name, from its
// recorded fields_get.
func recordedFieldTypes(recording, model string) (map[string]string, error) {
	var fields map[string]struct {
		Type string `json:"type"`
	}
	if err := readJSON(filepath.Join(recording, "fields", model+".json"), &fields); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for name, f := range fields {
		out[name] = f.Type
	}
	return out, nil
}

// recordedNoupdate tells which of base's external ids Odoo marks noupdate.
func recordedNoupdate(recording string) (map[string]bool, error) {
	var rows []struct {
		XMLID    string `json:"xmlid"`
		Noupdate bool   `json:"noupdate"`
	}
	if err := readJSON(filepath.Join(recording, "ir_model_data_base.json"), &rows); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rows {
		out[r.XMLID] = r.Noupdate
	}
	return out, nil
}

// parentsFirst orders records so that a record's parent_id comes before
// it, keeping the recorded order otherwise.
func parentsFirst(rows []base.DataRecord) []base.DataRecord {
	depth := map[string]int{}
	var level func(x string, seen int) int
	byID := map[string]base.DataRecord{}
	for _, r := range rows {
		byID[r.XMLID] = r
	}
	level = func(x string, seen int) int {
		p, _ := byID[x].Values["parent_id"].(string)
		if p == "" || seen > len(rows) {
			return 0
		}
		return level(p, seen+1) + 1
	}
	for _, r := range rows {
		depth[r.XMLID] = level(r.XMLID, 0)
	}
	sort.SliceStable(rows, func(i, j int) bool { return depth[rows[i].XMLID] < depth[rows[j].XMLID] })
	return rows
}
