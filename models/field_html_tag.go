package models

import (
	"html"
	"strings"
)

// tag is one markup token the sanitizer reads: a start or end tag with its
// attributes, a comment, or (with no name) a declaration or processing
// instruction.
type tag struct {
	name                 string
	closing, selfClosing bool
	attrs                []attribute
	comment              bool
	text                 string
}

// attribute is one attribute of a start tag, its value's entities read.
type attribute struct{ name, value string }

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// nextTag reads the token that s, starting with "<", opens, as an HTML5
// tokenizer does, and returns what follows it. It reports false when the
// "<" opens nothing (it is text) or the tag is never ended.
func nextTag(s string) (tag, string, bool) {
	switch {
	case strings.HasPrefix(s, "<!--"):
		body := s[4:]
		if strings.HasPrefix(body, ">") || strings.HasPrefix(body, "->") {
			return tag{comment: true, text: "-"}, body[strings.IndexByte(body, '>')+1:], true
		}
		if j := strings.Index(body, "-->"); j >= 0 {
			return tag{comment: true, text: body[:j]}, body[j+3:], true
		}
		return tag{comment: true, text: "-"}, "", true
	case strings.HasPrefix(s, "<!"), strings.HasPrefix(s, "<?"),
		strings.HasPrefix(s, "</") && len(s) > 2 && !isASCIILetter(s[2]) && s[2] != '>':
		if j := strings.IndexByte(s, '>'); j >= 0 {
			return tag{}, s[j+1:], true
		}
		return tag{}, "", true
	case strings.HasPrefix(s, "</>"):
		return tag{}, s[3:], true
	}
	t := tag{}
	i := 1
	if strings.HasPrefix(s, "</") {
		t.closing = true
		i = 2
	}
	if i >= len(s) || !isASCIILetter(s[i]) {
		return tag{}, s, false
	}
	start := i
	for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '/' && s[i] != '>' {
		i++
	}
	t.name = strings.ToLower(s[start:i])
	seen := map[string]bool{}
	for {
		for i < len(s) && (isHTMLSpace(s[i]) || s[i] == '/') {
			if s[i] == '/' && i+1 < len(s) && s[i+1] == '>' {
				t.selfClosing = true
			}
			i++
		}
		if i >= len(s) {
			return tag{}, s, false
		}
		if s[i] == '>' {
			return t, s[i+1:], true
		}
		t.selfClosing = false
		start = i
		i++ // a name may begin with "="
		for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=' {
			i++
		}
		name := strings.ToLower(s[start:i])
		j := i
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		value := ""
		if j < len(s) && s[j] == '=' {
			j++
			for j < len(s) && isHTMLSpace(s[j]) {
				j++
			}
			if j < len(s) && (s[j] == '"' || s[j] == '\'') {
				k := strings.IndexByte(s[j+1:], s[j])
				if k < 0 {
					return tag{}, s, false
				}
				value = s[j+1 : j+1+k]
				j += k + 2
			} else {
				k := j
				for k < len(s) && !isHTMLSpace(s[k]) && s[k] != '>' {
					k++
				}
				value = s[j:k]
				j = k
			}
			i = j
		}
		if !seen[name] {
			seen[name] = true
			t.attrs = append(t.attrs, attribute{name: name, value: html.UnescapeString(value)})
		}
	}
}
