package models

import (
	"fmt"
	"testing"
)

// TestAndDomains checks read_group's __domain against what Odoo's
// expression.AND gives for the same domains.
func TestAndDomains(t *testing.T) {
	a, b, c := []any{"a", "=", 1}, []any{"b", "=", 2}, []any{"c", "=", 3}
	cases := []struct {
		name    string
		domains [][]any
		want    string
	}{
		{"one leaf", [][]any{{a}}, "[[a = 1]]"},
		{"a domain and a group", [][]any{{a}, {b}}, "[& [a = 1] [b = 2]]"},
		{"implicit and spelled out", [][]any{{a, b}, {c}}, "[& & [a = 1] [b = 2] [c = 3]]"},
		{"three domains", [][]any{{a}, {b}, {c}}, "[& & [a = 1] [b = 2] [c = 3]]"},
		{"a period", [][]any{{a}, {"&", b, c}}, "[& [a = 1] & [b = 2] [c = 3]]"},
		{"an or kept", [][]any{{"|", a, b}, {c}}, "[& | [a = 1] [b = 2] [c = 3]]"},
		{"a not", [][]any{{"!", a, b}}, "[& ! [a = 1] [b = 2]]"},
		{"empty domains left out", [][]any{{}, {b}}, "[[b = 2]]"},
		{"nothing", [][]any{{}}, "[[1 = 1]]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fmt.Sprint(andDomains(tc.domains...)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
