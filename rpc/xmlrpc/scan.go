package xmlrpc

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// The scanner of xmlParser (see xmlrpc_parse.go): XML tokens read straight
// from the request bytes, with encoding/xml's checks.

type xmlToken uint8

const (
	xmlTokBail  xmlToken = iota // anything left to encoding/xml
	xmlTokStart                 // p.name() is the name
	xmlTokEnd                   // p.name() is the name
	xmlTokText                  // p.raw(), p.cdata and p.dirty describe it
	xmlTokEOF
)

// declaration reads an XML declaration at p.i if there is one, accepting
// only those encoding/xml takes without a charset reader: version 1.0, an
// encoding that is UTF-8 if given, and an optional standalone.
func (p *xmlParser) declaration() bool {
	s := p.s[p.i:]
	if len(s) < 6 || string(s[:5]) != "<?xml" || !xmlIsSpaceByte(s[5]) {
		return len(s) < 2 || string(s[:2]) != "<?" // other instructions are left to encoding/xml
	}
	end := bytes.Index(s, xmlPIEnd)
	if end < 0 {
		return false
	}
	d := s[5:end]
	attr := func(name string, accept func([]byte) bool) bool {
		n := 0
		for n < len(d) && xmlIsSpaceByte(d[n]) {
			n++
		}
		if n == 0 || len(d)-n < len(name) || string(d[n:n+len(name)]) != name {
			return false
		}
		rest := d[n+len(name):]
		if len(rest) < 3 || rest[0] != '=' || rest[1] != '\'' && rest[1] != '"' {
			return false
		}
		q := bytes.IndexByte(rest[2:], rest[1])
		if q < 0 || !accept(rest[2:2+q]) {
			return false
		}
		d = rest[2+q+1:]
		return true
	}
	if !attr("version", func(v []byte) bool { return string(v) == "1.0" }) {
		return false
	}
	attr("encoding", func(v []byte) bool { return strings.EqualFold(string(v), "utf-8") })
	attr("standalone", func(v []byte) bool { return string(v) == "yes" || string(v) == "no" })
	for _, c := range d {
		if !xmlIsSpaceByte(c) {
			return false
		}
	}
	p.i += end + 2
	return true
}

// next reads the next token, skipping comments.
func (p *xmlParser) next() xmlToken {
	if p.pending {
		p.pending = false
		return xmlTokEnd
	}
	for {
		s, i := p.s, p.i
		if i >= len(s) {
			return xmlTokEOF
		}
		if s[i] != '<' {
			return p.charData()
		}
		if i+1 >= len(s) {
			return xmlTokBail
		}
		switch s[i+1] {
		case '/':
			return p.endTag()
		case '!':
			if bytes.HasPrefix(s[i:], xmlCommentStart) {
				// encoding/xml ends a comment at the first "--", which
				// must be followed by '>'; it checks nothing else.
				k := bytes.Index(s[i+4:], xmlCommentEnd)
				if k < 0 || i+4+k+2 >= len(s) || s[i+4+k+2] != '>' {
					return xmlTokBail
				}
				p.i = i + 4 + k + 3
				continue
			}
			if bytes.HasPrefix(s[i:], xmlCDATAStart) {
				return p.cdataSection()
			}
			return xmlTokBail // DOCTYPE and other declarations
		case '?':
			return xmlTokBail
		}
		return p.startTag()
	}
}

// tagName reads an element name at p.i: ASCII, no namespace prefix.
func (p *xmlParser) tagName() bool {
	s, i := p.s, p.i
	start := i
	if i >= len(s) || !xmlIsNameStart(s[i]) {
		return false
	}
	for i++; i < len(s) && xmlIsNameByte(s[i]); i++ {
	}
	if i < len(s) && (s[i] == ':' || s[i] >= utf8.RuneSelf) {
		return false
	}
	p.nameLo, p.nameHi, p.i = start, i, i
	return true
}

func (p *xmlParser) name() []byte { return p.s[p.nameLo:p.nameHi] }

func (p *xmlParser) raw() []byte { return p.s[p.rawLo:p.rawHi] }

func (p *xmlParser) startTag() xmlToken {
	p.i++ // '<'
	if !p.tagName() {
		return xmlTokBail
	}
	s, i := p.s, p.i
	for i < len(s) && xmlIsSpaceByte(s[i]) {
		i++
	}
	switch {
	case i < len(s) && s[i] == '>':
		p.i = i + 1
	case i+1 < len(s) && s[i] == '/' && s[i+1] == '>':
		p.i = i + 2
		p.pending = true
	default:
		return xmlTokBail // attributes, or not well-formed
	}
	return xmlTokStart
}

