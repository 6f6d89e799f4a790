package base

import (
	"reflect"
	"testing"
)

// TestPartnerNameCreate checks how name_create reads a partner's name and
// email from one text, as Odoo's parse_contact_from_email.
func TestPartnerNameCreate(t *testing.T) {
	cases := []struct {
		text string
		want map[string]any
	}{
		{"Olga <Olga@Conf.Example>", map[string]any{"name": "Olga", "email": "olga@conf.example"}},
		{`"Quoted, Jr." <q@x.example>`, map[string]any{"name": "Quoted, Jr.", "email": "q@x.example"}},
		{"only@x.example", map[string]any{"name": "only@x.example", "email": "only@x.example"}},
		{"Raoul raoul@x.example", map[string]any{"name": "Raoul", "email": "raoul@x.example"}},
		{"Just A Name", map[string]any{"name": "Just A Name"}},
		{"", map[string]any{"name": ""}},
		{"Broken <no-at-sign>", map[string]any{"name": "Broken <no-at-sign>"}},
	}
	for _, tc := range cases {
		if got := partnerNameCreate(tc.text); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.text, got, tc.want)
		}
	}
}
