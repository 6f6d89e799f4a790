package xmlrpc

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/wire"
)

// Python exception names reported by the XML-RPC codec.
const (
	xmlErrNameExpat    = "xml.parsers.expat.ExpatError"
	xmlErrNameResponse = "xmlrpc.client.ResponseError"
	xmlErrNameValue    = "builtins.ValueError"
	xmlErrNameType     = "builtins.TypeError"
	xmlErrNameOverflow = "builtins.OverflowError"
	xmlErrNameOS       = "builtins.OSError"
)

// xmlDefaultMaxDepth is used when DecodeMethodCall is given maxDepth <= 0.
const xmlDefaultMaxDepth = 64

// DecodeMethodCall parses an XML-RPC <methodCall>. maxDepth bounds nesting of arrays/structs.
//
// It accepts what Python's xmlrpc.client.loads accepts (the parser Odoo uses),
// mapped onto a small set of Go types:
//
//	<nil/>                                          nil
//	<boolean>                                       bool
//	<i1> <i2> <i4> <i8> <int> <biginteger>          int64 (values beyond int64 are refused)
//	<double> <float> <bigdecimal>                   float64
//	<string>, untyped <value>text</value>, <value/> string
//	<base64>                                        string (the base64 text, whitespace removed)
//	<dateTime.iso8601>                              string "YYYY-MM-DD HH:MM:SS" (UTC)
//	<array><data>                                   []any
//	<struct><member><name>                          map[string]any
//
// A top-level array or struct is at depth 1; a container nested deeper than
// maxDepth is refused (maxDepth <= 0 means 64). DOCTYPE declarations are refused
// outright, so there is no entity expansion of any kind beyond the five
// predefined XML entities and character references. params is never nil.
//
// Every error is a *models.Error of kind models.KindServer whose Name is the
// Python exception Odoo would raise: xml.parsers.expat.ExpatError for
// malformed XML, xmlrpc.client.ResponseError for a document that is XML but
// not an XML-RPC call, builtins.ValueError / TypeError / OverflowError for bad
// scalar values, and builtins.OSError (wrapping the cause) when r fails.
//
// The whole of r is read first. Well-formed requests of the usual shape go
// through a small scanner of their own (xmlParser); the others, and every
// error, through encoding/xml.
func DecodeMethodCall(r io.Reader, maxDepth int) (method string, params []any, err error) {
	body, readErr := xmlReadAll(make([]byte, 0, 16<<10), r)
	return decodeMethodCall(body, readErr, maxDepth)
}

// Decode is DecodeMethodCall on a request body already read whole. Strings
// of wire.LargeStringBytes or more may share body's memory; body must not
// change afterwards.
func Decode(body []byte, maxDepth int) (method string, params []any, err error) {
	return decodeMethodCall(body, nil, maxDepth)
}

// decodeMethodCall is DecodeMethodCall on a request already read: body,
// then readErr when reading it failed. The results do not share memory
// with body.
//
// The fast parser decodes the documents clients write. Anything else, and
// every error, is decided by the decoder built on encoding/xml, which reads
// the same bytes again (then fails with readErr as the request did).
func decodeMethodCall(body []byte, readErr error, maxDepth int) (string, []any, error) {
	if maxDepth <= 0 {
		maxDepth = xmlDefaultMaxDepth
	}
	if readErr == nil {
		if method, params, ok := parseMethodCall(body, maxDepth); ok {
			return method, params, nil
		}
	}
	var src io.Reader = bytes.NewReader(body)
	if readErr != nil {
		src = io.MultiReader(src, xmlFailingReader{readErr})
	}
	return decodeWithEncodingXML(src, maxDepth)
}

// xmlReadAll appends what r holds to b, as io.ReadAll does.
func xmlReadAll(b []byte, r io.Reader) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
	}
}

// xmlFailingReader replays the error that cut a request short.
type xmlFailingReader struct{ err error }

func (f xmlFailingReader) Read([]byte) (int, error) { return 0, f.err }

// decodeWithEncodingXML is DecodeMethodCall on encoding/xml's tokens.
func decodeWithEncodingXML(r io.Reader, maxDepth int) (method string, params []any, err error) {
	p := xmlDecPool.Get().(*callDecoder)
	p.src.r = r
	p.br.Reset(&p.src)
	p.maxDepth = maxDepth

	method, params, err = p.decode()

	p.src = xmlErrReader{}
	p.br.Reset(&p.src)
	p.d = nil
	if cap(p.text) > 64<<10 {
		p.text = nil
	}
	xmlDecPool.Put(p)
	return method, params, err
}

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

