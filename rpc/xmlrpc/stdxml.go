package xmlrpc

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/godoo/godoo/models"
)

// stdTokens are the tokens of encoding/xml, for every document the scanner
// gives up on: namespaces, attributes, other encodings, DOCTYPE, anything
// malformed. It decides every error, in the words of Python's expat
// (ExpatError with a line and column) or of xmlrpc.client.
type stdTokens struct {
	src     xmlErrReader
	br      *bufio.Reader
	d       *xml.Decoder
	open    []xml.Name // the elements open at this point, innermost last
	start   xml.Name   // the current start or end tag
	nameBuf []byte     // start.Local, as name returns it
	text    xml.CharData
}

var _ tokens = (*stdTokens)(nil)

// xmlErrReader remembers the first non-EOF error of the request body, so that a
// failing reader is not reported as malformed XML.
type xmlErrReader struct {
	r   io.Reader
	err error
}

func (e *xmlErrReader) Read(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.r.Read(b)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// xmlFailingReader replays the error that cut a request short.
type xmlFailingReader struct{ err error }

func (f xmlFailingReader) Read([]byte) (int, error) { return 0, f.err }

var xmlUTF8BOM = []byte{0xEF, 0xBB, 0xBF}

// reset starts reading r, past a byte order mark.
func (p *stdTokens) reset(r io.Reader) {
	if p.br == nil {
		p.br = bufio.NewReaderSize(&p.src, 4096)
	}
	p.src = xmlErrReader{r: r}
	p.br.Reset(&p.src)
	if b, _ := p.br.Peek(3); bytes.Equal(b, xmlUTF8BOM) {
		_, _ = p.br.Discard(3)
	}
	p.d = xml.NewDecoder(p.br)
	p.d.Strict = true
	p.d.CharsetReader = xmlCharsetReader
	p.open = p.open[:0]
}

// release drops what refers to the request.
func (p *stdTokens) release() {
	p.src = xmlErrReader{}
	p.br.Reset(&p.src)
	p.d, p.text = nil, nil
	if cap(p.open) > 64 {
		p.open = nil
	}
}

func (p *stdTokens) prolog() error {
	first := true
	for {
		tok, err := p.d.RawToken()
		if err != nil {
			if err == io.EOF {
				return p.eofError("no element found")
			}
			return p.wrapError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.enter(t.Name)
			return nil
		case xml.ProcInst:
			if !first && strings.EqualFold(t.Target, "xml") {
				return p.expatError("XML or text declaration not at start of entity")
			}
		case xml.CharData:
			if !xmlIsSpace(t) {
				return p.expatError("syntax error (text before the document element)")
			}
		case xml.Directive:
			return xmlDirectiveError(t)
		case xml.EndElement:
			return p.expatError("syntax error (end tag </" + t.Name.Local + "> without start tag)")
		}
		first = false
	}
}

func (p *stdTokens) epilog() error {
	for {
		tok, err := p.d.RawToken()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return p.wrapError(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !xmlIsSpace(t) {
				return p.expatError("junk after document element")
			}
		case xml.Comment:
		case xml.ProcInst:
			if strings.EqualFold(t.Target, "xml") {
				return p.expatError("XML or text declaration not at start of entity")
			}
		case xml.Directive:
			return xmlDirectiveError(t)
		default:
			return p.expatError("junk after document element")
		}
	}
}

func (p *stdTokens) next() (token, error) {
	for {
		tok, err := p.d.RawToken()
		if err != nil {
			if err == io.EOF {
				return 0, p.eofError("unclosed token (document ends inside an element)")
			}
			return 0, p.wrapError(err)
		}
		switch t := tok.(type) {
		case xml.Comment:
			continue
		case xml.ProcInst:
			if strings.EqualFold(t.Target, "xml") {
				return 0, p.expatError("XML or text declaration not at start of entity")
			}
			continue
		case xml.Directive:
			return 0, xmlDirectiveError(t)
		case xml.StartElement:
			p.enter(t.Name)
			return tokStart, nil
		case xml.EndElement:
			// RawToken leaves the matching of end tags to its caller.
			open := p.open[len(p.open)-1]
			if t.Name != open {
				return 0, p.expatError("mismatched tag: </" + xmlQName(t.Name) + "> closes <" + xmlQName(open) + ">")
			}
			p.open = p.open[:len(p.open)-1]
			p.setName(t.Name)
			return tokEnd, nil
		case xml.CharData:
			p.text = t
			return tokText, nil
		}
	}
}

// enter makes name the current start tag, inside the open elements.
func (p *stdTokens) enter(name xml.Name) {
	p.open = append(p.open, name)
	p.setName(name)
}

func (p *stdTokens) setName(name xml.Name) {
	p.start = name
	p.nameBuf = append(p.nameBuf[:0], name.Local...)
}

func (p *stdTokens) name() []byte { return p.nameBuf }

func (p *stdTokens) qname() string { return xmlQName(p.start) }

func (p *stdTokens) space() bool { return xmlIsSpace(p.text) }

func (p *stdTokens) appendText(dst []byte) []byte { return append(dst, p.text...) }

// bodyText is never available: encoding/xml's text is its own copy.
func (p *stdTokens) bodyText() ([]byte, bool) { return nil, false }

func xmlQName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func (p *stdTokens) expatError(msg string) error {
	line, col := p.d.InputPos()
	return xmlServerErrorf(xmlErrNameExpat, "%s: line %d, column %d", msg, line, col-1)
}

func (p *stdTokens) eofError(msg string) error {
	if p.src.err != nil {
		return p.readError()
	}
	return p.expatError(msg)
}

func (p *stdTokens) readError() error {
	return &models.Error{Kind: models.KindServer, Name: xmlErrNameOS, Message: "cannot read the XML-RPC request", Err: p.src.err}
}

// wrapError turns an encoding/xml failure into Python's ExpatError, or an
// OSError when the request body itself failed.
func (p *stdTokens) wrapError(err error) error {
	if p.src.err != nil && errors.Is(err, p.src.err) {
		return p.readError()
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return xmlServerErrorf(xmlErrNameExpat, "not well-formed (%s): line %d", se.Msg, se.Line)
	}
	var ue xmlUnknownEncoding
	if errors.As(err, &ue) {
		return p.expatError(ue.Error())
	}
	if p.src.err != nil {
		return p.readError()
	}
	msg := strings.TrimPrefix(err.Error(), "xml: ")
	return p.expatError(msg)
}

func xmlDirectiveError(d xml.Directive) error {
	if bytes.HasPrefix(d, []byte("DOCTYPE")) {
		return xmlServerErrorf(xmlErrNameValue, "DTDForbidden: DOCTYPE declarations are not allowed in XML-RPC requests")
	}
	return xmlServerErrorf(xmlErrNameValue, "DTDForbidden: <!%s declarations are not allowed in XML-RPC requests", xmlFirstWord(d))
}

func xmlFirstWord(d []byte) string {
	i := 0
	for i < len(d) && i < 20 && d[i] > ' ' {
		i++
	}
	return string(d[:i])
}

// xmlCharsetReader lets Go's decoder read the non-UTF-8 encodings that expat
// handles natively (an encoding="..." in the XML declaration).
func xmlCharsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso_8859-1":
		if br, ok := input.(io.ByteReader); ok {
			return &latin1Reader{r: br}, nil
		}
		return &latin1Reader{r: bufio.NewReader(input)}, nil
	case "us-ascii", "ascii":
		return input, nil
	}
	return nil, xmlUnknownEncoding{charset}
}

type xmlUnknownEncoding struct{ charset string }

func (e xmlUnknownEncoding) Error() string { return "unknown encoding: " + e.charset }

// latin1Reader converts ISO-8859-1 to UTF-8. It implements io.ByteReader so
// that the XML decoder does not wrap it in another buffer.
type latin1Reader struct {
	r       io.ByteReader
	pending byte // second byte of a two-byte UTF-8 sequence
	has     bool // pending is valid
}

func (l *latin1Reader) ReadByte() (byte, error) {
	if l.has {
		l.has = false
		return l.pending, nil
	}
	c, err := l.r.ReadByte()
	if err != nil {
		return 0, err
	}
	if c < utf8.RuneSelf {
		return c, nil
	}
	l.pending, l.has = 0x80|c&0x3F, true
	return 0xC0 | c>>6, nil
}

func (l *latin1Reader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		c, err := l.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		b[n] = c
		n++
	}
	return n, nil
}
