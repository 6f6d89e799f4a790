package mail_test

import (
	"os"
	"testing"

	"github.com/godoo/godoo/models/storetest"
)

// TestMain runs the tests through storetest.Run, which keeps the template
// withMail for the process and drops the tests' PostgreSQL databases
// together when they are done.
func TestMain(m *testing.M) { os.Exit(storetest.Run(m)) }

// withMail is a database with base and mail installed, which the tests
// that need mail alone copy (storetest.EachInstalled) rather than install it
// each.
var withMail = storetest.InstalledModules("mail")
