package models_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestBehaviourThen: a module's behaviour laid over a model's adds its
// methods and computes, runs its create hook after the model's, and
// replaces the hooks it sets; Hooks gaining a field must be handled there.
func TestBehaviourThen(t *testing.T) {
	if n := reflect.TypeOf(models.Hooks{}).NumField(); n != 15 {
		t.Fatalf("Hooks has %d fields: teach Behaviour.Then the new ones", n)
	}
	var ran []string
	hook := func(name string) func(context.Context, *models.Env, map[string]any) error {
		return func(context.Context, *models.Env, map[string]any) error { ran = append(ran, name); return nil }
	}
	first := &models.Behaviour{Hooks: models.Hooks{BeforeCreate: hook("base"), CopyMarked: []string{"name"}},
		Methods:  []*models.Method{{Name: "a"}},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{"_a": nil}}
	second := &models.Behaviour{Hooks: models.Hooks{BeforeCreate: hook("module"), NameSearchFirst: func(string, string) []any { return nil }},
		Methods:  []*models.Method{{Name: "b"}},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{"_b": nil}}
	tests := []struct {
		name      string
		b         *models.Behaviour
		wantRan   []string
		methods   int
		computes  int
		nameFirst bool
	}{
		{"both", first.Then(second), []string{"base", "module"}, 2, 2, true},
		{"nil base", (*models.Behaviour)(nil).Then(second), []string{"module"}, 1, 1, true},
		{"nil module", first.Then(nil), []string{"base"}, 1, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ran = nil
			if err := tc.b.BeforeCreate(context.Background(), nil, nil); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ran, tc.wantRan) || len(tc.b.Methods) != tc.methods || len(tc.b.Computes) != tc.computes ||
				(tc.b.NameSearchFirst != nil) != tc.nameFirst {
				t.Errorf("ran %v, %d methods, %d computes, name search first %v", ran, len(tc.b.Methods), len(tc.b.Computes), tc.b.NameSearchFirst != nil)
			}
		})
	}
	if len(first.Methods) != 1 || len(first.Computes) != 1 {
		t.Error("Then changed the behaviour it extends")
	}
}
