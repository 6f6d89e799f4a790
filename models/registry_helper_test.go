package models_test

import (
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// baseRegistry is a registry of the base models, which the engine's tests
// exercise it on.
func baseRegistry(tb testing.TB) *models.Registry {
	tb.Helper()
	reg := models.NewRegistry()
	if err := base.Register(reg); err != nil {
		tb.Fatal(err)
	}
	return reg
}
