package integration_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestModulesListed checks that ir.module.module lists base and web as
// installed, web depending on base, and the modules godoo carries as
// uninstalled, and that installing a module godoo cannot provide answers
// Odoo's UserError and writes nothing, while installing an installed one
// answers the next action.
func TestModulesListed(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			got := e.mustKw(t, c, "ir.module.module", "search_read", []any{[]any{[]any{"state", "=", "installed"}}}, map[string]any{"fields": []any{"name", "state"}, "order": "name"}).([]any)
			var names []string
			for _, r := range got {
				row := r.(map[string]any)
				if row["state"] != "installed" {
					t.Errorf("module %v state = %v, want installed", row["name"], row["state"])
				}
				names = append(names, row["name"].(string))
			}
			if fmt.Sprint(names) != "[base web]" {
				t.Errorf("modules = %v, want [base web]", names)
			}
			sale := e.mustKw(t, c, "ir.module.module", "search_read", []any{[]any{[]any{"name", "=", "sale"}}}, map[string]any{"fields": []any{"state", "latest_version", "dependencies_id"}}).([]any)
			if len(sale) != 1 || sale[0].(map[string]any)["state"] != "uninstalled" || sale[0].(map[string]any)["latest_version"] != false ||
				len(sale[0].(map[string]any)["dependencies_id"].([]any)) != 3 {
				t.Errorf("sale = %v, want uninstalled, no version, three dependencies", sale)
			}
			deps := e.mustKw(t, c, "ir.module.module.dependency", "search_read", []any{[]any{[]any{"module_id.name", "=", "web"}}}, map[string]any{"fields": []any{"name", "depend_id", "state"}}).([]any)
			if len(deps) != 1 || deps[0].(map[string]any)["name"] != "base" || deps[0].(map[string]any)["state"] != "installed" {
				t.Fatalf("web's dependencies = %v, want base, installed", deps)
			}
			if dep, ok := deps[0].(map[string]any)["depend_id"].([]any); !ok || len(dep) != 2 || dep[1] != "base" {
				t.Errorf("web's dependency depend_id = %v, want base", deps[0].(map[string]any)["depend_id"])
			}
			web := e.mustKw(t, c, "ir.model.data", "search_read", []any{[]any{[]any{"module", "=", "base"}, []any{"name", "=", "module_web"}}}, map[string]any{"fields": []any{"model", "res_id"}}).([]any)
			if len(web) != 1 || web[0].(map[string]any)["model"] != "ir.module.module" {
				t.Fatalf("base.module_web = %v", web)
			}
			action := e.mustKw(t, c, "ir.module.module", "button_immediate_install", []any{[]any{web[0].(map[string]any)["res_id"]}}, nil).(map[string]any)
			if action["type"] != "ir.actions.act_url" || action["url"] != "/web" {
				t.Errorf("installing web = %v, want the act_url to /web", action)
			}

			name := "sale_" + c.protocol()
			id := e.mustKw(t, c, "ir.module.module", "create", []any{map[string]any{"name": name, "state": "uninstalled"}}, nil)
			_, f := e.kw(t, c, "ir.module.module", "button_immediate_install", []any{[]any{id}}, nil)
			wantExact(t, c, f, 2, "odoo.exceptions.UserError", `Unable to install module "`+name+`" because an external dependency is not met: the module is not available on this server`)
			state := e.mustKw(t, c, "ir.module.module", "read", []any{[]any{id}, []any{"state"}}, nil).([]any)
			if st := state[0].(map[string]any)["state"]; st != "uninstalled" {
				t.Errorf("state after a refused install = %v, want uninstalled", st)
			}

			withDep := e.mustKw(t, c, "ir.module.module", "create", []any{map[string]any{"name": name + "_x", "state": "uninstalled"}}, nil)
			e.mustKw(t, c, "ir.module.module.dependency", "create", []any{map[string]any{"module_id": withDep, "name": "account_" + c.protocol()}}, nil)
			_, f = e.kw(t, c, "ir.module.module", "button_immediate_install", []any{[]any{withDep}}, nil)
			wantExact(t, c, f, 2, "odoo.exceptions.UserError", "You try to install module '"+name+"_x' that depends on module 'account_"+c.protocol()+"'.\nBut the latter module is not available in your system.")
			unknown := e.mustKw(t, c, "ir.module.module.dependency", "search_read", []any{[]any{[]any{"module_id", "=", withDep}}}, map[string]any{"fields": []any{"state", "depend_id"}}).([]any)
			if r := unknown[0].(map[string]any); r["state"] != "unknown" || r["depend_id"] != false {
				t.Errorf("dependency on a missing module = %v, want unknown and no depend_id", r)
			}

			uid := authLogin(t, c, e.db, "demo", "demo")
			_, f = c.call(t, "object", "execute_kw", e.db, uid, "demo", "ir.module.module", "button_immediate_install", []any{[]any{id}})
			if f == nil {
				t.Errorf("a user outside Settings installed a module")
			}
		})
	})
}

