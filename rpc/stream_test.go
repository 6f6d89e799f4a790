package rpc

import (
	"bytes"
	"errors"
	"testing"
)

// TestWriteStreamedError checks that an answer whose encoding fails sends
// nothing, neither header nor bytes, so that the caller can answer its
// fault instead; and that a good one sends its length, then its pieces.
func TestWriteStreamedError(t *testing.T) {
	boom := errors.New("cannot marshal None")
	pieces := [][]byte{[]byte("<a>"), []byte("<b>"), []byte("</c>")}
	encode := func(fail bool) func(b []byte, sink func([]byte) error) ([]byte, error) {
		return func(b []byte, sink func([]byte) error) ([]byte, error) {
			for i, p := range pieces[:2] {
				if fail && i == 1 {
					return b, boom
				}
				if err := sink(p); err != nil {
					return b, err
				}
			}
			return append(b, pieces[2]...), nil
		}
	}
	var out bytes.Buffer
	headers := 0
	length := -1
	header := func(n int) { headers++; length = n }
	if err := writeStreamed(header, &out, encode(true)); !errors.Is(err, boom) || headers != 0 || out.Len() != 0 {
		t.Errorf("failing encoding: err %v, %d headers, %q written; want the error and nothing sent", err, headers, out.String())
	}
	if err := writeStreamed(header, &out, encode(false)); err != nil || headers != 1 || length != 10 || out.String() != "<a><b></c>" {
		t.Errorf("good encoding: err %v, %d headers, length %d, %q written", err, headers, length, out.String())
	}
}
