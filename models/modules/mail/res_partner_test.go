package mail

import "testing"

func TestInlineAddress(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Krautwerk GmbH\nTorstraße 12\n\n10119 Berlin\nGermany", "Krautwerk GmbH, Torstraße 12, 10119 Berlin, Germany"},
		{"\n\nBrno  \nCzech Republic", " Brno  , Czech Republic"},
		{"Acme\n1 Main St\n  \n\nSpringfield  12345\n", "Acme, 1 Main St, Springfield  12345"},
		{"\n\n  \n", ""},
		{"", ""},
	} {
		if got := inlineAddress(tc.in); got != tc.want {
			t.Errorf("inlineAddress(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
