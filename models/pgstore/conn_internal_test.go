package pgstore

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
)

// chunkConn is a socket that answers each read with at most the next of its
// chunks, as a socket answers with what has arrived, then io.EOF.
type chunkConn struct {
	net.Conn
	chunks [][]byte
	reads  int
}

func (c *chunkConn) Read(p []byte) (int, error) {
	c.reads++
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0])
	if n == len(c.chunks[0]) {
		c.chunks = c.chunks[1:]
	} else {
		c.chunks[0] = c.chunks[0][n:]
	}
	return n, nil
}

// TestBufConnRead checks that bufConn serves a reader asking 4 KB at a time,
// as lib/pq's bufio.Reader does, with one socket read per arrived chunk,
// passes reads of a whole buffer straight through, and loses no byte.
func TestBufConnRead(t *testing.T) {
	data := make([]byte, 3*readBufSize+100)
	for i := range data {
		data[i] = byte(i * 7)
	}
	tests := []struct {
		name      string
		chunks    []int // sizes of the chunks the socket delivers
		ask       int   // size of the reader's p
		wantReads int   // socket reads, the final io.EOF included
	}{
		{"one chunk of 8 KB read by 4 KB", []int{8 << 10}, 4 << 10, 2},
		{"answers of 8 KB each", []int{8 << 10, 8 << 10, 8 << 10}, 4 << 10, 4},
		{"chunk larger than the buffer", []int{readBufSize + 100}, 4 << 10, 3},
		{"whole-buffer reads pass through", []int{readBufSize, readBufSize}, readBufSize, 3},
		{"odd sizes", []int{1, 5000, 3, 70000}, 4 << 10, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var chunks [][]byte
			want := data
			off := 0
			for _, n := range tt.chunks {
				chunks = append(chunks, data[off:off+n])
				off += n
			}
			want = want[:off]
			sock := &chunkConn{chunks: chunks}
			c := &bufConn{Conn: sock}
			var got []byte
			p := make([]byte, tt.ask)
			for {
				n, err := c.Read(p)
				got = append(got, p[:n]...)
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("read %d bytes, not the %d sent", len(got), len(want))
			}
			if sock.reads != tt.wantReads {
				t.Errorf("socket reads = %d, want %d", sock.reads, tt.wantReads)
			}
		})
	}
}
