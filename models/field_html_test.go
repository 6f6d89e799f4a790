package models

import "testing"

// TestSanitizeHTML: formatting stays, anything that could run script or
// load content is dropped (scripts and styles with what they hold), and
// stray "<" is escaped.
func TestSanitizeHTML(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"<p>Ulla</p>", "<p>Ulla</p>"},
		{"plain text", "plain text"},
		{"<P>a<br/>b</P>", "<p>a<br>b</p>"},
		{"<img src=x onerror=alert(1)>", ""},
		{"<script>alert(1)</script>", ""},
		{"a<style>p{}</style>b<SCRIPT>x</SCRIPT>c", "abc"},
		{"<p>a</p><script>never closed", "<p>a</p>"},
		{`<p onclick="alert(1)">x</p>`, "<p>x</p>"},
		{`<a href="javascript:alert(1)">x</a>`, "x"},
		{`<img alt=">" onerror=alert(1)>`, `" onerror=alert(1)>`},
		{"<!-- c --><b>x</b>", "<b>x</b>"},
		{"a < b", "a &lt; b"},
		{"<<script>script>", "script>"},
		{"<svg/onload=alert(1)>", ""},
	} {
		if got := SanitizeHTML(c.in); got != c.want {
			t.Errorf("SanitizeHTML(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
