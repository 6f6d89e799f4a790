package xmlrpc

import "io"

// DecodeMethodCallXML decodes with the encoding/xml decoder alone, the
// reference for the fast parser.
func DecodeMethodCallXML(r io.Reader, maxDepth int) (string, []any, error) {
	if maxDepth <= 0 {
		maxDepth = xmlDefaultMaxDepth
	}
	return decodeStd(r, maxDepth)
}

// ParseMethodCallFast runs the fast parser alone; false means it leaves
// the document to encoding/xml.
func ParseMethodCallFast(body []byte, maxDepth int) (string, []any, bool) {
	return decodeScan(body, maxDepth)
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