func (p *xmlParser) endTag() xmlToken {
	p.i += 2 // "</"
	if !p.tagName() {
		return xmlTokBail
	}
	s, i := p.s, p.i
	for i < len(s) && xmlIsSpaceByte(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != '>' {
		return xmlTokBail
	}
	p.i = i + 1
	return xmlTokEnd
}

// charData reads character data up to the next '<', checking it as
// encoding/xml does.
func (p *xmlParser) charData() xmlToken {
	s := p.s
	start := p.i
	p.dirty, p.cdata = false, false
	i := start
	for i < len(s) {
		c := s[i]
		if xmlTextPlain[c] {
			i++
			continue
		}
		switch {
		case c == '<':
			p.rawLo, p.rawHi, p.i = start, i, i
			return xmlTokText
		case c == '&':
			n, _ := xmlEntity(s[i:])
			if n == 0 {
				return xmlTokBail
			}
			p.dirty = true
			i += n
		case c == '\r':
			p.dirty = true
			i++
		case c == '>':
			if i-start >= 2 && s[i-1] == ']' && s[i-2] == ']' {
				return xmlTokBail // "]]>" outside CDATA
			}
			i++
		case c >= utf8.RuneSelf:
			n := xmlValidRune(s[i:])
			if n == 0 {
				return xmlTokBail
			}
			i += n
		default:
			return xmlTokBail // a control character
		}
	}
	p.rawLo, p.rawHi, p.i = start, i, i
	return xmlTokText
}

func (p *xmlParser) cdataSection() xmlToken {
	s := p.s
	start := p.i + len(xmlCDATAStart)
	end := bytes.Index(s[start:], xmlCDATAEnd)
	if end < 0 {
		return xmlTokBail
	}
	content := s[start : start+end]
	p.dirty, p.cdata = false, true
	for i := 0; i < len(content); {
		c := content[i]
		switch {
		case c == '\r':
			p.dirty = true
			i++
		case c >= utf8.RuneSelf:
			n := xmlValidRune(content[i:])
			if n == 0 {
				return xmlTokBail
			}
			i += n
		case c < 0x20 && c != '\t' && c != '\n':
			return xmlTokBail
		default:
			i++
		}
	}
	p.rawLo, p.rawHi, p.i = start, start+end, start+end+3
	return xmlTokText
}

// isSpace reports whether the last character data is whitespace alone. An
// entity makes it false even when it stands for a space: encoding/xml
// decides those cases.
func (p *xmlParser) isSpace() bool {
	for _, c := range p.raw() {
		if !xmlIsSpaceByte(c) {
			return false
		}
	}
	return true
}

// appendText appends the last character data to dst, decoded: references
// replaced, and \r\n and \r read as \n, as encoding/xml does.
func (p *xmlParser) appendText(dst []byte) []byte {
	raw := p.raw()
	if !p.dirty {
		return append(dst, raw...)
	}
	var prev byte
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&' && !p.cdata:
			n, r := xmlEntity(raw[i:])
			dst = utf8.AppendRune(dst, r)
			i += n
			prev = 0
			continue
		case c == '\r':
			dst = append(dst, '\n')
		case c == '\n' && prev == '\r':
		default:
			dst = append(dst, c)
		}
		prev = c
		i++
	}
	return dst
}

// ---------------------------------------------------------------------------
// Characters

// xmlTextPlain marks the bytes that character data holds as they are: all
// but '<', '&', '>' (which may end "]]>"), '\r' (read as '\n'), the control
// characters XML forbids and the non-ASCII bytes (checked as UTF-8).
var xmlTextPlain = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = c >= 0x20 || c == '\t' || c == '\n'
	}
	t['<'], t['&'], t['>'] = false, false, false
	return t
}()

func xmlIsSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// xmlIsNameStart and xmlIsNameByte are encoding/xml's name rules for ASCII;
// ':' is left out, as namespaces are left to encoding/xml.
func xmlIsNameStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func xmlIsNameByte(c byte) bool {
	return xmlIsNameStart(c) || '0' <= c && c <= '9' || c == '.' || c == '-'
}

// xmlValidRune returns the length of the UTF-8 sequence at the start of s
// when it is a character XML allows, else 0.
func xmlValidRune(s []byte) int {
	r, n := utf8.DecodeRune(s)
	if r == utf8.RuneError && n == 1 || !xmlIsChar(r) {
		return 0
	}
	return n
}

// xmlIsChar is XML's Char production, as encoding/xml applies it.
func xmlIsChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// xmlEntity reads the reference at the start of s ("&..."), returning its
// length and the character it stands for, or 0 when encoding/xml would
// refuse it, or turn it into something else than the character (a
// surrogate becomes U+FFFD there).
func xmlEntity(s []byte) (int, rune) {
	if len(s) < 3 {
		return 0, 0
	}
	if s[1] != '#' {
		for _, e := range xmlEntities {
			if len(s) > len(e.name) && string(s[1:1+len(e.name)]) == e.name {
				return 1 + len(e.name), e.r
			}
		}
		return 0, 0
	}
	i, base := 2, rune(10)
	if s[2] == 'x' {
		i, base = 3, 16
	}
	start := i
	var r rune
	for ; i < len(s); i++ {
		c := s[i]
		var d rune
		switch {
		case '0' <= c && c <= '9':
			d = rune(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = rune(c-'A') + 10
		default:
			d = -1
		}
		if d < 0 {
			break
		}
		if r = r*base + d; r > utf8.MaxRune {
			return 0, 0
		}
	}
	if i == start || i >= len(s) || s[i] != ';' || !xmlIsChar(r) || 0xD800 <= r && r <= 0xDFFF {
		return 0, 0
	}
	return i + 1, r
}

var (
	xmlPIEnd        = []byte("?>")
	xmlCommentStart = []byte("<!--")
	xmlCommentEnd   = []byte("--")
	xmlCDATAStart   = []byte("<![CDATA[")
	xmlCDATAEnd     = []byte("]]>")
)

var xmlEntities = [...]struct {
	name string
	r    rune
}{{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}}
