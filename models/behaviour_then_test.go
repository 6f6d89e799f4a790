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
	if n := reflect.TypeOf(models.Hooks{}).NumField(); n != 21 {
		t.Fatalf("Hooks has %d fields: teach Behaviour.Then the new ones", n)
	}
	var failed []string
	fail := func(name string) func(context.Context, *models.Env, []int64, map[string]any) {
		return func(context.Context, *models.Env, []int64, map[string]any) { failed = append(failed, name) }
	}
	both := (&models.Behaviour{Hooks: models.Hooks{WriteFailed: fail("base")}}).Then(&models.Behaviour{Hooks: models.Hooks{WriteFailed: fail("module")}})
	both.WriteFailed(context.Background(), nil, nil, nil)
	if !slices.Equal(failed, []string{"base", "module"}) {
		t.Errorf("WriteFailed ran %v, want the model's then the module's", failed)
	}
	var ran []string
	hook := func(name string) func(context.Context, *models.Env, map[string]any) error {
		return func(context.Context, *models.Env, map[string]any) error { ran = append(ran, name); return nil }
	}
	first := &models.Behaviour{Hooks: models.Hooks{BeforeCreate: hook("base"), CopyMarked: []string{"name"}},
		Methods:  []*models.Method{{Name: "a"}},
		Computes: map[string]func(context.Context, *models.Env, []models.Record) error{"_a": nil}}
	second := &models.Behaviour{Hooks: models.Hooks{BeforeCreate: hook("module"), NameSearchFirst: func(string, string) []any { return nil },
		StoredAs: map[string]string{"code": "code_store"}},
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
	if len(first.Methods) != 1 || len(first.Computes) != 1 || first.StoredAs != nil {
		t.Error("Then changed the behaviour it extends")
	}
	if got := first.Then(second).StoredAs["code"]; got != "code_store" {
		t.Errorf("StoredAs laid over: %q", got)
	}
	refusal := &models.Behaviour{Hooks: models.Hooks{RuleRefusal: func(*models.Env, models.Op, []int64) error { return nil }}}
	if first.Then(refusal).RuleRefusal == nil || refusal.Then(second).RuleRefusal == nil {
		t.Error("a module's RuleRefusal is lost, or lost when another module lays none over it")
	}
}

// TestBehaviourThenNarrows: a module's rules and search filter hold with
// the model's (AND), per operation when either depends on it, so a module
// never widens access; its ParentCycle message and overrides are kept.
func TestBehaviourThenNarrows(t *testing.T) {
	leaf := func(f string) []any { return []any{[]any{f, "=", int64(1)}} }
	rule := func(f string) func(context.Context, *models.Env) ([]any, error) {
		return func(context.Context, *models.Env) ([]any, error) { return leaf(f), nil }
	}
	ruleFor := func(context.Context, *models.Env, models.Op, models.RuleScope) ([]any, error) {
		return leaf("for"), nil
	}
	filter := func(f string) func([]any) []any { return func([]any) []any { return leaf(f) } }
	and := func(a, b string) []any { return append(append([]any{"&"}, leaf(a)...), leaf(b)...) }
	for _, tc := range []struct {
		name                 string
		base, module         models.Hooks
		rule, ruleFor, sfilt []any
	}{
		{"rules of both", models.Hooks{Rule: rule("base")}, models.Hooks{Rule: rule("mod")}, and("base", "mod"), nil, nil},
		{"module's rule alone", models.Hooks{}, models.Hooks{Rule: rule("mod")}, leaf("mod"), nil, nil},
		{"model's rule alone", models.Hooks{Rule: rule("base")}, models.Hooks{}, leaf("base"), nil, nil},
		{"rule per operation and rule", models.Hooks{RuleFor: ruleFor}, models.Hooks{Rule: rule("mod")}, leaf("mod"), and("for", "mod"), nil},
		{"rule and rule per operation", models.Hooks{Rule: rule("base")}, models.Hooks{RuleFor: ruleFor}, leaf("base"), and("base", "for"), nil},
		{"search filters of both", models.Hooks{SearchFilter: filter("base")}, models.Hooks{SearchFilter: filter("mod")}, nil, nil, and("base", "mod")},
		{"module's search filter alone", models.Hooks{}, models.Hooks{SearchFilter: filter("mod")}, nil, nil, leaf("mod")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := (&models.Behaviour{Hooks: tc.base}).Then(&models.Behaviour{Hooks: tc.module}).Hooks
			var rule, ruleFor, sfilt []any
			var err error
			if h.Rule != nil {
				if rule, err = h.Rule(context.Background(), nil); err != nil {
					t.Fatal(err)
				}
			}
			if h.RuleFor != nil {
				if ruleFor, err = h.RuleFor(context.Background(), nil, models.OpWrite, models.RuleScope{}); err != nil {
					t.Fatal(err)
				}
			}
			if h.SearchFilter != nil {
				sfilt = h.SearchFilter(nil)
			}
			if !reflect.DeepEqual(rule, tc.rule) || !reflect.DeepEqual(ruleFor, tc.ruleFor) || !reflect.DeepEqual(sfilt, tc.sfilt) {
				t.Errorf("rule %v, rule for write %v, search filter %v; want %v, %v, %v", rule, ruleFor, sfilt, tc.rule, tc.ruleFor, tc.sfilt)
			}
		})
	}
	base := models.Hooks{Overrides: map[string]models.Override{"write": {Class: "Base"}, "copy": {Class: "Base"}}}
	module := models.Hooks{ParentCycle: "No cycles.", Overrides: map[string]models.Override{"write": {Class: "Module"}}}
	h := (&models.Behaviour{Hooks: base}).Then(&models.Behaviour{Hooks: module}).Hooks
	if h.ParentCycle != "No cycles." || h.Overrides["write"].Class != "Module" || h.Overrides["copy"].Class != "Base" {
		t.Errorf("parent cycle %q, overrides %v", h.ParentCycle, h.Overrides)
	}
	if base.Overrides["write"].Class != "Base" {
		t.Error("Then changed the overrides of the behaviour it extends")
	}
}
