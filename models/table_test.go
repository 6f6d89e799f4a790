package models_test

import (
	"slices"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestTableColumns checks which reads search_read answers as a Table: only
// those whose every field is a column read as stored, so that the Table
// holds exactly what the general path's records would.
func TestTableColumns(t *testing.T) {
	reg := storetest.Base(t)
	cases := []struct {
		name    string
		model   string
		fields  []string
		load    bool
		binSize bool
		want    []string // column names in select order; nil for the general path
	}{
		{"plain columns", "res.partner", []string{"name", "email", "is_company"}, true, false, []string{"id", "name", "email", "is_company"}},
		{"id named", "res.partner", []string{"id", "name"}, true, false, []string{"id", "name"}},
		{"many2one as an id", "res.partner", []string{"name", "parent_id"}, false, false, []string{"id", "name", "parent_id"}},
		{"many2one with its name", "res.partner", []string{"name", "parent_id"}, true, false, nil},
		{"one2many", "res.partner", []string{"name", "child_ids"}, true, false, nil},
		{"many2many", "res.partner", []string{"category_id"}, false, false, nil},
		{"display_name", "res.partner", []string{"display_name"}, true, false, nil},
		{"a field named twice", "res.partner", []string{"name", "name"}, true, false, nil},
		{"binary", "ir.attachment", []string{"db_datas"}, true, false, []string{"id", "db_datas"}},
		{"binary with bin_size", "ir.attachment", []string{"db_datas"}, true, true, nil},
		{"binary kept in an attachment", "res.partner", []string{"image_1920"}, true, false, nil},
		{"related", "res.users", []string{"login", "name"}, true, false, nil},
		{"write-only", "res.users", []string{"login", "password"}, true, false, nil},
		// As many columns as fields, but one is what a computed field
		// depends on, not the field.
		{"computed, with the column it reads", "res.partner", []string{"company_type", "name"}, true, false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := models.NewEnv(nil, "sqlite", reg, nil, 2, time.Time{})
			if c.binSize {
				env.Context["bin_size"] = true
			}
			cols := models.TableColumns(env, reg.Model(c.model), c.fields, c.load)
			var got []string
			for _, f := range cols {
				got = append(got, f.Name)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("tableColumns(%v, load=%v) = %v, want %v", c.fields, c.load, got, c.want)
			}
		})
	}
}

// TestTableRowsAndRecords checks a Table's accessors.
func TestTableRowsAndRecords(t *testing.T) {
	tb := &models.Table{Names: []string{"id", "name"}, Values: []any{int64(1), "a", int64(2), false}}
	if tb.Len() != 2 || !slices.Equal(tb.Row(1), []any{int64(2), false}) {
		t.Fatalf("Len %d, Row(1) %v", tb.Len(), tb.Row(1))
	}
	recs := tb.Records()
	if len(recs) != 2 || recs[0]["name"] != "a" || recs[1]["id"] != int64(2) || recs[1]["name"] != false {
		t.Fatalf("Records() = %v", recs)
	}
	if (&models.Table{}).Len() != 0 {
		t.Fatal("an empty table has records")
	}
}
