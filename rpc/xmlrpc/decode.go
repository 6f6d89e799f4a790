// Package xmlrpc is the XML-RPC wire format of Odoo's /xmlrpc/2 and legacy
// /xmlrpc routes: it decodes a <methodCall> into a method name and neutral
// values (nil, bool, int64, float64, string, []any, map[string]any), and
// encodes results and faults byte for byte as Odoo's OdooMarshaller does.
// It knows no HTTP; the rpc package serves it.
package xmlrpc

import (
	"bytes"
	"fmt"
	"io"
	"sync"

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
// The whole of r is read first. The grammar of XML-RPC (decoder) runs on
// the tokens of a small scanner of its own (scanner), which handles the
// documents clients write; when the scanner gives up or anything is wrong,
// it runs again on encoding/xml's tokens (stdTokens), which decide.
func DecodeMethodCall(r io.Reader, maxDepth int) (method string, params []any, err error) {
	body, readErr := io.ReadAll(r)
	return decodeMethodCall(body, readErr, maxDepth)
}

// Decode is DecodeMethodCall on a request body already read whole. Strings
// of wire.LargeStringBytes or more may share body's memory; body must not
// change afterwards.
func Decode(body []byte, maxDepth int) (method string, params []any, err error) {
	return decodeMethodCall(body, nil, maxDepth)
}

// decodeMethodCall is DecodeMethodCall on a request already read: body,
// then readErr when reading it failed. A request cut short goes straight
// to encoding/xml, which reads the bytes that arrived and then fails with
// readErr as the request did.
func decodeMethodCall(body []byte, readErr error, maxDepth int) (string, []any, error) {
	if maxDepth <= 0 {
		maxDepth = xmlDefaultMaxDepth
	}
	d := decoderPool.Get().(*decoder)
	defer d.release()
	d.maxDepth = maxDepth
	if readErr == nil {
		d.scan.reset(body)
		d.tok = &d.scan
		if method, params, err := d.document(); err == nil {
			return method, params, nil
		}
	}
	var src io.Reader = bytes.NewReader(body)
	if readErr != nil {
		src = io.MultiReader(src, xmlFailingReader{readErr})
	}
	d.std.reset(src)
	d.tok = &d.std
	return d.document()
}

// decodeStd decodes r on encoding/xml's tokens alone, the reference the
// scanner is tested against.
func decodeStd(r io.Reader, maxDepth int) (string, []any, error) {
	d := decoderPool.Get().(*decoder)
	defer d.release()
	d.maxDepth = maxDepth
	d.std.reset(r)
	d.tok = &d.std
	return d.document()
}

// decodeScan decodes body on the scanner's tokens alone; false means that
// the scanner gave up.
func decodeScan(body []byte, maxDepth int) (string, []any, bool) {
	d := decoderPool.Get().(*decoder)
	defer d.release()
	d.maxDepth = maxDepth
	d.scan.reset(body)
	d.tok = &d.scan
	method, params, err := d.document()
	return method, params, err == nil
}

// token is what the grammar reads: a start tag, an end tag or text.
type token uint8

const (
	tokStart token = iota + 1
	tokEnd
	tokText
)

// tokens are the XML tokens of one document, as the grammar reads them:
// from the scanner or from encoding/xml. Their errors are the document's
// errors (the scanner's are all errBail).
type tokens interface {
	// prolog reads the document up to its root element, which becomes
	// the current start tag.
	prolog() error
	// epilog checks what follows the root element: whitespace, comments.
	epilog() error
	// next reads the next start tag, end tag or text inside the root
	// element, past comments. An end tag always closes the innermost
	// open element (any other is an error), and the input never ends
	// inside the root element.
	next() (token, error)
	// name is the local name of the current start or end tag, valid until
	// the next token.
	name() []byte
	// qname is the name of the current start tag with its namespace
	// prefix, for messages.
	qname() string
	// space reports whether the current text is whitespace alone.
	space() bool
	// appendText appends the current text, decoded, to dst.
	appendText(dst []byte) []byte
	// bodyText returns the current text as a piece of the request itself
	// when it needs no decoding; false when it is not available so.
	bodyText() ([]byte, bool)
}

// decoder is XML-RPC's grammar, which decides the structure of a call and
// builds its values, over either kind of tokens. It is the reusable state
// of one decoding.
type decoder struct {
	tok      tokens
	maxDepth int
	text     []byte // character data of the value or leaf being read
	b64      []byte // base64 text, compacted in place
	scan     scanner
	std      stdTokens
}

var decoderPool = sync.Pool{New: func() any { return &decoder{text: make([]byte, 0, 256)} }}

// release returns d to the pool, keeping no large scratch space and
// nothing of the request.
func (d *decoder) release() {
	d.scan.release()
	if d.std.d != nil {
		d.std.release()
	}
	d.tok = nil
	if cap(d.text) > 64<<10 || cap(d.b64) > 64<<10 {
		return
	}
	decoderPool.Put(d)
}

func (d *decoder) document() (string, []any, error) {
	if err := d.tok.prolog(); err != nil {
		return "", nil, err
	}
	if string(d.tok.name()) != "methodCall" {
		return "", nil, xmlResponseErrorf("expected a <methodCall> document, got <%s>", d.tok.name())
	}
	method, params, err := d.methodCall()
	if err != nil {
		return "", nil, err
	}
	if err := d.tok.epilog(); err != nil {
		return "", nil, err
	}
	return method, params, nil
}

func (d *decoder) methodCall() (string, []any, error) {
	var (
		method     string
		haveMethod bool
		params     []any
		haveParams bool
	)
	err := d.elements("methodCall", func() error {
		var err error
		switch string(d.tok.name()) {
		case "methodName":
			if haveMethod {
				return xmlResponseErrorf("duplicate <methodName>")
			}
			text, err := d.leaf("methodName")
			if err != nil {
				return err
			}
			method, haveMethod = xmlInternKey(text), true
		case "params":
			if haveParams {
				return xmlResponseErrorf("duplicate <params>")
			}
			if params, err = d.params(); err != nil {
				return err
			}
			haveParams = true
		default:
			return d.unknownTag("methodCall")
		}
		return nil
	})
	switch {
	case err != nil:
		return "", nil, err
	case !haveMethod || method == "":
		return "", nil, xmlResponseErrorf("<methodCall> without a <methodName>")
	case params == nil:
		params = []any{}
	}
	return method, params, nil
}

func (d *decoder) params() ([]any, error) {
	params := make([]any, 0, 8)
	err := d.elements("params", func() error {
		if string(d.tok.name()) != "param" {
			return d.unknownTag("params")
		}
		v, err := d.param()
		params = append(params, v)
		return err
	})
	return params, err
}

func (d *decoder) param() (any, error) {
	var (
		v    any
		seen bool
	)
	err := d.elements("param", func() error {
		var err error
		if string(d.tok.name()) != "value" {
			return d.unknownTag("param")
		}
		if seen {
			return xmlResponseErrorf("<param> with more than one <value>")
		}
		v, err = d.value(0)
		seen = true
		return err
	})
	if err == nil && !seen {
		err = xmlResponseErrorf("<param> without a <value>")
	}
	return v, err
}

// value decodes the content of a <value> element whose start tag has been
// read. depth is the number of enclosing arrays and structs.
func (d *decoder) value(depth int) (any, error) {
	d.text = d.text[:0]
	for {
		tok, err := d.tok.next()
		if err != nil {
			return nil, err
		}
		switch tok {
		case tokText:
			d.text = d.tok.appendText(d.text)
		case tokEnd:
			// <value>text</value> and <value/> are strings.
			return xmlStringValue(d.text), nil
		case tokStart:
			if !xmlIsSpace(d.text) {
				return nil, xmlResponseErrorf("text %s mixed with <%s> in <value>", wire.Quote(d.text), d.tok.name())
			}
			v, err := d.typed(depth)
			if err != nil {
				return nil, err
			}
			return v, d.closeValue()
		}
	}
}

// closeValue reads the end of a <value> after its single typed child.
func (d *decoder) closeValue() error {
	return d.elements("value", func() error {
		return xmlResponseErrorf("<value> with more than one child (<%s>)", d.tok.name())
	})
}

// typedNames maps the name of each typed child of <value> to itself, so
// that the grammar holds it as a constant string rather than a copy.
var typedNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{"string", "int", "i4", "i8", "i1", "i2", "biginteger", "boolean", "double", "float",
		"bigdecimal", "nil", "base64", "dateTime.iso8601", "array", "struct"} {
		m[n] = n
	}
	return m
}()

