package database_test

import (
	"testing"

	"github.com/godoo/godoo/integration/internal/itest"
)

// TestMain drops the template databases this process made when its tests
// are done (itest.Main).
func TestMain(m *testing.M) { itest.Main(m) }
