package models_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestBehaviourLayer: a module's behaviour laid over a model's runs its
// create and write hooks after the model's own, stops at the first
// error, adds its methods after the model's and replaces its computes
// of the same name; neither behaviour changes.
func TestBehaviourLayer(t *testing.T) {
	var ran []string
	hook := func(name string, err error) func(context.Context, *models.Env, int64, map[string]any) error {
		return func(context.Context, *models.Env, int64, map[string]any) error {
			ran = append(ran, name)
			return err
		}
	}
	compute := func(name string) func(*models.Env, []models.Record) error {
		return func(*models.Env, []models.Record) error { ran = append(ran, name); return nil }
	}
	base := &models.Behaviour{Methods: []*models.Method{{Name: "a"}},
		Computes: map[string]func(*models.Env, []models.Record) error{"_c": compute("base _c"), "_d": compute("base _d")}}
	base.AfterCreate = hook("base", nil)
	over := &models.Behaviour{Methods: []*models.Method{{Name: "b"}},
		Computes: map[string]func(*models.Env, []models.Record) error{"_c": compute("over _c")}}
	over.AfterCreate = hook("over", nil)
	over.AfterWrite = func(context.Context, *models.Env, []int64, map[string]any) error {
		ran = append(ran, "write")
		return nil
	}

	tests := []struct {
		name string
		run  func(b *models.Behaviour) error
		want []string
	}{
		{"create hooks in order", func(b *models.Behaviour) error { return b.AfterCreate(context.Background(), nil, 1, nil) }, []string{"base", "over"}},
		{"a hook only the layer has", func(b *models.Behaviour) error { return b.AfterWrite(context.Background(), nil, nil, nil) }, []string{"write"}},
		{"computes replaced by name", func(b *models.Behaviour) error {
			_ = b.Computes["_c"](nil, nil)
			return b.Computes["_d"](nil, nil)
		}, []string{"over _c", "base _d"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ran = nil
			if err := tc.run(base.Layer(over)); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ran, tc.want) {
				t.Errorf("ran %v, want %v", ran, tc.want)
			}
		})
	}
	l := base.Layer(over)
	if len(l.Methods) != 2 || l.Methods[1].Name != "b" || len(base.Methods) != 1 || len(base.Computes) != 2 {
		t.Errorf("methods %v; base changed: %v %v", l.Methods, base.Methods, base.Computes)
	}
	failing := &models.Behaviour{}
	failing.AfterCreate = hook("failing", errors.New("no"))
	ran = nil
	if err := failing.Layer(over).AfterCreate(context.Background(), nil, 1, nil); err == nil || !reflect.DeepEqual(ran, []string{"failing"}) {
		t.Errorf("error %v, ran %v: the layer's hook ran after an error", err, ran)
	}
	if (*models.Behaviour)(nil).Layer(nil) == nil {
		t.Error("nil layered on nil")
	}
}