// typed decodes the typed child of a <value>, the current start tag.
func (d *decoder) typed(depth int) (any, error) {
	name, ok := typedNames[string(d.tok.name())]
	if !ok {
		return nil, d.unknownTag("value")
	}
	switch name {
	case "string":
		text, fromBody, err := d.leafText(name)
		if err != nil {
			return nil, err
		}
		if fromBody && len(text) >= wire.LargeStringBytes {
			return wire.AliasBody(text), nil
		}
		return xmlStringValue(text), nil
	case "int", "i4", "i8", "i1", "i2", "biginteger":
		text, err := d.leaf(name)
		if err != nil {
			return nil, err
		}
		return xmlParseInt(text)
	case "boolean":
		text, err := d.leaf(name)
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
		text, err := d.leaf(name)
		if err != nil {
			return nil, err
		}
		return xmlParseFloat(text)
	case "nil":
		// Python ignores whatever <nil> contains.
		_, err := d.leaf(name)
		return nil, err
	case "base64":
		text, err := d.leaf(name)
		if err != nil {
			return nil, err
		}
		d.b64 = append(d.b64[:0], text...) // xmlParseBase64 compacts its argument
		return xmlParseBase64(d.b64)
	case "dateTime.iso8601":
		text, err := d.leaf(name)
		if err != nil {
			return nil, err
		}
		return xmlParseDateTime(text)
	case "array":
		if depth >= d.maxDepth {
			return nil, xmlTooDeep(d.maxDepth)
		}
		return d.array(depth + 1)
	default: // struct
		if depth >= d.maxDepth {
			return nil, xmlTooDeep(d.maxDepth)
		}
		return d.structure(depth + 1)
	}
}

