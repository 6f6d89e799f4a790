package mail

import "testing"

// TestPlaintext2html: a text body becomes HTML as Odoo's plaintext2html
// makes it (links aside): escaped, lines broken, paragraphs on blank lines.
func TestPlaintext2html(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<p>Flow note</p>", "<p>&lt;p&gt;Flow note&lt;/p&gt;</p>"},
		{"Plain <text> & more", "<p>Plain &lt;text&gt; &amp; more</p>"},
		{`"q" 'a'`, "<p>&#34;q&#34; &#39;a&#39;</p>"},
		{"a\nb", "<p>a<br/>b</p>"},
		{"a\n\nb\n\n\nc", "<p>a</p><p>b</p><p>c</p>"},
		{"", "<p></p>"},
	} {
		if got := plaintext2html(tc.in); got != tc.want {
			t.Errorf("plaintext2html(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
