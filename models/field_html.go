package models

import (
	"html"
	"regexp"
	"strings"
)

// HTMLPolicy is how an html field declared sanitize differs from Odoo's
// default cleaner: fields_get's strip_style, sanitize_style and
// strip_classes.
type HTMLPolicy struct {
	// StripStyle drops every style attribute (Odoo's strip_style).
	StripStyle bool
	// SanitizeStyle keeps, of a style attribute, only the properties of
	// styleAllowed (Odoo's sanitize_style, a message's body).
	SanitizeStyle bool
	// StripClasses drops every class attribute (Odoo's strip_classes).
	StripClasses bool
}

// safeTags are the elements the sanitizer keeps, with their safe
// attributes: the HTML tags of Odoo's allowed list (lxml's known tags and
// the sectioning ones Odoo adds), less those it kills or removes.
var safeTags = setOf(`a abbr acronym address area article aside audio b bdi bdo big blockquote br
	canvas caption center cite code col colgroup dd del details dfn dir div dl dt em fieldset figcaption
	figure font footer h1 h2 h3 h4 h5 h6 header hgroup hr i img ins kbd label legend li main map mark
	menu meter nav ol optgroup option output p pre progress q rp rt ruby s samp section small source
	span strike strong sub summary sup table tbody td tfoot th thead time tr track tt u ul var video wbr`)

// killTags are the elements dropped with all they hold, as Odoo's cleaner
// kills them (its tags_to_kill, scripts, frames, embedded objects and,
// with sanitize_form, form controls): what they hold is code or markup,
// not prose.
var killTags = setOf(`applet base button embed frame frameset head iframe input link math meta noembed
	noframes noscript object param plaintext script select style svg template textarea title xmp`)

// voidTags are the elements that have no content and no end tag.
var voidTags = setOf(`area base br col embed hr img input link meta param source track wbr`)

// safeAttrs are the attributes kept on a safe tag: lxml's safe_attrs and
// the data attributes Odoo's editor relies on. style and class are kept
// unless the field's policy strips them; href, src and the other URLs
// only with a safe scheme (safeURL); event handlers are never here.
var safeAttrs = setOf(`abbr accept accept-charset accesskey align alt axis border cellpadding cellspacing
	char charoff charset checked cite class clear color cols colspan compact coords datetime dir disabled
	enctype for frame headers height href hreflang hspace id ismap label lang longdesc maxlength media
	multiple name nohref noshade nowrap prompt readonly rel rev rows rowspan rules scope selected shape
	size span src start style summary tabindex target title type usemap valign value vspace width
	data-o-mail-quote data-o-mail-quote-node data-oe-model data-oe-id data-oe-field data-oe-type
	data-oe-expression data-oe-translation-source-sha data-oe-nodeid data-last-history-steps
	data-oe-protected data-embedded data-embedded-editable data-embedded-props data-oe-version
	data-oe-transient-content data-behavior-props data-prop-name data-publish data-id data-res_id
	data-interval data-member_id data-scroll-background-ratio data-view-id data-class data-mimetype
	data-original-src data-original-id data-gl-filter data-quality data-resize-width data-shape
	data-shape-colors data-file-name data-original-mimetype data-attachment-id data-format-mimetype`)

// urlAttrs are the attributes whose value is a URL a browser may follow
// or load.
var urlAttrs = setOf(`href src cite longdesc usemap action background poster`)

// safeSchemes are the URL schemes a link or image may name; a URL with no
// scheme is relative, and safe.
var safeSchemes = setOf(`http https mailto tel cid`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// SanitizeHTML is html_sanitize with the defaults of an Odoo html field.
func SanitizeHTML(s string) string { return HTMLPolicy{}.Sanitize(s) }

// emailInBrackets is an address written "<name@host>", which Odoo's
// sanitizer escapes as text before parsing rather than lose as a tag.
var emailInBrackets = regexp.MustCompile(`<(([^a<>]|a[^<>\s])[^<>]*)@[^<>]+>`)

// Sanitize cleans s as Odoo's html_sanitize does for an html field
// declared sanitize: the tags of safeTags are kept with their safe
// attributes (a URL only with a safe scheme, style only without script),
// those of killTags are dropped with what they hold, every other tag is
// dropped keeping its text, comments that could hide markup are dropped,
// tags are balanced, text alone is wrapped in <p> and blank text is
// emptied, as lxml finds no document in it. The answer is
// written anew from what was parsed, so nothing in it is left unescaped.
func (p HTMLPolicy) Sanitize(s string) string {
	if s == "" {
		return s
	}
	s = emailInBrackets.ReplaceAllStringFunc(s, html.EscapeString)
	var b strings.Builder
	var open []string
	elements := false
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			i = len(s)
		}
		writeText(&b, s[:i])
		s = s[i:]
		if s == "" {
			break
		}
		t, rest, ok := nextTag(s)
		if !ok {
			b.WriteString("&lt;")
			s = s[1:]
			continue
		}
		s = rest
		switch {
		case t.comment:
			if safeComment(t.text) {
				elements = true
				b.WriteString("<!--" + t.text + "-->")
			}
		case t.name == "":
			// A declaration, processing instruction or bogus comment.
		case killTags[t.name] && !t.closing:
			if !t.selfClosing && !voidTags[t.name] {
				s = skipTo(s, t.name)
			}
		case !safeTags[t.name]:
		case t.closing:
			for j := len(open) - 1; j >= 0; j-- {
				if open[j] == t.name {
					for k := len(open) - 1; k >= j; k-- {
						b.WriteString("</" + open[k] + ">")
					}
					open = open[:j]
					break
				}
			}
		default:
			elements = true
			b.WriteString("<" + t.name)
			for _, a := range t.attrs {
				if v, keep := p.attr(t.name, a); keep {
					b.WriteString(" " + a.name + `="` + escapeAttr(v) + `"`)
				}
			}
			b.WriteString(">")
			if !voidTags[t.name] {
				open = append(open, t.name)
			}
		}
	}
	for j := len(open) - 1; j >= 0; j-- {
		b.WriteString("</" + open[j] + ">")
	}
	out := b.String()
	if !elements {
		if strings.TrimSpace(out) == "" {
			return ""
		}
		return "<p>" + out + "</p>"
	}
	return out
}

