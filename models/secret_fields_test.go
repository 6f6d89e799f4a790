package models_test

import (
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestWriteOnlyFieldsStayOutOfSQL audits every write-only field of every
// model (passwords, key hashes, the identity check's verdict): a domain leaf
// on it, directly or behind a dotted path, compiles to no SQL that names its
// column, and an order on it is refused, so that no client can test a
// secret's value one character at a time.
func TestWriteOnlyFieldsStayOutOfSQL(t *testing.T) {
	reg := storetest.Base(t)
	found := 0
	for _, name := range reg.Names() {
		m := reg.Model(name)
		for _, fname := range m.FieldOrder {
			f := m.Fields[fname]
			if !f.WriteOnly {
				continue
			}
			found++
			t.Run(name+"."+fname, func(t *testing.T) {
				if f.Stored() {
					t.Errorf("a write-only field is stored for clients")
				}
				for _, op := range []string{"=", "!=", "=like", "ilike", "in", "not in", "<", ">="} {
					value := any("$pbkdf2%")
					if op == "in" || op == "not in" {
						value = []any{"x"}
					}
					sql, args, err := models.CompileDomain(reg, "pg", name, []any{[]any{fname, op, value}})
					if err != nil {
						t.Fatalf("%s: %v", op, err)
					}
					if f.Column != "" && strings.Contains(sql, "."+f.Column) || len(args) != 0 && sql != "t0.active = ?" {
						t.Errorf("%s compiles to %q %v", op, sql, args)
					}
				}
				if _, err := models.ParseOrder(reg, name, fname); err == nil {
					t.Errorf("order %q is accepted", fname)
				}
			})
		}
	}
	if found < 4 {
		t.Fatalf("found %d write-only fields; res.users.password, auth.api.key.key and key_hash, and the identity check's password are expected", found)
	}
	// A dotted path reaches the password through res.partner.user_ids.
	sql, _, err := models.CompileDomain(reg, "pg", "res.partner", []any{[]any{"user_ids.password", "=like", "$%"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sql, "password") {
		t.Errorf("a dotted path compiles the password: %s", sql)
	}
}
