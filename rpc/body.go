package rpc

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// Request bodies are bounded in one place, for every front (XML-RPC,
// JSON-RPC and the web routes, JSON-2, and the routes added with Route):
// Handler.ServeHTTP admits a request with bodyPolicy.admit, and the fronts
// read its body with bodyPolicy.read and answer its failures with
// writeBodyError.

// errBodyTimeout reports a body that was not received within the body
// read timeout: a client trickling its body must not hold a connection and
// a handler for minutes.
var errBodyTimeout = errors.New("rpc: the request body was not received in time")

// bodyPolicy bounds what receiving one request body may cost: max bytes
// and, from the moment the request is admitted, timeout to receive them.
type bodyPolicy struct {
	max     int64
	timeout time.Duration
}

// admit applies the policy to r before any handler sees it. A declared
// Content-Length over the limit is refused with 413 at once, without
// reading a byte of the body (and the connection is closed, so that the
// server does not read the rest either); any other body gets the time
// limit as a read deadline on the connection, and is cut at the size
// limit, which matters for chunked bodies. It reports whether the request
// may go on.
func (p bodyPolicy) admit(w http.ResponseWriter, r *http.Request) bool {
	if r.ContentLength > p.max {
		w.Header().Set("Connection", "close")
		writeBodyError(w, &http.MaxBytesError{Limit: p.max})
		return false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return true
	}
	if p.timeout > 0 {
		// The server clears the deadline when the body has been read
		// whole, before it watches the connection for the client going
		// away; a body read only in part is bounded by it to the end.
		// Writers that cannot set deadlines (tests' recorders) read
		// without one.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(p.timeout))
	}
	if r.ContentLength < 0 {
		// A body of declared length is cut at that length by net/http,
		// which is within the limit here: only one of unknown length
		// (chunked) needs cutting, and the others spare the reader.
		r.Body = http.MaxBytesReader(w, r.Body, p.max)
	}
	return true
}

// read returns the whole body of r in one buffer. A body of known length
// is read straight into a buffer of that size; a chunked one in chunks
// that are joined once at the end, so that a large body never leaves a
// trail of ever larger copies behind. A body over the limit fails with
// *http.MaxBytesError, one not received in time with errBodyTimeout.
func (p bodyPolicy) read(r *http.Request) ([]byte, error) {
	b, err := p.readAll(r)
	if x := exchangeOf(r.Context()); x != nil {
		x.bodyBytes = int64(len(b))
	}
	return b, err
}

// readAll is read, without noting the body's size.
func (p bodyPolicy) readAll(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if n := r.ContentLength; n >= 0 {
		if n > p.max {
			return nil, &http.MaxBytesError{Limit: p.max}
		}
		buf := make([]byte, n)
		_, err := io.ReadFull(r.Body, buf)
		return buf, bodyError(err)
	}
	var chunks [][]byte
	var total int64
	chunk := make([]byte, 0, 32<<10)
	for {
		n, err := r.Body.Read(chunk[len(chunk):cap(chunk)])
		chunk = chunk[:len(chunk)+n]
		if total += int64(n); total > p.max {
			return nil, &http.MaxBytesError{Limit: p.max}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bodyError(err)
		}
		if len(chunk) == cap(chunk) {
			chunks = append(chunks, chunk)
			chunk = make([]byte, 0, min(2*cap(chunk), 4<<20))
		}
	}
	chunks = append(chunks, chunk)
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	buf := make([]byte, 0, total)
	for _, c := range chunks {
		buf = append(buf, c...)
	}
	return buf, nil
}

// bodyError names why reading a body failed: over the limit, too slow,
// or cut short by the client.
func bodyError(err error) error {
	if err == nil {
		return nil // before the targets of errors.As, which escape
	}
	var tooBig *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &tooBig):
		return err
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return errBodyTimeout
	}
	return err
}

// writeBodyError answers a request whose body could not be read, and
// reports whether err was such a failure: 413 for a body over the limit,
// 408 for one not received in time (then the connection is closed), 400
// for one cut short. Other errors are left to the caller.
func writeBodyError(w http.ResponseWriter, err error) bool {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		http.Error(w, "Request Entity Too Large", http.StatusRequestEntityTooLarge)
	case errors.Is(err, errBodyTimeout):
		w.Header().Set("Connection", "close")
		http.Error(w, "Request Timeout", http.StatusRequestTimeout)
	case errors.Is(err, io.ErrUnexpectedEOF):
		http.Error(w, "Bad Request", http.StatusBadRequest)
	default:
		return false
	}
	return true
}
