package models

import (
	"fmt"
	"strings"
	"testing"
)

// TestValidOrderForm checks the remembered forms of order specifications
// against the regular expression, twice each (the second answer may come
// from memory), that an invalid one is never remembered, and that the
// memory stays within its bounds whatever clients send.
func TestValidOrderForm(t *testing.T) {
	specs := []string{"name", "name desc", "name, id", " name DESC NULLS last ", `"name" asc`, "country_id.name",
		"name,", "name desc,", "", "name; drop", "name asc desc", "name nulls", "na-me", "name  ,  id  desc",
		strings.Repeat("a", maxOrderFormLen+1)}
	for _, spec := range specs {
		want := orderSyntax.MatchString(spec) && !strings.HasSuffix(strings.TrimSpace(spec), ",")
		for range 2 {
			if got := validOrderForm(spec); got != want {
				t.Errorf("validOrderForm(%q) = %v, want %v", spec, got, want)
			}
		}
		if _, kept := orderForms.valid.Load(spec); kept && (!want || len(spec) > maxOrderFormLen) {
			t.Errorf("%q was remembered", spec)
		}
	}
	for i := range 2 * maxOrderForms {
		if !validOrderForm(fmt.Sprintf("f%d desc", i)) {
			t.Fatalf("f%d desc refused", i)
		}
	}
	n := 0
	orderForms.valid.Range(func(any, any) bool { n++; return true })
	if n > maxOrderForms || orderForms.n.Load() != int64(n) {
		t.Errorf("%d forms remembered, counted %d; at most %d", n, orderForms.n.Load(), maxOrderForms)
	}
}
