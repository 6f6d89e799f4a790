package base_test

import (
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// TestReadOnlyMethodsDoNotWrite checks the closed list of read-only methods
// (what read-only keys may call) against the methods every model of base
// serves: each listed method a model has runs in a read-only transaction,
// so that a method that writes cannot be added to the list unnoticed.
func TestReadOnlyMethodsDoNotWrite(t *testing.T) {
	r := models.NewRegistry()
	if err := base.Register(r); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, name := range r.Names() {
		m := r.Model(name)
		for method, meth := range m.Methods {
			if models.IsReadOnlyMethod(method) {
				seen++
				if !meth.ReadOnly {
					t.Errorf("%s.%s is on the read-only list but does not run read-only", name, method)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no model serves a read-only method")
	}
}
