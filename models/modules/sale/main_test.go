package sale_test

import (
	"os"
	"testing"

	"github.com/godoo/godoo/models/storetest"
)

// TestMain runs the tests through storetest.Run, which keeps the template
// withSale for the process and drops the tests' PostgreSQL databases
// together when they are done.
func TestMain(m *testing.M) { os.Exit(storetest.Run(m)) }

// withSale is a database with base and sale installed, which the tests
// that need sale copy (storetest.EachFrom) rather than install it each.
var withSale = storetest.ModulesTemplate("sale")