// callDecoder is the reusable state of one DecodeMethodCall.
type callDecoder struct {
	src      xmlErrReader
	br       *bufio.Reader
	d        *xml.Decoder
	text     []byte // character data of the leaf being read
	maxDepth int
}

var xmlDecPool = sync.Pool{New: func() any {
	p := &callDecoder{text: make([]byte, 0, 256)}
	p.br = bufio.NewReaderSize(&p.src, 4096)
	return p
}}

var xmlUTF8BOM = []byte{0xEF, 0xBB, 0xBF}

func (p *callDecoder) decode() (string, []any, error) {
	if b, _ := p.br.Peek(3); bytes.Equal(b, xmlUTF8BOM) {
		_, _ = p.br.Discard(3)
	}
	p.d = xml.NewDecoder(p.br)
	p.d.Strict = true
	p.d.CharsetReader = xmlCharsetReader

	root, err := p.prolog()
	if err != nil {
		return "", nil, err
	}
	if root.Name.Local != "methodCall" {
		return "", nil, xmlResponseErrorf("expected a <methodCall> document, got <%s>", root.Name.Local)
	}
	method, params, err := p.methodCall(root.Name)
	if err != nil {
		return "", nil, err
	}
	if err := p.epilog(); err != nil {
		return "", nil, err
	}
	return method, params, nil
}

// prolog reads up to and including the root start element.
func (p *callDecoder) prolog() (xml.StartElement, error) {
	first := true
	for {
		tok, err := p.d.RawToken()
		if err != nil {
			if err == io.EOF {
				return xml.StartElement{}, p.eofError("no element found")
			}
			return xml.StartElement{}, p.wrapError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.ProcInst:
			if !first && strings.EqualFold(t.Target, "xml") {
				return xml.StartElement{}, p.expatError("XML or text declaration not at start of entity")
			}
		case xml.CharData:
			if !xmlIsSpace(t) {
				return xml.StartElement{}, p.expatError("syntax error (text before the document element)")
			}
		case xml.Directive:
			return xml.StartElement{}, xmlDirectiveError(t)
		case xml.EndElement:
			return xml.StartElement{}, p.expatError("syntax error (end tag </" + t.Name.Local + "> without start tag)")
		}
		first = false
	}
}

// epilog checks that nothing but whitespace, comments and processing
// instructions follows the root element.
func (p *callDecoder) epilog() error {
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

// next returns the next token inside the document element, skipping comments
// and processing instructions.
func (p *callDecoder) next() (xml.Token, error) {
	for {
		tok, err := p.d.RawToken()
		if err != nil {
			if err == io.EOF {
				return nil, p.eofError("unclosed token (document ends inside an element)")
			}
			return nil, p.wrapError(err)
		}
		switch t := tok.(type) {
		case xml.Comment:
			continue
		case xml.ProcInst:
			if strings.EqualFold(t.Target, "xml") {
				return nil, p.expatError("XML or text declaration not at start of entity")
			}
			continue
		case xml.Directive:
			return nil, xmlDirectiveError(t)
		}
		return tok, nil
	}
}

// endOf checks that an end tag closes the element named start, which
// RawToken leaves to its caller.
func (p *callDecoder) endOf(end xml.EndElement, start xml.Name) error {
	if end.Name != start {
		return p.expatError("mismatched tag: </" + xmlQName(end.Name) + "> closes <" + xmlQName(start) + ">")
	}
	return nil
}

func (p *callDecoder) methodCall(start xml.Name) (string, []any, error) {
	var (
		method     string
		haveMethod bool
		params     []any
		haveParams bool
	)
	for {
		tok, err := p.next()
		if err != nil {
			return "", nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !xmlIsSpace(t) {
				return "", nil, xmlResponseErrorf("unexpected text %s in <methodCall>", wire.Quote(t))
			}
		case xml.EndElement:
			if err := p.endOf(t, start); err != nil {
				return "", nil, err
			}
			if !haveMethod || method == "" {
				return "", nil, xmlResponseErrorf("<methodCall> without a <methodName>")
			}
			if params == nil {
				params = []any{}
			}
			return method, params, nil
		case xml.StartElement:
			switch t.Name.Local {
			case "methodName":
				if haveMethod {
					return "", nil, xmlResponseErrorf("duplicate <methodName>")
				}
				text, err := p.leaf(t.Name)
				if err != nil {
					return "", nil, err
				}
				method, haveMethod = string(text), true
			case "params":
				if haveParams {
					return "", nil, xmlResponseErrorf("duplicate <params>")
				}
				if params, err = p.params(t.Name); err != nil {
					return "", nil, err
				}
				haveParams = true
			default:
				return "", nil, xmlUnknownTag(t.Name, "methodCall")
			}
		}
	}
}

func (p *callDecoder) params(start xml.Name) ([]any, error) {
	params := make([]any, 0, 8)
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !xmlIsSpace(t) {
				return nil, xmlResponseErrorf("unexpected text %s in <params>", wire.Quote(t))
			}
		case xml.EndElement:
			return params, p.endOf(t, start)
		case xml.StartElement:
			if t.Name.Local != "param" {
				return nil, xmlUnknownTag(t.Name, "params")
			}
			v, err := p.param(t.Name)
			if err != nil {
				return nil, err
			}
			params = append(params, v)
		}
	}
}

