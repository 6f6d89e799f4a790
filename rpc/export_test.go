package rpc

import (
	"bytes"
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