// leaf reads the character data of the leaf element name, whose start tag
// has been read, up to its end tag. The result is only valid until the
// next read: it is either a piece of the request or d.text.
func (d *decoder) leaf(name string) ([]byte, error) {
	out, _, err := d.leafText(name)
	return out, err
}

// leafText is leaf that also says whether the text is a slice of the
// request body itself (one piece of plain text) rather than of d's scratch
// space, which the next request reuses.
func (d *decoder) leafText(name string) (out []byte, fromBody bool, err error) {
	inText := false // out is d.text
	for {
		tok, err := d.tok.next()
		if err != nil {
			return nil, false, err
		}
		switch tok {
		case tokText:
			if out == nil {
				if raw, ok := d.tok.bodyText(); ok {
					out = raw // the usual case: one piece of plain text
					continue
				}
			}
			if !inText {
				d.text = append(d.text[:0], out...)
				inText = true
			}
			d.text = d.tok.appendText(d.text)
			out = d.text
		case tokEnd:
			return out, !inText, nil
		case tokStart:
			return nil, false, xmlResponseErrorf("unexpected <%s> inside <%s>", d.tok.name(), name)
		}
	}
}

func (d *decoder) array(depth int) (any, error) {
	var (
		items    []any
		haveData bool
	)
	err := d.elements("array", func() error {
		var err error
		if string(d.tok.name()) != "data" {
			return d.unknownTag("array")
		}
		if haveData {
			return xmlResponseErrorf("<array> with more than one <data>")
		}
		haveData = true
		items, err = d.data(depth)
		return err
	})
	if items == nil {
		items = []any{}
	}
	return items, err
}

func (d *decoder) data(depth int) ([]any, error) {
	var items []any
	err := d.elements("data", func() error {
		if string(d.tok.name()) != "value" {
			return d.unknownTag("data")
		}
		v, err := d.value(depth)
		if items == nil {
			items = make([]any, 0, 4)
		}
		items = append(items, v)
		return err
	})
	return items, err
}

func (d *decoder) structure(depth int) (any, error) {
	m := make(map[string]any)
	err := d.elements("struct", func() error {
		if string(d.tok.name()) != "member" {
			return d.unknownTag("struct")
		}
		return d.member(depth, m)
	})
	return m, err
}

func (d *decoder) member(depth int, m map[string]any) error {
	var (
		key      string
		haveName bool
		v        any
		haveVal  bool
	)
	err := d.elements("member", func() error {
		var err error
		switch name := string(d.tok.name()); {
		case name == "name" && !haveName:
			var text []byte
			text, err = d.leaf("name")
			key, haveName = xmlInternKey(text), true
		case name == "value" && haveName && !haveVal:
			v, err = d.value(depth)
			haveVal = true
		case name == "name" || name == "value":
			return xmlResponseErrorf("<member> needs one <name> followed by one <value>")
		default:
			return d.unknownTag("member")
		}
		return err
	})
	switch {
	case err != nil:
		return err
	case !haveName || !haveVal:
		return xmlResponseErrorf("<member> needs a <name> followed by a <value>")
	}
	m[key] = v // like Python, the last of duplicate names wins
	return nil
}

// elements reads the content of an element that holds elements and
// whitespace only, up to its end tag; child reads each child element,
// whose start tag is the current one.
func (d *decoder) elements(in string, child func() error) error {
	for {
		tok, err := d.tok.next()
		if err != nil {
			return err
		}
		switch tok {
		case tokText:
			if !d.tok.space() {
				return d.unexpectedText(in)
			}
		case tokEnd:
			return nil
		case tokStart:
			if err := child(); err != nil {
				return err
			}
		}
	}
}

// unexpectedText refuses the current text, which is not whitespace, inside
// the element in.
func (d *decoder) unexpectedText(in string) error {
	return xmlResponseErrorf("unexpected text %s in <%s>", wire.Quote(d.tok.appendText(nil)), in)
}

// unknownTag refuses the current start tag inside the element parent.
func (d *decoder) unknownTag(parent string) error {
	return xmlResponseErrorf("unknown tag %q in <%s>", d.tok.qname(), parent)
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

func xmlTooDeep(maxDepth int) error {
	return xmlServerErrorf(xmlErrNameValue, "arrays and structs nested deeper than %d levels", maxDepth)
}