func (p *callDecoder) param(start xml.Name) (any, error) {
	var (
		v    any
		seen bool
	)
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !xmlIsSpace(t) {
				return nil, xmlResponseErrorf("unexpected text %s in <param>", wire.Quote(t))
			}
		case xml.EndElement:
			if err := p.endOf(t, start); err != nil {
				return nil, err
			}
			if !seen {
				return nil, xmlResponseErrorf("<param> without a <value>")
			}
			return v, nil
		case xml.StartElement:
			if t.Name.Local != "value" {
				return nil, xmlUnknownTag(t.Name, "param")
			}
			if seen {
				return nil, xmlResponseErrorf("<param> with more than one <value>")
			}
			if v, err = p.value(t.Name, 0); err != nil {
				return nil, err
			}
			seen = true
		}
	}
}

// value decodes the content of a <value> element whose start tag has been
// read. depth is the number of enclosing arrays and structs.
func (p *callDecoder) value(start xml.Name, depth int) (any, error) {
	p.text = p.text[:0]
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			p.text = append(p.text, t...)
		case xml.EndElement:
			// <value>text</value> and <value/> are strings.
			if err := p.endOf(t, start); err != nil {
				return nil, err
			}
			return string(p.text), nil
		case xml.StartElement:
			if !xmlIsSpace(p.text) {
				return nil, xmlResponseErrorf("text %s mixed with <%s> in <value>", wire.Quote(p.text), t.Name.Local)
			}
			v, err := p.typed(t.Name, depth)
			if err != nil {
				return nil, err
			}
			return v, p.closeValue(start)
		}
	}
}

// closeValue reads the end of a <value> after its single typed child.
func (p *callDecoder) closeValue(start xml.Name) error {
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !xmlIsSpace(t) {
				return xmlResponseErrorf("unexpected text %s in <value>", wire.Quote(t))
			}
		case xml.EndElement:
			return p.endOf(t, start)
		case xml.StartElement:
			return xmlResponseErrorf("<value> with more than one child (<%s>)", t.Name.Local)
		}
	}
}

func (p *callDecoder) typed(name xml.Name, depth int) (any, error) {
	switch name.Local {
	case "string":
		text, err := p.leaf(name)
		if err != nil {
			return nil, err
		}
		return string(text), nil
	case "int", "i4", "i8", "i1", "i2", "biginteger":
		text, err := p.leaf(name)
		if err != nil {
			return nil, err
		}
		return xmlParseInt(text)
	case "boolean":
		text, err := p.leaf(name)
		if err != nil {
			return nil, err
		}
		switch string(xmlTrimSpace(text)) {
		case "1":
			return true, nil
		case "0":
			return false, nil
		}
		return nil, xmlServerErrorf(xmlErrNameType, "bad boolean value %s", wire.Quote(text))
	case "double", "float", "bigdecimal":
		text, err := p.leaf(name)
		if err != nil {
			return nil, err
		}
		return xmlParseFloat(text)
	case "nil":
		// Python ignores whatever <nil> contains.
		if _, err := p.leaf(name); err != nil {
			return nil, err
		}
		return nil, nil
	case "base64":
		text, err := p.leaf(name)
		if err != nil {
			return nil, err
		}
		return xmlParseBase64(text)
	case "dateTime.iso8601":
		text, err := p.leaf(name)
		if err != nil {
			return nil, err
		}
		return xmlParseDateTime(text)
	case "array":
		if depth >= p.maxDepth {
			return nil, xmlTooDeep(p.maxDepth)
		}
		return p.array(name, depth+1)
	case "struct":
		if depth >= p.maxDepth {
			return nil, xmlTooDeep(p.maxDepth)
		}
		return p.structure(name, depth+1)
	}
	return nil, xmlUnknownTag(name, "value")
}

