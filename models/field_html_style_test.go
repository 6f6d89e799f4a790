package models

import "testing"

// TestSanitizeStyle: an html field declared sanitize_style keeps, of a
// style attribute, the properties of Odoo's allow-list only, written as
// Odoo's parse_style writes them; one left with none loses the attribute.
// A field without it keeps the style as written, and strip_style drops
// it whatever it holds.
func TestSanitizeStyle(t *testing.T) {
	sanitize := HTMLPolicy{SanitizeStyle: true}
	for _, c := range []struct {
		name   string
		policy HTMLPolicy
		in     string
		want   string
	}{
		{"allowed kept", sanitize, `<p style="color: red">x</p>`, `<p style="color:red">x</p>`},
		{"several allowed", sanitize, `<p style="font-size: 12px; text-align:center;margin-top : 4px">x</p>`,
			`<p style="font-size:12px; text-align:center; margin-top:4px">x</p>`},
		{"dropped among kept", sanitize, `<div style="position: fixed; color: blue; z-index: 9999; top: 0">x</div>`,
			`<div style="color:blue">x</div>`},
		{"none allowed", sanitize, `<p style="position: absolute; left: -9999px">x</p>`, `<p>x</p>`},
		{"names in any case", sanitize, `<p style="COLOR: Red; Font-Weight: bold">x</p>`, `<p style="color:Red; font-weight:bold">x</p>`},
		{"border sides", sanitize, `<td style="border-left-color: #000; border-top-right-radius: 2px; border-right-width: 1px">x</td>`,
			`<td style="border-left-color:#000; border-top-right-radius:2px; border-right-width:1px">x</td>`},
		{"table layout", sanitize, `<table style="border-collapse: collapse; table-layout: fixed; width: 100%"><tr><td>x</td></tr></table>`,
			`<table style="border-collapse:collapse; table-layout:fixed; width:100%"><tr><td>x</td></tr></table>`},
		{"quoted value", sanitize, `<span style='font-family: "Open Sans", serif; cursor: pointer'>x</span>`,
			`<span style="font-family:&quot;Open Sans&quot;, serif">x</span>`},
		{"given twice", sanitize, `<p style="color: red; width: 1px; color: blue">x</p>`, `<p style="color:blue; width:1px">x</p>`},
		{"background image", sanitize, `<div style="background-image: url(https://x/y.png)">x</div>`,
			`<div style="background-image:url(https://x/y.png)">x</div>`},
		{"script still dropped", sanitize, `<p style="color: red; width: expression(alert(1))">x</p>`, `<p>x</p>`},
		{"script url still dropped", sanitize, `<p style="background-image: url(javascript:alert(1))">x</p>`, `<p>x</p>`},
		{"empty style", sanitize, `<p style="">x</p>`, `<p>x</p>`},
		{"without sanitize_style", HTMLPolicy{}, `<p style="position: fixed; color: red">x</p>`, `<p style="position: fixed; color: red">x</p>`},
		{"strip style wins", HTMLPolicy{SanitizeStyle: true, StripStyle: true}, `<p style="color: red">x</p>`, `<p>x</p>`},
	} {
		if got := c.policy.Sanitize(c.in); got != c.want {
			t.Errorf("%s: Sanitize(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}
