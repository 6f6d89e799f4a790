package base

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

// sanitizeHTML is a conservative stand-in for Odoo's html_sanitize, for
// html a user may write about themselves and others' browsers show: the
// formatting tags of safeTags are kept without their attributes, every
// other tag or comment is dropped, and a "<" that opens nothing is escaped. What stays
// between tags holds no "<", so it is inert text.
func sanitizeHTML(s string) string {
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

// sanitizeSignature cleans a written signature in place.
func sanitizeSignature(vals map[string]any) {
	if v, ok := vals["signature"].(string); ok {
		vals["signature"] = sanitizeHTML(v)
	}
}