// leaf reads the character data of a leaf element up to its end tag. The
// result aliases p.text and is only valid until the next read.
func (p *callDecoder) leaf(start xml.Name) ([]byte, error) {
	p.text = p.text[:0]
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			p.text = append(p.text, t...)
		case xml.EndElement:
			return p.text, p.endOf(t, start)
		case xml.StartElement:
			return nil, xmlResponseErrorf("unexpected <%s> inside <%s>", t.Name.Local, start.Local)
		}
	}
}

func (p *callDecoder) array(start xml.Name, depth int) (any, error) {
	var (
		items    []any
		haveData bool
	)
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !xmlIsSpace(t) {
				return nil, xmlResponseErrorf("unexpected text %s in <array>", wire.Quote(t))
			}
		case xml.EndElement:
			if err := p.endOf(t, start); err != nil {
				return nil, err
			}
			if items == nil {
				items = []any{}
			}
			return items, nil
		case xml.StartElement:
			if t.Name.Local != "data" {
				return nil, xmlUnknownTag(t.Name, "array")
			}
			if haveData {
				return nil, xmlResponseErrorf("<array> with more than one <data>")
			}
			haveData = true
			if items, err = p.data(t.Name, depth); err != nil {
				return nil, err
			}
		}
	}
}

func (p *callDecoder) data(start xml.Name, depth int) ([]any, error) {
	var items []any
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !xmlIsSpace(t) {
				return nil, xmlResponseErrorf("unexpected text %s in <data>", wire.Quote(t))
			}
		case xml.EndElement:
			return items, p.endOf(t, start)
		case xml.StartElement:
			if t.Name.Local != "value" {
				return nil, xmlUnknownTag(t.Name, "data")
			}
			v, err := p.value(t.Name, depth)
			if err != nil {
				return nil, err
			}
			if items == nil {
				items = make([]any, 0, 4)
			}
			items = append(items, v)
		}
	}
}

func (p *callDecoder) structure(start xml.Name, depth int) (any, error) {
	m := make(map[string]any)
	for {
		tok, err := p.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !xmlIsSpace(t) {
				return nil, xmlResponseErrorf("unexpected text %s in <struct>", wire.Quote(t))
			}
		case xml.EndElement:
			return m, p.endOf(t, start)
		case xml.StartElement:
			if t.Name.Local != "member" {
				return nil, xmlUnknownTag(t.Name, "struct")
			}
			if err := p.member(t.Name, depth, m); err != nil {
				return nil, err
			}
		}
	}
}

func (p *callDecoder) member(start xml.Name, depth int, m map[string]any) error {
	var (
		key      string
		haveName bool
		v        any
		haveVal  bool
	)
	for {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if !xmlIsSpace(t) {
				return xmlResponseErrorf("unexpected text %s in <member>", wire.Quote(t))
			}
		case xml.EndElement:
			if err := p.endOf(t, start); err != nil {
				return err
			}
			if !haveName || !haveVal {
				return xmlResponseErrorf("<member> needs a <name> followed by a <value>")
			}
			m[key] = v // like Python, the last of duplicate names wins
			return nil
		case xml.StartElement:
			switch {
			case t.Name.Local == "name" && !haveName:
				text, err := p.leaf(t.Name)
				if err != nil {
					return err
				}
				key, haveName = xmlInternKey(text), true
			case t.Name.Local == "value" && haveName && !haveVal:
				if v, err = p.value(t.Name, depth); err != nil {
					return err
				}
				haveVal = true
			case t.Name.Local == "name" || t.Name.Local == "value":
				return xmlResponseErrorf("<member> needs one <name> followed by one <value>")
			default:
				return xmlUnknownTag(t.Name, "member")
			}
		}
	}
}

