package integration_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/godoo/godoo/models/sqlitestore"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// TestREADMEExamples runs the README's Python and curl examples as written,
// against a quickstart-like server (SQLite, database "odoo"), changing only
// the address to the test server's.
func TestREADMEExamples(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```(python|sh)\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	var python, curl string
	for _, b := range blocks {
		switch {
		case b[1] == "python" && strings.Contains(b[2], "xmlrpc.client"):
			python = b[2]
		case b[1] == "sh" && strings.HasPrefix(b[2], "curl "):
			curl = b[2]
		}
	}
	if python == "" || curl == "" {
		t.Fatal("the README lost its Python or curl example")
	}

	const password = "Readme-Quickstart-1"
	_, url := quickstart(t, password)
	retarget := func(s string) string { return strings.ReplaceAll(s, "http://127.0.0.1:8069", url) }
	env := append(os.Environ(), "GODOO_PASSWORD="+password)

	cmd := exec.Command("python3", "-c", retarget(python))
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README Python example failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "18.0") || !strings.Contains(string(out), "Ada Lovelace") {
		t.Errorf("README Python example printed:\n%s", out)
	}

	out = []byte(runREADME(t, curl, url, "GODOO_PASSWORD="+password))
	if !strings.Contains(string(out), `"result": [`) || !strings.Contains(string(out), "My Company") {
		t.Errorf("README curl example printed:\n%s", out)
	}
}

// quickstart starts a server like the README's quickstart: SQLite and one
// database "odoo" whose admin has password. It returns the services and the
// server's address.
func quickstart(t *testing.T, password string) (*services.Set, string) {
	t.Helper()
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	set := newSet(store, services.Config{})
	if err := set.Database.Create(context.Background(), "odoo", services.CreateOptions{AdminPassword: password, AdminLogin: "admin"}); err != nil {
		t.Fatal(err)
	}
	h := godoorpc.NewHandler(set, godoorpc.Options{})
	h.SetReady(true)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return set, srv.URL
}

// readmeSH returns the first sh block after heading in the README.
func readmeSH(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), heading)
	if !ok {
		t.Fatalf("the README lost its %q section", heading)
	}
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(section)
	if block == nil {
		t.Fatalf("the README's %q section has no sh block", heading)
	}
	return block[1]
}

// runREADME runs a README shell block as written, only retargeted at url,
// with env added to the environment, in a scratch directory.
func runREADME(t *testing.T, block, url string, env ...string) string {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is required (see the README)")
	}
	cmd := exec.Command("bash", "-c", strings.ReplaceAll(block, "http://127.0.0.1:8069", url))
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README example failed: %v\n%s", err, out)
	}
	return string(out)
}
