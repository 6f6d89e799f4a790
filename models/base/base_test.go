package base_test

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// TestRegister checks that the base declarations load with their Go
// behaviour, that each file is named after its model, and that two
// registries do not share methods (the identity check wraps them).
func TestRegister(t *testing.T) {
	a, b := models.NewRegistry(), models.NewRegistry()
	for _, r := range []*models.Registry{a, b} {
		if err := base.Register(r); err != nil {
			t.Fatal(err)
		}
	}
	files, err := fs.Glob(os.DirFS("."), "*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(a.Names()) {
		t.Fatalf("%d files declare %d models", len(files), len(a.Names()))
	}
	for _, name := range a.Names() {
		if !slices.Contains(files, strings.ReplaceAll(name, ".", "_")+".json") {
			t.Errorf("model %s is not declared in a file of its name", name)
		}
	}
	if a.Model("res.users.apikeys").Methods["remove"] == b.Model("res.users.apikeys").Methods["remove"] {
		t.Error("two registries share a method")
	}
	if !a.Model("res.users.apikeys").Methods["remove"].CheckIdentity || a.Model("res.partner").Fields["company_type"].Compute == nil {
		t.Error("Go behaviour missing")
	}
	if err := base.Register(a); err == nil {
		t.Error("registering twice into one registry was accepted")
	}
}
