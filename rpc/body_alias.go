package rpc

import "unsafe"

// largeStringBytes is the length from which a string value decoded from a
// request body shares the body's memory instead of being copied out of it.
// A file or a long text sent in one call is then held once, not twice, on
// its way to the database. Smaller strings are copied, so that a short
// value kept after the call (in a cache, a log) never pins a whole body.
const largeStringBytes = 1 << 20

// aliasBody returns b as a string without copying it. b must be a slice of
// a request body, which godoo reads into a buffer of its own per request
// and never writes to after reading (bodies are not pooled), so the string
// stays immutable for as long as anything refers to it.
func aliasBody(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}
