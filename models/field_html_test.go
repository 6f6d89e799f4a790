package models

import "testing"

// TestSanitizeHTML: as Odoo's html_sanitize, formatting and links stay with
// their safe attributes, anything that could run script or load hostile
// content is dropped (scripts and styles with what they hold), text alone
// is wrapped in <p>, and whatever is kept is written anew and escaped.
func TestSanitizeHTML(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		// Benign input is kept.
		{"paragraph", "<p>Ulla</p>", "<p>Ulla</p>"},
		{"plain text", "plain text", "<p>plain text</p>"},
		{"empty", "", ""},
		{"blank", " \n ", ""},
		{"comment alone", "<!-- c -->", "<!-- c -->"},
		{"text and tags", "a<b>x</b>", "a<b>x</b>"},
		{"case and void", "<P>a<br/>b</P>", "<p>a<br>b</p>"},
		{"link", `<a href="https://odoo.com/x?a=1&amp;b=2" target="_blank" rel="noopener" title="T">x</a>`,
			`<a href="https://odoo.com/x?a=1&amp;b=2" target="_blank" rel="noopener" title="T">x</a>`},
		{"relative link", `<a href="/web#id=3">x</a>`, `<a href="/web#id=3">x</a>`},
		{"mailto tel", `<a href="mailto:a@b.c">m</a><a href="tel:+321">t</a>`, `<a href="mailto:a@b.c">m</a><a href="tel:+321">t</a>`},
		{"image", `<img src="https://x/y.png" alt="logo" width="10">`, `<img src="https://x/y.png" alt="logo" width="10">`},
		{"cid image", `<img src="cid:abc">`, `<img src="cid:abc">`},
		{"data image", `<img src="data:image/png;base64,AAAA">`, `<img src="data:image/png;base64,AAAA">`},
		{"table", `<table class="t"><tr><td colspan=2 rowspan="1" align="left">c</td></tr></table>`,
			`<table class="t"><tr><td colspan="2" rowspan="1" align="left">c</td></tr></table>`},
		{"style", `<p style="color: red">x</p>`, `<p style="color: red">x</p>`},
		{"editor data", `<div data-oe-model="res.partner" data-foo="x">d</div>`, `<div data-oe-model="res.partner">d</div>`},
		{"comment", "<!-- c --><b>x</b>", "<!-- c --><b>x</b>"},
		{"entities", "a &amp; b &lt; c&nbsp;d", "<p>a &amp; b &lt; c&nbsp;d</p>"},
		{"stray lt", "a < b", "<p>a &lt; b</p>"},
		{"email in brackets", "Ann <ann@example.com>", "<p>Ann &lt;ann@example.com&gt;</p>"},
		{"unknown tag keeps text", "<foo>bar</foo>", "<p>bar</p>"},
		{"section", "<section><h1>T</h1></section>", "<section><h1>T</h1></section>"},

		// Hostile input loses what is hostile.
		{"script", "<script>alert(1)</script>", ""},
		{"styles and scripts", "a<style>p{}</style>b<SCRIPT>x</SCRIPT>c", "<p>abc</p>"},
		{"unclosed script", "<p>a</p><script>never closed", "<p>a</p>"},
		{"script end in string", "<script>'</scriptx>'</script><b>y</b>", "<b>y</b>"},
		{"onerror", "<img src=x onerror=alert(1)>", `<img src="x">`},
		{"onclick", `<p onclick="alert(1)">x</p>`, "<p>x</p>"},
		{"javascript href", `<a href="javascript:alert(1)">x</a>`, "<a>x</a>"},
		{"obfuscated javascript", "<a href=\" JaVa\tScRiPt:alert(1)\">x</a>", "<a>x</a>"},
		{"entity javascript", `<a href="&#106;avascript:alert(1)">x</a>`, "<a>x</a>"},
		{"tab entity javascript", `<a href="java&#x09;script:alert(1)">x</a>`, "<a>x</a>"},
		{"colon entity javascript", `<a href="javascript&colon;alert(1)">x</a>`, "<a>x</a>"},
		{"vbscript", `<a href="vbscript:msgbox(1)">x</a>`, "<a>x</a>"},
		{"data html link", `<a href="data:text/html,<script>alert(1)</script>">x</a>`, "<a>x</a>"},
		{"data html image", `<img src="data:text/html;base64,AAAA">`, "<img>"},
		{"data svg image", `<img src="data:image/svg+xml;base64,AAAA">`, "<img>"},
		{"data image on link", `<a href="data:image/png;base64,AAAA">x</a>`, "<a>x</a>"},
		{"svg", "<svg/onload=alert(1)>", ""},
		{"svg content", "<b>a</b><svg><script>alert(1)</script></svg>", "<b>a</b>"},
		{"style expression", `<p style="width: expression(alert(1))">x</p>`, "<p>x</p>"},
		{"style escaped expression", `<p style="width: e\xpression(alert(1))">x</p>`, "<p>x</p>"},
		{"style commented expression", `<p style="width: exp/**/ression(alert(1))">x</p>`, "<p>x</p>"},
		{"style javascript url", `<p style="background: url(javascript:alert(1))">x</p>`, "<p>x</p>"},
		{"iframe", `<iframe src="https://evil"></iframe>x`, "<p>x</p>"},
		{"object embed", `<object data="x"><embed src="y"></object>z`, "<p>z</p>"},
		{"form controls", `<form action="/x"><input name="a"><button>b</button>t</form>`, "<p>t</p>"},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`, ""},
		{"quoted gt", `<img alt=">" onerror=alert(1)>`, `<img alt="&gt;">`},
		{"attribute breaking quote", `<a title='x" onmouseover="alert(1)'>y</a>`, `<a title="x&quot; onmouseover=&quot;alert(1)">y</a>`},
		{"nested lt", "<<script>script>", "<p>&lt;</p>"},
		{"unterminated tag", `<img src=x onerror="alert(1)`, `<p>&lt;img src=x onerror="alert(1)</p>`},
		{"misnested", "<b><i>x</b>y</i>", "<b><i>x</i></b>y"},
		{"unclosed", "<div><p>x", "<div><p>x</p></div>"},
		{"stray end tag", "</div>x</p>", "<p>x</p>"},
		{"conditional comment", "<!--[if IE]><script>alert(1)</script><![endif]--><b>x</b>", "<b>x</b>"},
		{"comment breakout", "<!-- a --!><img src=x onerror=alert(1)> --><b>x</b>", "<b>x</b>"},
		{"doctype", "<!DOCTYPE html><p>x</p>", "<p>x</p>"},
		{"processing instruction", "<?php echo 1 ?><p>x</p>", "<p>x</p>"},
		{"event with slash", `<p/onclick=alert(1)>x</p>`, "<p>x</p>"},
		{"duplicate attribute", `<a href="/ok" href="javascript:alert(1)">x</a>`, `<a href="/ok">x</a>`},
	} {
		if got := SanitizeHTML(c.in); got != c.want {
			t.Errorf("%s: SanitizeHTML(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// TestHTMLPolicy: a field's strip_style and strip_classes drop those
// attributes, which the default keeps.
func TestHTMLPolicy(t *testing.T) {
	const in = `<p class="c" style="color: red">x</p>`
	for _, c := range []struct {
		name   string
		policy HTMLPolicy
		want   string
	}{
		{"default", HTMLPolicy{}, in},
		{"strip style", HTMLPolicy{StripStyle: true}, `<p class="c">x</p>`},
		{"strip classes", HTMLPolicy{StripClasses: true}, `<p style="color: red">x</p>`},
	} {
		if got := c.policy.Sanitize(in); got != c.want {
			t.Errorf("%s: Sanitize(%q) = %q, want %q", c.name, in, got, c.want)
		}
	}
}