// TestSequenceNextByCode checks ir.sequence.next_by_code: prefix and suffix
// interpolated with the date, padding, number_next moving by
// number_increment in both implementations, False for an unknown code, and
// Odoo's UserError for a prefix Python's formatting refuses.
func TestSequenceNextByCode(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		e.eachProtocol(t, func(t *testing.T, c caller) {
			p := c.protocol()
			year := time.Now().UTC().Year()
			e.mustKw(t, c, "ir.sequence", "create", []any{map[string]any{"name": "Std " + p, "code": "std." + p, "prefix": "INV/%(year)s/", "suffix": "-%(y)s%%", "padding": 4, "number_next": 7, "number_increment": 3}}, nil)
			e.mustKw(t, c, "ir.sequence", "create", []any{map[string]any{"name": "Nogap " + p, "code": "nogap." + p, "implementation": "no_gap"}}, nil)
			bad := e.mustKw(t, c, "ir.sequence", "create", []any{map[string]any{"name": "Bad " + p, "code": "bad." + p, "prefix": "%(nope)s"}}, nil)

			for _, want := range []string{fmt.Sprintf("INV/%d/0007-%02d%%", year, year%100), fmt.Sprintf("INV/%d/0010-%02d%%", year, year%100)} {
				if got := e.mustKw(t, c, "ir.sequence", "next_by_code", []any{"std." + p}, nil); got != want {
					t.Errorf("next_by_code(std) = %v, want %s", got, want)
				}
			}
			for _, want := range []string{"1", "2"} {
				if got := e.mustKw(t, c, "ir.sequence", "next_by_code", []any{"nogap." + p}, nil); got != want {
					t.Errorf("next_by_code(nogap) = %v, want %s", got, want)
				}
			}
			rows := e.mustKw(t, c, "ir.sequence", "search_read", []any{[]any{[]any{"code", "=", "std." + p}}}, map[string]any{"fields": []any{"number_next", "implementation", "active"}}).([]any)
			if r := rows[0].(map[string]any); r["number_next"] != int64(13) || r["implementation"] != "standard" || r["active"] != true {
				t.Errorf("sequence after two numbers = %v, want number_next 13, standard, active", r)
			}
			dated := e.mustKw(t, c, "ir.sequence", "next_by_code", []any{"std." + p}, map[string]any{"context": map[string]any{"ir_sequence_date": "2019-03-04"}})
			if want := "INV/2019/0013-19%"; dated != want {
				t.Errorf("next_by_code(std) on 2019-03-04 = %v, want %s", dated, want)
			}
			if got := e.mustKw(t, c, "ir.sequence", "next_by_code", []any{"none." + p}, nil); got != false {
				t.Errorf("next_by_code(unknown) = %v, want False", got)
			}
			_, f := e.kw(t, c, "ir.sequence", "next_by_code", []any{"bad." + p}, nil)
			wantExact(t, c, f, 2, "odoo.exceptions.UserError", "Invalid prefix or suffix for sequence “Bad "+p+"”")
			next := e.mustKw(t, c, "ir.sequence", "read", []any{[]any{bad}, []any{"number_next"}}, nil).([]any)
			if n := next[0].(map[string]any)["number_next"]; n != int64(1) {
				t.Errorf("number_next after a refused number = %v, want 1", n)
			}
		})
	})
}