// attr reports whether attribute a of a tag named tag is kept, and with
// which value.
func (p HTMLPolicy) attr(tag string, a attribute) (string, bool) {
	switch {
	case !safeAttrs[a.name]:
		return "", false
	case a.name == "style":
		if p.StripStyle || !safeStyle(a.value) {
			return "", false
		}
		if p.SanitizeStyle {
			v := allowedStyle(a.value)
			return v, v != ""
		}
		return a.value, true
	case a.name == "class":
		return a.value, !p.StripClasses
	case urlAttrs[a.name]:
		return a.value, safeURL(a.value, tag == "img" && a.name == "src")
	}
	return a.value, true
}

// safeURL reports whether u names a relative URL or one of safeSchemes
// (an image's data: URL too when image is set, unless it is SVG, which
// may carry script). Browsers ignore whitespace and control characters
// in a scheme, so they are ignored here as well.
func safeURL(u string, image bool) bool {
	u = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToLower(u))
	end := strings.IndexAny(u, ":/?#")
	if end < 0 || u[end] != ':' {
		return true
	}
	scheme := u[:end]
	if scheme == "data" {
		return image && strings.HasPrefix(u, "data:image/") && !strings.HasPrefix(u, "data:image/svg")
	}
	return safeSchemes[scheme]
}

// cssComment is a comment of a style sheet, which may split a keyword.
var cssComment = regexp.MustCompile(`/\*.*?\*/`)

// safeStyle reports whether a style attribute holds no script, as lxml's
// cleaner tests it: no expression(), no script URL, no import or binding,
// read with comments and escapes removed.
func safeStyle(v string) bool {
	v = strings.ToLower(cssComment.ReplaceAllString(v, ""))
	v = strings.Map(func(r rune) rune {
		if r == '\\' || r <= ' ' {
			return -1
		}
		return r
	}, v)
	for _, bad := range []string{"expression(", "javascript:", "vbscript:", "livescript:", "@import",
		"-moz-binding", "behavior:", "</", "url(data:text", "url(\"data:text", "url('data:text"} {
		if strings.Contains(v, bad) {
			return false
		}
	}
	return true
}

// safeComment reports whether a comment's text may be kept: one that no
// parser could read as ending early or as a conditional comment.
func safeComment(text string) bool {
	return !strings.ContainsAny(text, "<>") && !strings.Contains(text, "--") &&
		!strings.HasPrefix(text, "-") && !strings.HasSuffix(text, "-") &&
		!strings.HasPrefix(strings.TrimSpace(text), "[")
}

// writeText writes text as lxml serialises it: entities read, then &, <
// and > escaped and a no-break space written &nbsp; as Odoo does.
func writeText(b *strings.Builder, text string) {
	for _, r := range html.UnescapeString(text) {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\u00a0':
			b.WriteString("&nbsp;")
		default:
			b.WriteRune(r)
		}
	}
}

// escapeAttr escapes an attribute's value for a double-quoted attribute.
func escapeAttr(v string) string {
	return strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;").Replace(v)
}

// skipTo returns what follows the end tag of name in s, or nothing when
// it is never closed: a killed element's content is all dropped.
func skipTo(s, name string) string {
	lower := strings.ToLower(s)
	for from := 0; ; {
		j := strings.Index(lower[from:], "</"+name)
		if j < 0 {
			return ""
		}
		j += from
		after := j + 2 + len(name)
		if after == len(s) || strings.IndexByte("> \t\r\n\f/", s[after]) >= 0 {
			if k := strings.IndexByte(s[after:], '>'); k >= 0 {
				return s[after+k+1:]
			}
			return ""
		}
		from = after
	}
}