// xmlCommonKeys holds struct member names that recur in Odoo calls, so that
// decoding them does not allocate.
var xmlCommonKeys = func() map[string]string {
	keys := []string{
		"fields", "limit", "offset", "order", "context", "lang", "tz", "uid",
		"allowed_company_ids", "active_test", "domain", "attributes", "groupby",
		"lazy", "load", "count", "name", "id", "ids", "active", "email",
		"display_name", "partner_id", "company_id", "user_id", "state",
		"args", "kwargs", "model", "method", "bin_size", "active_id",
		"active_ids", "active_model", "default_type", "specification",
		"execute_kw", "execute", "login", "authenticate", "version",
	}
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k] = k
	}
	return m
}()

func xmlInternKey(b []byte) string {
	if s, ok := xmlCommonKeys[string(b)]; ok {
		return s
	}
	return string(b)
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

// ---------------------------------------------------------------------------
// Scalars

func xmlParseInt(text []byte) (any, error) {
	b := xmlTrimSpace(text)
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || !xmlValidUnderscores(b) {
		return nil, xmlInvalidLiteral("int", text)
	}
	var n uint64
	overflow := false
	for _, c := range b {
		if c == '_' {
			continue
		}
		if c < '0' || c > '9' {
			return nil, xmlInvalidLiteral("int", text)
		}
		if n > (math.MaxUint64-9)/10 {
			overflow = true
			continue
		}
		n = n*10 + uint64(c-'0')
	}
	switch {
	case overflow, !neg && n > math.MaxInt64, neg && n > 1<<63:
		return nil, xmlServerErrorf(xmlErrNameOverflow, "integer %s does not fit in 64 bits", wire.Quote(text))
	case neg:
		return -int64(n), nil // -(1<<63) wraps to itself, which is right
	}
	return int64(n), nil
}

// xmlValidUnderscores applies Python's rule for int() and float(): an underscore
// must sit between two digits.
func xmlValidUnderscores(b []byte) bool {
	for i, c := range b {
		if c == '_' && (i == 0 || i == len(b)-1 || !xmlIsDigit(b[i-1]) || !xmlIsDigit(b[i+1])) {
			return false
		}
	}
	return true
}

func xmlIsDigit(c byte) bool { return '0' <= c && c <= '9' }

func xmlParseFloat(text []byte) (any, error) {
	b := xmlTrimSpace(text)
	if len(b) == 0 || bytes.IndexAny(b, "xX") >= 0 || !xmlValidUnderscores(b) {
		return nil, xmlInvalidFloat(text)
	}
	if bytes.IndexByte(b, '_') >= 0 {
		b = bytes.ReplaceAll(b, []byte("_"), nil)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return f, nil // Python yields inf or 0.0 as well
		}
		return nil, xmlInvalidFloat(text)
	}
	return f, nil
}

func xmlInvalidFloat(text []byte) error {
	return xmlServerErrorf(xmlErrNameValue, "could not convert string to float: %s", wire.Quote(text))
}

func xmlParseBase64(text []byte) (any, error) {
	// Compact in place: text is scratch space.
	out := text[:0]
	for _, c := range text {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			out = append(out, c)
		}
	}
	if !xmlValidBase64(out) {
		return nil, xmlServerErrorf(xmlErrNameValue, "invalid base64 data")
	}
	return string(out), nil
}

func xmlValidBase64(b []byte) bool {
	if len(b)%4 != 0 {
		return false
	}
	pad := 0
	for i, c := range b {
		switch {
		case c == '=':
			if i < len(b)-2 {
				return false
			}
			pad++
		case pad > 0:
			return false
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/':
		default:
			return false
		}
	}
	return true
}