// TestSequenceConcurrent checks that concurrent next_by_code calls on one
// sequence never hand out the same number: each call's transaction
// increments the row before reading it.
func TestSequenceConcurrent(t *testing.T) {
	eachStore(t, services.Config{}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		e.mustKw(t, c, "ir.sequence", "create", []any{map[string]any{"name": "Concurrent", "code": "concurrent", "implementation": "no_gap"}}, nil)
		const workers, calls = 4, 5
		var (
			mu  sync.Mutex
			got = map[any]int{}
			wg  sync.WaitGroup
		)
		for range workers {
			wg.Go(func() {
				for range calls {
					v, f := e.kw(t, c, "ir.sequence", "next_by_code", []any{"concurrent"}, nil)
					if f != nil {
						t.Errorf("next_by_code: fault %d %s", f.Code, f.String)
						return
					}
					mu.Lock()
					got[v]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(got) != workers*calls {
			t.Errorf("%d distinct numbers of %d calls: %v", len(got), workers*calls, got)
		}
		for n := 1; n <= workers*calls; n++ {
			if got[fmt.Sprint(n)] != 1 {
				t.Errorf("number %d handed out %d times", n, got[fmt.Sprint(n)])
			}
		}
	})
}

// TestSequenceDateRanges checks, on both stores, the numbers of a sequence
// with use_date_range, as Odoo's: each counts in the date range holding the
// date (the context's ir_sequence_date, or the sequence_date argument), a
// missing range is made for the date's year (shortened so as not to
// overlap an existing one), and %(range_...)s names the range's start.
func TestSequenceDateRanges(t *testing.T) {
	// The server's clock is fixed, so that today's year does not depend on
	// when the test runs (New Year).
	now := time.Date(2030, 12, 31, 23, 59, 30, 0, time.UTC)
	eachStore(t, services.Config{Now: func() time.Time { return now }}, godoorpc.Options{}, func(t *testing.T, e *env) {
		c := jsonCaller{e.srv.URL}
		kw := func(model, method string, args []any, kwargs map[string]any) any {
			return e.mustKw(t, c, model, method, args, kwargs)
		}
		at := func(day string) map[string]any {
			return map[string]any{"context": map[string]any{"ir_sequence_date": day}}
		}
		kw("ir.sequence", "create", []any{map[string]any{"name": "Ranged", "code": "ranged", "use_date_range": true,
			"prefix": "R/%(range_year)s/%(range_month)s/%(year)s/", "padding": 3}}, nil)
		seq2 := kw("ir.sequence", "create", []any{map[string]any{"name": "Half year", "code": "half", "use_date_range": true,
			"implementation": "no_gap", "prefix": "%(range_month)s/",
			"date_range_ids": []any{[]any{int64(0), int64(0), map[string]any{"date_from": "2023-07-01", "date_to": "2023-12-31", "number_next": int64(50)}}}}}, nil)
		for _, tc := range []struct {
			code, day string
			want      string
		}{
			{"ranged", "2024-05-01", "R/2024/01/2024/001"},
			{"ranged", "2024-11-30", "R/2024/01/2024/002"},
			{"ranged", "2025-02-01", "R/2025/01/2025/001"},
			{"half", "2023-03-01", "01/1"},
			{"half", "2023-08-01", "07/50"},
			{"half", "2023-06-30", "01/2"},
		} {
			if got := kw("ir.sequence", "next_by_code", []any{tc.code}, at(tc.day)); got != tc.want {
				t.Errorf("next_by_code(%s) on %s = %v, want %s", tc.code, tc.day, got, tc.want)
			}
		}
		// sequence_date picks the range; the plain names stay today's.
		if got := kw("ir.sequence", "next_by_code", []any{"ranged", "2024-02-02"}, nil); got != "R/2024/01/2030/003" {
			t.Errorf("next_by_code(ranged, 2024-02-02) = %v, want R/2024/01/2030/003", got)
		}
		if got := kw("ir.sequence", "next_by_id", []any{[]any{seq2}}, at("2023-12-31")); got != "07/51" {
			t.Errorf("next_by_id(half) on 2023-12-31 = %v, want 07/51", got)
		}
		ranges := kw("ir.sequence.date_range", "search_read", []any{[]any{[]any{"sequence_id", "=", seq2}}},
			map[string]any{"fields": []any{"date_from", "date_to", "number_next"}, "order": "date_from"}).([]any)
		var got []any
		for _, r := range ranges {
			m := r.(map[string]any)
			got = append(got, []any{m["date_from"], m["date_to"], m["number_next"]})
		}
		equal(t, "half-year ranges", got, []any{[]any{"2023-01-01", "2023-06-30", int64(3)}, []any{"2023-07-01", "2023-12-31", int64(52)}})
	})
}
