package rpc

import (
	"encoding/json"
	"io"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/jsonrpc"
)

// Large answers are written as they are encoded instead of whole: a
// search_read of 10 000 records made an answer of about 8 MB in a buffer
// that grew by copying itself (some 40 MB allocated and copied per call),
// and its time per record was twice the 80-record call's; a read of a
// 50 MB attachment held its answer (67 MB) beside the base64 text.

// streamMinValues is the number of values of a Table from which its answer
// is streamed: about 1 000 records of 8 fields. Smaller answers are
// encoded whole, in one pass.
var streamMinValues = 8192

// streamChunk is the size of the pieces a streamed answer is written in.
var streamChunk = 64 << 10

// streamMinString is the length of a string value from which a Table's
// answer is streamed: a read of an attachment's datas (a 50 MB file is
// 67 MB of base64) is then written in pieces of the string itself
// (wire.Flusher.Pieces) instead of being copied whole into the answer.
var streamMinString = 1 << 20

// streamable reports whether res is an answer to stream: a Table of many
// values, or one holding a long string.
func streamable(res any) bool {
	t, ok := res.(*models.Table)
	if !ok {
		return false
	}
	if len(t.Values) >= streamMinValues {
		return true
	}
	for _, v := range t.Values {
		if s, ok := v.(string); ok && len(s) >= streamMinString {
			return true
		}
	}
	return false
}

// writeStreamed writes the answer encode makes, a piece at a time. encode
// runs twice: first into a sink that only counts, which finds an encoding
// error before anything is sent (the caller then answers a fault, as for
// a buffered answer) and the answer's length, which header sends as the
// Content-Length Odoo sends; then into w. Encoding is deterministic, so
// both runs make the same bytes. Once the header is sent, a failed write
// means the client went away: nothing more can be answered, and
// writeStreamed returns nil.
func writeStreamed(header func(n int), w io.Writer, encode func(b []byte, sink func([]byte) error) ([]byte, error)) error {
	bp := getBuf()
	n := 0
	rest, err := encode((*bp)[:0], func(p []byte) error { n += len(p); return nil })
	if err != nil {
		putBuf(bp, rest)
		return err
	}
	header(n + len(rest))
	rest, err = encode(rest[:0], func(p []byte) error { _, err := w.Write(p); return err })
	if err == nil {
		_, _ = w.Write(rest)
	}
	putBuf(bp, rest)
	return nil
}

// streamResult is appendResult for a result that is not null, handing its
// output to sink as jsonrpc.Stream does.
func streamResult(b []byte, id json.RawMessage, res any, sink func([]byte) error) ([]byte, error) {
	b = append(b, `{"jsonrpc": "2.0", "id": `...)
	b = append(b, id...)
	b = append(b, `, "result": `...)
	b, err := jsonrpc.Stream(b, res, streamChunk, sink)
	if err != nil {
		return b, err
	}
	return append(b, '}'), nil
}