// xmlParseDateTime normalises an ISO 8601 timestamp to Odoo's
// "YYYY-MM-DD HH:MM:SS" in UTC.
func xmlParseDateTime(text []byte) (any, error) {
	b := xmlTrimSpace(text)
	bad := func() (any, error) {
		return nil, xmlServerErrorf(xmlErrNameValue, "invalid dateTime.iso8601 value %s", wire.Quote(text))
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if !xmlIsDigit(c) {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	var year, month, day int
	var ok1, ok2, ok3 bool
	switch {
	case len(b) >= 10 && b[4] == '-' && b[7] == '-':
		year, ok1 = num(b[0:4])
		month, ok2 = num(b[5:7])
		day, ok3 = num(b[8:10])
		b = b[10:]
	case len(b) >= 8:
		year, ok1 = num(b[0:4])
		month, ok2 = num(b[4:6])
		day, ok3 = num(b[6:8])
		b = b[8:]
	}
	if !ok1 || !ok2 || !ok3 || len(b) == 0 || (b[0] != 'T' && b[0] != 't' && b[0] != ' ') {
		return bad()
	}
	b = b[1:]
	var hour, minute, sec int
	switch {
	case len(b) >= 8 && b[2] == ':' && b[5] == ':':
		hour, ok1 = num(b[0:2])
		minute, ok2 = num(b[3:5])
		sec, ok3 = num(b[6:8])
		b = b[8:]
	case len(b) >= 6:
		hour, ok1 = num(b[0:2])
		minute, ok2 = num(b[2:4])
		sec, ok3 = num(b[4:6])
		b = b[6:]
	default:
		ok1 = false
	}
	if !ok1 || !ok2 || !ok3 {
		return bad()
	}
	// Optional fraction, dropped: Odoo stores whole seconds.
	if len(b) > 0 && (b[0] == '.' || b[0] == ',') {
		i := 1
		for i < len(b) && xmlIsDigit(b[i]) {
			i++
		}
		if i == 1 {
			return bad()
		}
		b = b[i:]
	}
	offset := 0
	switch {
	case len(b) == 0:
	case len(b) == 1 && (b[0] == 'Z' || b[0] == 'z'):
	case b[0] == '+' || b[0] == '-':
		var zh, zm int
		z := b[1:]
		switch {
		case len(z) == 2:
			zh, ok1 = num(z)
			ok2 = true
		case len(z) == 4:
			zh, ok1 = num(z[0:2])
			zm, ok2 = num(z[2:4])
		case len(z) == 5 && z[2] == ':':
			zh, ok1 = num(z[0:2])
			zm, ok2 = num(z[3:5])
		default:
			ok1 = false
		}
		if !ok1 || !ok2 || zh > 23 || zm > 59 {
			return bad()
		}
		offset = zh*3600 + zm*60
		if b[0] == '-' {
			offset = -offset
		}
	default:
		return bad()
	}
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return bad()
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // e.g. February 30th
		return bad()
	}
	t = t.Add(-time.Duration(offset) * time.Second)
	if t.Year() < 1 || t.Year() > 9999 {
		return bad()
	}
	var out [19]byte
	return string(t.AppendFormat(out[:0], "2006-01-02 15:04:05")), nil
}

// ---------------------------------------------------------------------------
// Helpers

func xmlIsSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func xmlTrimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 {
		c := b[len(b)-1]
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}

func xmlQName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func xmlServerErrorf(name, format string, args ...any) error {
	return &models.Error{Kind: models.KindServer, Name: name, Message: fmt.Sprintf(format, args...)}
}

func xmlResponseErrorf(format string, args ...any) error {
	return xmlServerErrorf(xmlErrNameResponse, format, args...)
}

func xmlInvalidLiteral(kind string, text []byte) error {
	return xmlServerErrorf(xmlErrNameValue, "invalid literal for %s() with base 10: %s", kind, wire.Quote(text))
}

func xmlUnknownTag(n xml.Name, parent string) error {
	return xmlResponseErrorf("unknown tag %q in <%s>", xmlQName(n), parent)
}

func xmlTooDeep(maxDepth int) error {
	return xmlServerErrorf(xmlErrNameValue, "arrays and structs nested deeper than %d levels", maxDepth)
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

func (p *callDecoder) expatError(msg string) error {
	line, col := p.d.InputPos()
	return xmlServerErrorf(xmlErrNameExpat, "%s: line %d, column %d", msg, line, col-1)
}

func (p *callDecoder) eofError(msg string) error {
	if p.src.err != nil {
		return p.readError()
	}
	return p.expatError(msg)
}

func (p *callDecoder) readError() error {
	return &models.Error{Kind: models.KindServer, Name: xmlErrNameOS, Message: "cannot read the XML-RPC request", Err: p.src.err}
}

// wrapError turns an encoding/xml failure into Python's ExpatError, or an
// OSError when the request body itself failed.
func (p *callDecoder) wrapError(err error) error {
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
