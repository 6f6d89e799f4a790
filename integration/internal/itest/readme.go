package itest

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/godoo/godoo/models/sqlitestore"
	godoorpc "github.com/godoo/godoo/rpc"
	"github.com/godoo/godoo/services"
)

// RepoFile is the path of name, relative to the repository's root (the
// folder of go.mod), from whichever package's folder a test runs in.
func RepoFile(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, name)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// Quickstart starts a server like the README's quickstart: SQLite and one
// database "odoo" whose admin has password. It returns the services and the
// server's address.
func Quickstart(t *testing.T, password string) (*services.Set, string) {
	t.Helper()
	store, err := sqlitestore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	set := NewSet(store, services.Config{})
	if err := set.Database.Create(context.Background(), "odoo", services.CreateOptions{AdminPassword: password, AdminLogin: "admin"}); err != nil {
		t.Fatal(err)
	}
	h := godoorpc.NewHandler(set, godoorpc.Options{})
	h.SetReady(true)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return set, srv.URL
}

// ReadmeSH returns the first sh block after heading in the README.
func ReadmeSH(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile(RepoFile(t, "README.md"))
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

// RunREADME runs a README shell block as written, only retargeted at url,
// with env added to the environment, in a scratch directory.
func RunREADME(t *testing.T, block, url string, env ...string) string {
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
