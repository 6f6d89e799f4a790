package models_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/godoo/godoo/migrations"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/sqlitestore"
	"github.com/godoo/godoo/models/storetest"
)

// FuzzDomain feeds arbitrary JSON domains to the compiler. Each must either
// be refused with one of Odoo's exceptions, or compile to SQL that runs on a
// real SQLite database and holds no text of its own: values travel only as
// arguments, so the SQL never contains a quote.
func FuzzDomain(f *testing.F) {
	for _, seed := range []string{
		`[]`, `[["name","=","x"]]`, `["|",["name","ilike","a"],["email","!=",false]]`,
		`["!",["color",">",3]]`, `[["parent_id.country_id.code","=","BE"]]`, `[["child_ids","=",false]]`,
		`[["id","child_of",[1,2]]]`, `[["parent_id","parent_of","x"]]`, `[["category_id","any",[["name","=","t"]]]]`,
		`[["name","=like","a%'; drop table res_partner; --"]]`, `[[1,"=",1]]`, `[["&"]]`, `["&","|"]`,
		`[["create_date",">","2024-01-01"]]`, `[["id","in",[]]]`, `[["id","not in",[1,false]]]`,
		`[["name","in","x"]]`, `[["user_ids.login","=","admin"]]`, `[["active","in",[true,false]]]`,
		`[["name\"; --","=",1]]`, `{"a":1}`, `[["create_date.month_number","=",11]]`, `[["create_date.quarter_number","in",[1,4]]]`, `[["company_type","=","company"]]`, `[["name","=?",false]]`,
		`[["lang","=","en_US"]]`,
	} {
		f.Add(seed)
	}
	store, err := sqlitestore.New(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	db, err := store.Create(ctx, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	if _, err := migrations.Apply(ctx, db, "sqlite"); err != nil {
		f.Fatal(err)
	}
	reg := storetest.Base(f)
	// The tables of every declared model, as a database godoo serves has
	// them: migrations make only the tables no model declares.
	if _, err := models.EnsureSchema(ctx, db, "sqlite", reg); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var domain any
		dec := json.NewDecoder(strings.NewReader(src))
		dec.UseNumber()
		if dec.Decode(&domain) != nil {
			return
		}
		domain = numbers(domain)
		sql, args, err := models.CompileDomain(reg, "sqlite", "res.partner", domain)
		if err != nil {
			var e *models.Error
			if !errors.As(err, &e) || e.Kind != models.KindServer && e.Kind != models.KindValidation {
				t.Fatalf("domain %s: unexpected error %v", src, err)
			}
			return
		}
		// The only literals godoo writes itself are SQLite's strftime
		// formats of date parts; anything else quoted came from the input.
		if strings.ContainsAny(strftimeFormat.ReplaceAllString(sql, ""), `'"`) {
			t.Fatalf("domain %s: SQL holds text of its own: %s", src, sql)
		}
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM res_partner t0 WHERE "+sql, args...).Scan(&n); err != nil {
			t.Fatalf("domain %s: SQL does not run: %v\n%s", src, err, sql)
		}
	})
}

var strftimeFormat = regexp.MustCompile(`strftime\('%[A-Za-z]'`)

func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		fl, _ := x.Float64()
		return fl
	case []any:
		for i := range x {
			x[i] = numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbers(x[k])
		}
	}
	return v
}
