package sale_test

import (
	"os"
	"testing"

	"github.com/godoo/godoo/models/storetest"
)

// installed is a database with sale installed, which the tests copy:
// installing it once per store kind and process, not once per test.
var installed = storetest.InstalledModules("sale")

// TestMain runs the tests through storetest.Run, which keeps the
// template databases for the process and drops them with the tests'
// databases when the tests are done.
func TestMain(m *testing.M) { os.Exit(storetest.Run(m)) }
