package rpc

import "bytes"

// EncodeJSON exposes the JSON-RPC result encoder to the external tests.
func EncodeJSON(buf *bytes.Buffer, v any) error { return encodeJSON(buf, v) }
