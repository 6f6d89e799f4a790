package xmlrpc

import (
	"github.com/godoo/godoo/rpc/wire"

	"bytes"
	"sync"
)

// xmlParser is the fast path of DecodeMethodCall: a scanner over the whole
// request for the XML that XML-RPC clients write, about ten times quicker
// than encoding/xml token by token.
//
// It never decides an error. Whatever it does not handle, or finds wrong,
// makes it give up ("bail"), and DecodeMethodCall then decodes the request
// again with encoding/xml, which gives the result or the error. So the fast
// path only has to be right about the documents it accepts: for each of
// them it must return exactly what the encoding/xml decoder returns. It
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
// valid UTF-8, no "]]>" in text, "--" only to end a comment), and the
// XML-RPC structure that the encoding/xml decoder checks. Processing
// instructions other than the declaration, DOCTYPE and other <! ...>
// declarations, namespaces, attributes, other encodings, values that do not
// parse, and nesting beyond maxDepth all make it bail.
type xmlParser struct {
	s        []byte // the whole request
	i        int    // next byte to read
	maxDepth int

	// The last tag's name and character data are kept as offsets into s:
	// storing slices would cost a write barrier each while the GC runs.
	pending        bool // a self-closing element's end tag is due
	nameLo, nameHi int  // name of the last start or end tag
	rawLo, rawHi   int  // last character data as in s (CDATA: its content)
	cdata          bool // the character data is a CDATA section's content
	dirty          bool // it holds a reference or a \r: decode it with appendText

	text []byte // scratch for character data
	b64  []byte // scratch for base64 text, which is compacted in place
}

var xmlParserPool = sync.Pool{New: func() any { return &xmlParser{text: make([]byte, 0, 256)} }}

// parseMethodCall decodes a whole <methodCall> document, or reports false
// when encoding/xml must decide. The strings it returns never share memory
// with s.
func parseMethodCall(s []byte, maxDepth int) (method string, params []any, ok bool) {
	p := xmlParserPool.Get().(*xmlParser)
	p.s, p.i, p.maxDepth, p.pending = s, 0, maxDepth, false
	method, params, ok = p.document()
	p.s = nil
	if cap(p.text) <= 64<<10 && cap(p.b64) <= 64<<10 {
		xmlParserPool.Put(p)
	}
	if !ok {
		return "", nil, false
	}
	return method, params, true
}

func (p *xmlParser) document() (string, []any, bool) {
	if bytes.HasPrefix(p.s, xmlUTF8BOM) {
		p.i = 3
	}
	if !p.declaration() {
		return "", nil, false
	}
	// Prolog: whitespace and comments up to the root element.
	tok := p.next()
	for tok == xmlTokText && p.isSpace() {
		tok = p.next()
	}
	if tok != xmlTokStart || string(p.name()) != "methodCall" {
		return "", nil, false
	}
	method, params, ok := p.methodCall()
	if !ok {
		return "", nil, false
	}
	// Epilog: whitespace and comments only.
	for {
		switch p.next() {
		case xmlTokEOF:
			return method, params, true
		case xmlTokText:
			if !p.isSpace() {
				return "", nil, false
			}
		default:
			return "", nil, false
		}
	}
}

// ---------------------------------------------------------------------------
// XML-RPC structure, mirroring callDecoder step by step.

// endOf reports whether the token just read is the end tag of name.
func (p *xmlParser) endOf(tok xmlToken, name string) bool {
	return tok == xmlTokEnd && string(p.name()) == name
}

func (p *xmlParser) methodCall() (string, []any, bool) {
	var (
		method     string
		haveMethod bool
		params     []any
		haveParams bool
	)
	for {
		switch tok := p.next(); tok {
		case xmlTokText:
			if !p.isSpace() {
				return "", nil, false
			}
		case xmlTokEnd:
			if !p.endOf(tok, "methodCall") || !haveMethod || method == "" {
				return "", nil, false
			}
			if params == nil {
				params = []any{}
			}
			return method, params, true
		case xmlTokStart:
			switch string(p.name()) {
			case "methodName":
				if haveMethod {
					return "", nil, false
				}
				text, ok := p.leaf("methodName")
				if !ok {
					return "", nil, false
				}
				method, haveMethod = xmlInternKey(text), true
			case "params":
				if haveParams {
					return "", nil, false
				}
				var ok bool
				if params, ok = p.params(); !ok {
					return "", nil, false
				}
				haveParams = true
			default:
				return "", nil, false
			}
		default:
			return "", nil, false
		}
	}
}

