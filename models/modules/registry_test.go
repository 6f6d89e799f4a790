package modules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// TestRegisterEveryModule declares every module at once, and each module
// with what it depends on alone: a field must not need a model or field
// its module's dependencies lack.
func TestRegisterEveryModule(t *testing.T) {
	c := Known()
	if len(c) != 51 {
		t.Fatalf("%d modules, want the 51 of the recording beside base and web", len(c))
	}
	r := models.NewRegistry()
	if err := c.Register(r, c.Names()); err != nil {
		t.Fatal(err)
	}
	b := models.NewRegistry()
	if err := base.Register(b); err != nil {
		t.Fatal(err)
	}
	// The recording's 370 models are base's 120 less godoo's own 3, and
	// 250 the modules add.
	if n, want := len(r.Names()), len(b.Names())+250; n != want {
		t.Errorf("%d models with every module, want %d", n, want)
	}
	for _, name := range c.Names() {
		deps, err := c.Closure([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Register(models.NewRegistry(), deps); err != nil {
			t.Errorf("%s alone: %v", name, err)
		}
	}
}

// TestAvailable: the modules a new database lists are the catalogue's.
func TestAvailable(t *testing.T) {
	var names []string
	for _, m := range Available() {
		names = append(names, m.Name)
	}
	if got, want := strings.Join(names, " "), strings.Join(Known().Names(), " "); got != want {
		t.Errorf("available %s, known %s", got, want)
	}
}

// TestBaseDeclarationsShared: the base declarations are parsed once and
// shared by every registry, so a registry with modules (which lay fields
// over base models, reorder them and set their computes) must leave the
// next registry of base alone as it was.
func TestBaseDeclarationsShared(t *testing.T) {
	fields := func() map[string]string {
		r := models.NewRegistry()
		if err := base.Register(r); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, name := range r.Names() {
			m := r.Model(name)
			var desc []string
			for _, f := range m.FieldOrder {
				fd := m.Fields[f]
				desc = append(desc, fmt.Sprintf("%s:%s:%s:%t", f, fd.Type, fd.OnDelete, fd.Compute != nil))
			}
			out[name] = strings.Join(desc, " ")
		}
		return out
	}
	before := fields()
	c := Known()
	if err := c.Register(models.NewRegistry(), c.Names()); err != nil {
		t.Fatal(err)
	}
	after := fields()
	if len(after) != len(before) {
		t.Fatalf("base has %d models after a registry with modules, %d before", len(after), len(before))
	}
	for name, want := range before {
		if got := after[name]; got != want {
			t.Errorf("%s after a registry with modules:\n%s\nbefore:\n%s", name, got, want)
		}
	}
}
