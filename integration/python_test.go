package integration_test

import (
	"os/exec"
	"strings"
	"testing"

	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestPythonClient runs integration/clients/xmlrpc_client.py, a script that
// uses nothing but Python's standard xmlrpc.client, against a real server on
// every store.
func TestPythonClient(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is required for the Python client test (see the README)")
	}
	eachStore(t, services.Config{ListDB: true}, godoorpc.Options{}, func(t *testing.T, e *env) {
		out, err := exec.Command(python, "clients/xmlrpc_client.py", e.srv.URL, e.db, "admin", adminPassword).CombinedOutput()
		t.Logf("python client:\n%s", out)
		if err != nil {
			t.Fatalf("python client failed: %v", err)
		}
		if !strings.HasSuffix(strings.TrimSpace(string(out)), "PASSED") {
			t.Fatal("python client did not finish")
		}
	})
}