func (p *xmlParser) params() ([]any, bool) {
	params := make([]any, 0, 8)
	for {
		switch tok := p.next(); tok {
		case xmlTokText:
			if !p.isSpace() {
				return nil, false
			}
		case xmlTokEnd:
			return params, p.endOf(tok, "params")
		case xmlTokStart:
			if string(p.name()) != "param" {
				return nil, false
			}
			v, ok := p.param()
			if !ok {
				return nil, false
			}
			params = append(params, v)
		default:
			return nil, false
		}
	}
}

func (p *xmlParser) param() (any, bool) {
	var (
		v    any
		seen bool
	)
	for {
		switch tok := p.next(); tok {
		case xmlTokText:
			if !p.isSpace() {
				return nil, false
			}
		case xmlTokEnd:
			return v, p.endOf(tok, "param") && seen
		case xmlTokStart:
			if string(p.name()) != "value" || seen {
				return nil, false
			}
			var ok bool
			if v, ok = p.value(0); !ok {
				return nil, false
			}
			seen = true
		default:
			return nil, false
		}
	}
}

// value decodes the content of a <value> element whose start tag has been
// read. depth is the number of enclosing arrays and structs.
func (p *xmlParser) value(depth int) (any, bool) {
	p.text = p.text[:0]
	for {
		switch tok := p.next(); tok {
		case xmlTokText:
			p.text = p.appendText(p.text)
		case xmlTokEnd:
			// <value>text</value> and <value/> are strings.
			if !p.endOf(tok, "value") {
				return nil, false
			}
			return xmlStringValue(p.text), true
		case xmlTokStart:
			if !xmlIsSpace(p.text) {
				return nil, false
			}
			v, ok := p.typed(depth)
			if !ok || !p.closeValue() {
				return nil, false
			}
			return v, true
		default:
			return nil, false
		}
	}
}

// closeValue reads the end of a <value> after its single typed child.
func (p *xmlParser) closeValue() bool {
	for {
		switch tok := p.next(); tok {
		case xmlTokText:
			if !p.isSpace() {
				return false
			}
		case xmlTokEnd:
			return p.endOf(tok, "value")
		default:
			return false
		}
	}
}

// typed decodes the typed child of a <value> whose start tag is p.name().
func (p *xmlParser) typed(depth int) (any, bool) {
	switch string(p.name()) {
	case "string":
		text, fromBody, ok := p.leafText("string")
		if fromBody && len(text) >= wire.LargeStringBytes {
			return wire.AliasBody(text), ok
		}
		return xmlStringValue(text), ok
	case "int", "i4", "i8", "i1", "i2", "biginteger":
		text, ok := p.leaf(string(p.name()))
		if !ok {
			return nil, false
		}
		v, err := xmlParseInt(text)
		return v, err == nil
	case "boolean":
		text, ok := p.leaf("boolean")
		if !ok {
			return nil, false
		}
		switch string(xmlTrimSpace(text)) {
		case "1":
			return true, true
		case "0":
			return false, true
		}
		return nil, false
	case "double", "float", "bigdecimal":
		text, ok := p.leaf(string(p.name()))
		if !ok {
			return nil, false
		}
		v, err := xmlParseFloat(text)
		return v, err == nil
	case "nil":
		// Python ignores whatever <nil> contains.
		_, ok := p.leaf("nil")
		return nil, ok
	case "base64":
		text, ok := p.leaf("base64")
		if !ok {
			return nil, false
		}
		p.b64 = append(p.b64[:0], text...) // xmlParseBase64 compacts its argument
		v, err := xmlParseBase64(p.b64)
		return v, err == nil
	case "dateTime.iso8601":
		text, ok := p.leaf("dateTime.iso8601")
		if !ok {
			return nil, false
		}
		v, err := xmlParseDateTime(text)
		return v, err == nil
	case "array":
		if depth >= p.maxDepth {
			return nil, false
		}
		return p.array(depth + 1)
	case "struct":
		if depth >= p.maxDepth {
			return nil, false
		}
		return p.structure(depth + 1)
	}
	return nil, false
}

// leaf reads the character data of a leaf element up to its end tag, which
// must close name. The result is only valid until the next read: it is
// either a piece of the request or p.text.
func (p *xmlParser) leaf(name string) ([]byte, bool) {
	out, _, ok := p.leafText(name)
	return out, ok
}

// leafText is leaf that also says whether the text is a slice of the
// request body itself (one piece of plain text) rather than of the parser's
// scratch space, which the next request reuses.
func (p *xmlParser) leafText(name string) (out []byte, fromBody, ok bool) {
	inText := false // out is p.text
	for {
		switch tok := p.next(); tok {
		case xmlTokText:
			if out == nil && !p.dirty {
				out = p.raw() // the usual case: one piece of plain text
				continue
			}
			if !inText {
				p.text = append(p.text[:0], out...)
				inText = true
			}
			p.text = p.appendText(p.text)
			out = p.text
		case xmlTokEnd:
			return out, !inText, p.endOf(tok, name)
		default:
			return nil, false, false
		}
	}
}

