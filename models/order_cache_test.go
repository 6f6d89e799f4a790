package models

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestRenderedOrder checks that an order remembered by the registry is
// the one parseOrderIn renders, a refused one the same error and never
// remembered, that a remembered order costs no allocation, that a
// registry's extension renders its own, and that the memory stays within
// its bounds whatever clients send.
func TestRenderedOrder(t *testing.T) {
	r := NewRegistry()
	r.Register(&Model{Name: "x.country", Table: "x_country", Order: "name desc",
		Fields: map[string]*Field{"name": {Name: "name", Column: "name", Type: Char}}})
	r.Register(&Model{Name: "x.partner", Table: "x_partner", Order: "name, id desc",
		Fields: map[string]*Field{"name": {Name: "name", Column: "name", Type: Char},
			"country_id": {Name: "country_id", Column: "country_id", Type: Many2one, Relation: "x.country"}}})
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	m := r.Model("x.partner")
	specs := []string{"", "name", "name desc", "country_id", "country_id desc nulls first", "id", "  ",
		strings.Repeat("name,", 60) + "id", "nope", "name,", "name sideways"}
	ctx := context.Background()
	for _, dialect := range []string{"pg", "sqlite"} {
		env := NewEnv(nil, dialect, r, nil, SuperuserID, time.Now())
		for i, spec := range specs {
			want, wantErr := parseOrderIn(r, dialect, m, "t0", spec, nil)
			if valid := i < 8; valid != (wantErr == nil) {
				t.Fatalf("%s %q: the fixture renders %q, %v", dialect, spec, want, wantErr)
			}
			for range 2 {
				got, colErr, err := env.renderedOrder(ctx, m, "t0", spec)
				if colErr != nil {
					t.Errorf("%s %q: %v", dialect, spec, colErr)
				}
				if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Errorf("%s %q: %q, %v; want %q, %v", dialect, spec, got, err, want, wantErr)
				}
			}
			_, kept := r.orders.m.Load(orderKey{model: m, fields: len(m.Fields), dialect: dialect, alias: "t0", spec: spec})
			if kept != (wantErr == nil && len(spec) <= maxOrderFormLen) {
				t.Errorf("%s %q remembered: %v", dialect, spec, kept)
			}
		}
	}
	env := NewEnv(nil, "pg", r, nil, SuperuserID, time.Now())
	if n := testing.AllocsPerRun(100, func() { _, _, _ = env.renderedOrder(ctx, m, "t0", "country_id") }); n != 0 {
		t.Errorf("a remembered order allocates %v times", n)
	}
	x, err := r.Extend(Extension{})
	if err != nil {
		t.Fatal(err)
	}
	if x.orders == r.orders {
		t.Error("an extension shares the orders of the registry it extends")
	}
	for i := range 2 * maxOrderForms {
		spec := fmt.Sprintf("name desc, %sid", strings.Repeat(" ", i%200))
		if i >= 200 {
			spec = fmt.Sprintf("name desc, id %s", []string{"asc", "desc"}[i%2]) + strings.Repeat(" ", i/2%120)
		}
		if _, _, err := env.WithRegistry(x).renderedOrder(ctx, x.Model("x.partner"), fmt.Sprintf("t%d", i), spec); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	x.orders.m.Range(func(any, any) bool { n++; return true })
	if n > maxOrderForms || x.orders.n.Load() != int64(n) {
		t.Errorf("%d orders remembered, counted %d; at most %d", n, x.orders.n.Load(), maxOrderForms)
	}
}

// TestRenderedOrderChangedInPlace checks that an order rendered before a
// comodel changed in place (its _order, a field swapped for another) is not
// served afterwards, and that a registry remembers orders only once
// checked.
func TestRenderedOrderChangedInPlace(t *testing.T) {
	country := func(order, col string) *Model {
		return &Model{Name: "x.country", Table: "x_country", Order: order,
			Fields: map[string]*Field{"name": {Name: "name", Column: col, Type: Char}}}
	}
	r := NewRegistry()
	r.Register(country("name desc", "name"))
	r.Register(&Model{Name: "x.partner", Table: "x_partner",
		Fields: map[string]*Field{"country_id": {Name: "country_id", Column: "country_id", Type: Many2one, Relation: "x.country"}}})
	m := r.Model("x.partner")
	ctx := context.Background()
	env := NewEnv(nil, "pg", r, nil, SuperuserID, time.Now())
	render := func() string {
		t.Helper()
		got, colErr, err := env.renderedOrder(ctx, m, "t0", "country_id")
		if err != nil || colErr != nil {
			t.Fatal(err, colErr)
		}
		want, _ := parseOrderIn(r, "pg", m, "t0", "country_id", nil)
		if got != want {
			t.Errorf("served %q, rendered now %q", got, want)
		}
		return got
	}
	render()
	if r.orders.n.Load() != 0 {
		t.Error("an unchecked registry remembered an order")
	}
	for i, c := range []*Model{country("name desc", "name"), country("id", "name"), country("name", "title")} {
		r.Register(c)
		if r.orders.checked.Load() {
			t.Errorf("change %d: the registry is still checked", i)
		}
		if err := r.Check(); err != nil {
			t.Fatal(err)
		}
		render()
		render()
		if r.orders.n.Load() != 1 {
			t.Errorf("change %d: %d orders remembered, want 1", i, r.orders.n.Load())
		}
	}
}
