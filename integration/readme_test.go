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

	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	set := services.NewSet(store, services.Config{})
	const password = "Readme-Quickstart-1"
	if err := set.Database.Create(context.Background(), "odoo", services.CreateOptions{AdminPassword: password, AdminLogin: "admin"}); err != nil {
		t.Fatal(err)
	}
	h := godoorpc.NewHandler(set, godoorpc.Options{})
	h.SetReady(true)
	srv := httptest.NewServer(h)
	defer srv.Close()
	retarget := func(s string) string { return strings.ReplaceAll(s, "http://127.0.0.1:8069", srv.URL) }
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

	cmd = exec.Command("bash", "-c", retarget(curl))
	cmd.Env = env
	out, err = cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README curl example failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), `"result": [`) || !strings.Contains(string(out), "My Company") {
		t.Errorf("README curl example printed:\n%s", out)
	}
}
