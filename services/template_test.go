package services

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/godoo/godoo/models/sqlitestore"
)

// Most tests of this package start from a database with the base models;
// creating one installs Odoo's 120 models and their data, seconds on a
// loaded machine. testDatabase copies a template instead: a database made
// once per process by Create, as testDatabase made each before, written
// whole into one file by VACUUM INTO; each copy then gets an identity of
// its own (RenewIdentity). The tests of creation itself still create.
var template struct {
	once sync.Once
	dir  string // removed by TestMain
	path string
	err  error
}

// TestMain removes the template when the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if template.dir != "" {
		os.RemoveAll(template.dir)
	}
	os.Exit(code)
}

// copyTemplate makes database name of set, whose store is SQLite's, as a
// copy of the template.
func copyTemplate(t testing.TB, set *Set, name string) {
	t.Helper()
	template.once.Do(func() { template.path, template.err = makeTemplate() })
	if template.err != nil {
		t.Fatalf("template database: %v", template.err)
	}
	in, err := os.Open(template.path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(set.core.store.(*sqlitestore.Store).Path(name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	if err := set.Database.RenewIdentity(context.Background(), name); err != nil {
		t.Fatal(err)
	}
}

func makeTemplate() (string, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "godoo-services-template-")
	if err != nil {
		return "", err
	}
	template.dir = dir
	store, err := sqlitestore.New(dir)
	if err != nil {
		return "", err
	}
	defer store.Close()
	set := NewSet(store, Config{})
	set.core.auth.Rounds = 1000
	if err := set.Database.Create(ctx, "template", CreateOptions{AdminPassword: "x-admin-1"}); err != nil {
		return "", err
	}
	db, err := store.Open(ctx, "template")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "copy.db")
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", path)
	return path, err
}
