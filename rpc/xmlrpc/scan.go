package xmlrpc

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"
)

// scanner is the fast path of the decoder: tokens read straight from the
// whole request, about ten times quicker than encoding/xml token by token,
// for the XML that XML-RPC clients write.
//
// It never decides an error. Whatever it does not handle, or finds wrong,
// makes it give up (errBail), and the decoder then runs again on
// encoding/xml's tokens (stdTokens), which give the result or the error.
// So the scanner only has to be right about the documents it accepts: for
// each of them it must give exactly the tokens encoding/xml gives. It
// accepts:
//
//   - an optional byte order mark and an XML declaration at the very start
//     with version 1.0, UTF-8 if any encoding, and an optional standalone;
//   - elements with ASCII names without a namespace prefix and without
//     attributes, whitespace before > and self-closing elements;
//   - character data with the five predefined entities and character
//     references, CDATA sections, comments, and \r\n or \r read as \n;
//
// with the checks encoding/xml makes on them (characters allowed in XML,
// valid UTF-8, no "]]>" in text, "--" only to end a comment, end tags that
// close the innermost element). Processing instructions other than the
// declaration, DOCTYPE and other <! ...> declarations, namespaces,
// attributes and other encodings make it give up; so does any error of the
// grammar above it.
type scanner struct {
	s []byte // the whole request
	i int    // next byte to read

	// The last tag's name and character data are kept as offsets into s:
	// storing slices would cost a write barrier each while the GC runs.
	pending        bool  // a self-closing element's end tag is due
	nameLo, nameHi int   // name of the last start or end tag
	rawLo, rawHi   int   // last character data as in s (CDATA: its content)
	cdata          bool  // the character data is a CDATA section's content
	dirty          bool  // it holds a reference or a \r: decode it with appendText
	open           []int // the name offsets of the open elements, innermost last
}

var _ tokens = (*scanner)(nil)

// errBail is how the scanner gives up on a document.
var errBail = errors.New("xmlrpc: left to encoding/xml")

func (p *scanner) reset(s []byte) {
	p.s, p.i, p.pending, p.open = s, 0, false, p.open[:0]
}

func (p *scanner) release() {
	p.s = nil
	if cap(p.open) > 64 {
		p.open = nil
	}
}

func (p *scanner) prolog() error {
	if bytes.HasPrefix(p.s, xmlUTF8BOM) {
		p.i = 3
	}
	if !p.declaration() {
		return errBail
	}
	// Whitespace and comments up to the root element.
	tok := p.scan()
	for tok == scanText && p.space() {
		tok = p.scan()
	}
	if tok != scanStart {
		return errBail
	}
	p.open = append(p.open, p.nameLo, p.nameHi)
	return nil
}

func (p *scanner) epilog() error {
	for {
		switch p.scan() {
		case scanEOF:
			return nil
		case scanText:
			if !p.space() {
				return errBail
			}
		default:
			return errBail
		}
	}
}

func (p *scanner) next() (token, error) {
	switch p.scan() {
	case scanStart:
		p.open = append(p.open, p.nameLo, p.nameHi)
		return tokStart, nil
	case scanEnd:
		n := len(p.open)
		lo, hi := p.open[n-2], p.open[n-1]
		if !bytes.Equal(p.s[lo:hi], p.name()) {
			return 0, errBail
		}
		p.open = p.open[:n-2]
		return tokEnd, nil
	case scanText:
		return tokText, nil
	}
	return 0, errBail // the end of the input, or anything else
}

func (p *scanner) qname() string { return string(p.name()) }

// bodyText is the current text as it is in the request, when it needs no
// decoding: the usual case of one piece of plain text.
func (p *scanner) bodyText() ([]byte, bool) {
	if p.dirty {
		return nil, false
	}
	return p.raw(), true
}

// scanTok is what scan read.
type scanTok uint8

const (
	scanBail  scanTok = iota // anything left to encoding/xml
	scanStart                // p.name() is the name
	scanEnd                  // p.name() is the name
	scanText                 // p.raw(), p.cdata and p.dirty describe it
	scanEOF
)

// declaration reads an XML declaration at p.i if there is one, accepting
// only those encoding/xml takes without a charset reader: version 1.0, an
// encoding that is UTF-8 if given, and an optional standalone.
func (p *scanner) declaration() bool {
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

// scan reads the next token, skipping comments.
func (p *scanner) scan() scanTok {
	if p.pending {
		p.pending = false
		return scanEnd
	}
	for {
		s, i := p.s, p.i
		if i >= len(s) {
			return scanEOF
		}
		if s[i] != '<' {
			return p.charData()
		}
		if i+1 >= len(s) {
			return scanBail
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
					return scanBail
				}
				p.i = i + 4 + k + 3
				continue
			}
			if bytes.HasPrefix(s[i:], xmlCDATAStart) {
				return p.cdataSection()
			}
			return scanBail // DOCTYPE and other declarations
		case '?':
			return scanBail
		}
		return p.startTag()
	}
}

// tagName reads an element name at p.i: ASCII, no namespace prefix.
func (p *scanner) tagName() bool {
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

func (p *scanner) name() []byte { return p.s[p.nameLo:p.nameHi] }

func (p *scanner) raw() []byte { return p.s[p.rawLo:p.rawHi] }

func (p *scanner) startTag() scanTok {
	p.i++ // '<'
	if !p.tagName() {
		return scanBail
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
		return scanBail // attributes, or not well-formed
	}
	return scanStart
}

func (p *scanner) endTag() scanTok {
	p.i += 2 // "</"
	if !p.tagName() {
		return scanBail
	}
	s, i := p.s, p.i
	for i < len(s) && xmlIsSpaceByte(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != '>' {
		return scanBail
	}
	p.i = i + 1
	return scanEnd
}

// charData reads character data up to the next '<', checking it as
// encoding/xml does.
func (p *scanner) charData() scanTok {
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
			return scanText
		case c == '&':
			n, _ := xmlEntity(s[i:])
			if n == 0 {
				return scanBail
			}
			p.dirty = true
			i += n
		case c == '\r':
			p.dirty = true
			i++
		case c == '>':
			if i-start >= 2 && s[i-1] == ']' && s[i-2] == ']' {
				return scanBail // "]]>" outside CDATA
			}
			i++
		case c >= utf8.RuneSelf:
			n := xmlValidRune(s[i:])
			if n == 0 {
				return scanBail
			}
			i += n
		default:
			return scanBail // a control character
		}
	}
	p.rawLo, p.rawHi, p.i = start, i, i
	return scanText
}

func (p *scanner) cdataSection() scanTok {
	s := p.s
	start := p.i + len(xmlCDATAStart)
	end := bytes.Index(s[start:], xmlCDATAEnd)
	if end < 0 {
		return scanBail
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
				return scanBail
			}
			i += n
		case c < 0x20 && c != '\t' && c != '\n':
			return scanBail
		default:
			i++
		}
	}
	p.rawLo, p.rawHi, p.i = start, start+end, start+end+3
	return scanText
}

// space reports whether the last character data is whitespace alone. An
// entity makes it false even when it stands for a space: encoding/xml
// decides those cases.
func (p *scanner) space() bool {
	for _, c := range p.raw() {
		if !xmlIsSpaceByte(c) {
			return false
		}
	}
	return true
}

// appendText appends the last character data to dst, decoded: references
// replaced, and \r\n and \r read as \n, as encoding/xml does.
func (p *scanner) appendText(dst []byte) []byte {
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
