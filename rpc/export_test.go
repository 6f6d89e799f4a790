package rpc

import (
	"bytes"
	"errors"
	"io"
	"net/http"
)

// EncodeJSON exposes the JSON-RPC result encoder to the external tests.
func EncodeJSON(buf *bytes.Buffer, v any) error { return encodeJSON(buf, v) }

// DecodeMethodCallXML decodes with the encoding/xml decoder alone, the
// reference for the fast parser.
func DecodeMethodCallXML(r io.Reader, maxDepth int) (string, []any, error) {
	if maxDepth <= 0 {
		maxDepth = xmlDefaultMaxDepth
	}
	return decodeWithEncodingXML(r, maxDepth)
}

// ParseMethodCallFast runs the fast parser alone; false means it leaves
// the document to encoding/xml.
func ParseMethodCallFast(body []byte, maxDepth int) (string, []any, bool) {
	return parseMethodCall(body, maxDepth)
}

// TableTemplateOf exposes the shared XML-RPC table templates: the template
// of names, and how many bytes the cache holds.
func TableTemplateOf(names []string) (any, int) {
	t := xmlTableTemplateOf(names)
	xmlTableTemplates.mu.RLock()
	defer xmlTableTemplates.mu.RUnlock()
	return t, xmlTableTemplates.bytes
}

// MaxTableTemplateBytes is the bound of the table template cache.
const MaxTableTemplateBytes = xmlMaxTableTemplateBytes

// ClientAddr exposes the client address a handler with proxy mode on or
// off takes from r.
func ClientAddr(r *http.Request, proxyMode bool) string {
	h := &Handler{opts: Options{ProxyMode: proxyMode}}
	return h.clientAddr(r)
}

// Abandoned exposes the marking of errors of calls whose client went away.
var Abandoned = abandoned

// DecodeJSON exposes the JSON body decoder; notJSON reports a body refused
// as not JSON (malformed or not UTF-8), with the reason in err.
func DecodeJSON(b []byte, maxLevel int) (v any, notJSON bool, err error) {
	v, err = decodeJSON(b, maxLevel)
	var syntax *jsonSyntaxError
	return v, errors.As(err, &syntax), err
}

// DecodeEnvelope exposes the JSON-RPC envelope decoder: the id as echoed,
// the params, and the error, with notJSON and notObject for the bodies
// Odoo answers with a 400.
func DecodeEnvelope(b []byte, maxDepth int) (id []byte, params any, notJSON, notObject bool, err error) {
	env, err := decodeEnvelope(b, maxDepth)
	var syntax *jsonSyntaxError
	return env.id, env.params, errors.As(err, &syntax), errors.Is(err, errJSONNotObject), err
}
