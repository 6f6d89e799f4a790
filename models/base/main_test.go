package base_test

import (
	"os"
	"testing"

	"github.com/godoo/godoo/models/storetest"
)

// TestMain drops the PostgreSQL databases of the tests together when they
// are done (storetest.Run): one drop at a time waits for a checkpoint each.
func TestMain(m *testing.M) { os.Exit(storetest.Run(m)) }