func (p *xmlParser) array(depth int) (any, bool) {
	var (
		items    []any
		haveData bool
	)
	for {
		switch tok := p.next(); tok {
		case xmlTokText:
			if !p.isSpace() {
				return nil, false
			}
		case xmlTokEnd:
			if !p.endOf(tok, "array") {
				return nil, false
			}
			if items == nil {
				items = []any{}
			}
			return items, true
		case xmlTokStart:
			if string(p.name()) != "data" || haveData {
				return nil, false
			}
			haveData = true
			var ok bool
			if items, ok = p.data(depth); !ok {
				return nil, false
			}
		default:
			return nil, false
		}
	}
}

func (p *xmlParser) data(depth int) ([]any, bool) {
	var items []any
	for {
		switch tok := p.next(); tok {
		case xmlTokText:
			if !p.isSpace() {
				return nil, false
			}
		case xmlTokEnd:
			return items, p.endOf(tok, "data")
		case xmlTokStart:
			if string(p.name()) != "value" {
				return nil, false
			}
			v, ok := p.value(depth)
			if !ok {
				return nil, false
			}
			if items == nil {
				items = make([]any, 0, 4)
			}
			items = append(items, v)
		default:
			return nil, false
		}
	}
}

func (p *xmlParser) structure(depth int) (any, bool) {
	m := make(map[string]any)
	for {
		switch tok := p.next(); tok {
		case xmlTokText:
			if !p.isSpace() {
				return nil, false
			}
		case xmlTokEnd:
			return m, p.endOf(tok, "struct")
		case xmlTokStart:
			if string(p.name()) != "member" || !p.member(depth, m) {
				return nil, false
			}
		default:
			return nil, false
		}
	}
}

func (p *xmlParser) member(depth int, m map[string]any) bool {
	var (
		key      string
		haveName bool
		v        any
		haveVal  bool
	)
	for {
		switch tok := p.next(); tok {
		case xmlTokText:
			if !p.isSpace() {
				return false
			}
		case xmlTokEnd:
			if !p.endOf(tok, "member") || !haveName || !haveVal {
				return false
			}
			m[key] = v // like Python, the last of duplicate names wins
			return true
		case xmlTokStart:
			switch {
			case string(p.name()) == "name" && !haveName:
				text, ok := p.leaf("name")
				if !ok {
					return false
				}
				key, haveName = xmlInternKey(text), true
			case string(p.name()) == "value" && haveName && !haveVal:
				var ok bool
				if v, ok = p.value(depth); !ok {
					return false
				}
				haveVal = true
			default:
				return false
			}
		default:
			return false
		}
	}
}

// xmlCommonValues holds string values that recur in Odoo calls (models,
// methods, domain operators, field names), each boxed once, so that
// decoding them allocates nothing.
var xmlCommonValues = func() map[string]any {
	values := []string{
		"res.partner", "res.users", "res.company", "res.country", "res.currency", "res.groups",
		"product.product", "product.template", "sale.order", "sale.order.line", "account.move",
		"stock.picking", "crm.lead", "project.task", "ir.model", "ir.model.fields",
		"search_read", "read", "search", "search_count", "create", "write", "unlink", "copy",
		"name_search", "name_create", "fields_get", "read_group", "default_get", "check_access_rights",
		"web_search_read", "web_read", "onchange", "action_archive", "action_unarchive",
		"=", "!=", "<>", "<", ">", "<=", ">=", "in", "not in", "like", "ilike", "not like", "not ilike",
		"=like", "=ilike", "=?", "child_of", "parent_of", "any", "not any", "|", "&", "!",
		"en_US", "UTC", "id desc", "name asc", "create_date desc",
		"phone", "mobile", "city", "country_id", "parent_id", "is_company", "type", "ref", "street",
		"zip", "vat", "website", "comment", "create_date", "write_date", "create_uid", "write_uid",
		"login", "product_id", "order_id", "amount_total", "date", "code",
	}
	m := make(map[string]any, len(values)+len(xmlCommonKeys))
	for k := range xmlCommonKeys {
		m[k] = k
	}
	for _, v := range values {
		m[v] = v
	}
	return m
}()

// xmlStringValue returns the string value b holds, without allocating when
// it is a common one.
func xmlStringValue(b []byte) any {
	if len(b) <= 32 {
		if v, ok := xmlCommonValues[string(b)]; ok {
			return v
		}
	}
	return string(b)
}
