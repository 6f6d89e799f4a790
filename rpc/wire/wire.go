// Package wire holds what godoo's two wire formats, XML-RPC (rpc/xmlrpc)
// and JSON (rpc/jsonrpc), share: how a decoded string may keep pointing
// into the request body it came from, and how a piece of client data is
// quoted in an error message. It knows no HTTP and no protocol.
package wire

import (
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// LargeStringBytes is the length from which a string value decoded from a
// request body shares the body's memory instead of being copied out of it.
// A file or a long text sent in one call is then held once, not twice, on
// its way to the database. Smaller strings are copied, so that a short
// value kept after the call (in a cache, a log) never pins a whole body.
const LargeStringBytes = 1 << 20

// AliasBody returns b as a string without copying it. b must be a slice of
// a request body, which godoo reads into a buffer of its own per request
// and never writes to after reading (bodies are not pooled), so the string
// stays immutable for as long as anything refers to it.
func AliasBody(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Quote renders (a prefix of) client data for an error message: at most
// 40 bytes, cut at a character boundary, in Go's quoted form.
func Quote(b []byte) string {
	const max = 40
	if len(b) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(b[cut]) {
			cut--
		}
		return strconv.Quote(string(b[:cut])) + "..."
	}
	return strconv.Quote(string(b))
}

// Flusher hands what an encoder has appended to a sink once it holds At
// bytes or more, at the points where the encoder calls Flush (between two
// records of a table), so that a large answer is written in pieces.
type Flusher struct {
	// Sink takes the output; nil keeps it all in the buffer.
	Sink func([]byte) error
	At   int
}

// Long reports whether s is a string to write in pieces (Pieces): one
// longer than a piece, while the output goes to a sink.
func (f *Flusher) Long(s string) bool { return f.Sink != nil && len(s) > f.At }

// Pieces appends s through appendPiece (the encoder's escaping of a
// string's content) At bytes at a time, handing b to the sink after each
// piece, so that a long string (an attachment's base64 content) is never
// copied whole into the answer. A piece ends where a UTF-8 sequence
// starts, so that escaping the pieces one by one writes what escaping s
// whole does, invalid sequences included.
func (f *Flusher) Pieces(b []byte, s string, appendPiece func([]byte, string) []byte) ([]byte, error) {
	size := max(f.At, utf8.UTFMax)
	for len(s) > size {
		n := size
		// A sequence has at most three continuation bytes: when four
		// come in a row, s[size] belongs to none and the cut is safe.
		for k := 0; k < 3 && !utf8.RuneStart(s[n]); k++ {
			n--
		}
		if !utf8.RuneStart(s[n]) {
			n = size
		}
		b = appendPiece(b, s[:n])
		s = s[n:]
		if err := f.Sink(b); err != nil {
			return b, err
		}
		b = b[:0]
	}
	return appendPiece(b, s), nil
}

// Flush hands b to the sink when it is due, and returns what to go on
// appending to: b itself, or b[:0] once the sink has it.
func (f *Flusher) Flush(b []byte) ([]byte, error) {
	if f.Sink == nil || len(b) < f.At {
		return b, nil
	}
	return b[:0], f.Sink(b)
}

// HasAll reports whether m holds every key of keys. A streamed answer
// checks it before writing a record by its key template: once a long
// value has gone to the sink, what was written of the record cannot be
// taken back, so the template's fallback must be decided first.
func HasAll(m map[string]any, keys []string) bool {
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}
