package models

import "strings"

// safeTags are the elements sanitizeHTML keeps: text formatting only, and
// never with attributes, so no script, style, link or event handler can
// pass.
var safeTags = map[string]bool{
	"p": true, "br": true, "b": true, "i": true, "u": true, "s": true, "em": true, "strong": true,
	"span": true, "div": true, "ul": true, "ol": true, "li": true, "blockquote": true, "pre": true,
	"code": true, "hr": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"small": true, "sub": true, "sup": true, "table": true, "thead": true, "tbody": true, "tr": true,
	"td": true, "th": true,
}

// killTags are the elements sanitizeHTML drops with what they hold, as
// Odoo's cleaner kills them: their text is code or markup, not prose.
var killTags = map[string]bool{"script": true, "style": true, "title": true, "template": true, "iframe": true,
	"object": true, "embed": true, "noscript": true, "textarea": true, "xmp": true}

// SanitizeHTML is a conservative stand-in for Odoo's html_sanitize, which
// Odoo applies to every html field declared sanitize (its default) when
// it is written: the formatting tags of safeTags are kept without their
// attributes, the elements of killTags are dropped with their content,
// every other tag or comment is dropped, and a "<" that opens nothing is
// escaped. What stays between tags holds no "<", so it is inert text.
func SanitizeHTML(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexByte(s, '>')
		if end < 0 {
			b.WriteString("&lt;")
			s = s[1:]
			continue
		}
		tag := s[1:end]
		s = s[end+1:]
		closing := strings.HasPrefix(tag, "/")
		name := strings.TrimPrefix(tag, "/")
		if j := strings.IndexAny(name, "/ \t\r\n\f"); j >= 0 {
			name = name[:j]
		}
		name = strings.ToLower(name)
		if killTags[name] && !closing {
			// Up to its closing tag, or to the end when there is none.
			if j := strings.Index(strings.ToLower(s), "</"+name); j >= 0 {
				s = s[j:]
			} else {
				s = ""
			}
			continue
		}
		if !safeTags[name] {
			continue
		}
		if closing {
			b.WriteString("</" + name + ">")
		} else {
			b.WriteString("<" + name + ">")
		}
	}
}
