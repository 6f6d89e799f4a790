package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HTTP is the client side of the godoo scenarios. Each client keeps one
// keep-alive connection of its own and speaks HTTP/1.1 on it directly: it
// writes a request, then reads the answer on the same goroutine. net/http's
// client hands every request and answer between the caller and two
// goroutines per connection; on the two cores that the server and the
// database share, those hand-offs made the bench's own work a large part of
// every call's time, which the SQL yardstick (lib/pq reads and writes on
// the caller's goroutine) does not pay.
type HTTP struct {
	dialer net.Dialer
	mu     sync.Mutex
	conns  map[int]*conn
}

// NewHTTP returns the client side of up to conns concurrent clients (a
// hint: more are made as needed).
func NewHTTP(conns int) *HTTP {
	return &HTTP{dialer: net.Dialer{Timeout: 10 * time.Second}, conns: make(map[int]*conn, conns)}
}

// CloseIdle closes every client's connection; call it when no run is going.
func (h *HTTP) CloseIdle() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.conns {
		c.close()
	}
}

// conn is one client's side of the HTTP scenarios: its connection, and its
// request and answer buffers, reused from call to call.
type conn struct {
	h    *HTTP
	nc   net.Conn
	br   *bufio.Reader
	addr string // of nc
	req  []byte
	buf  []byte
}

// conn returns the connection of client number i. Runs follow each other,
// and in a run each client is one goroutine, so the connections (and the
// server's side of them) are made once and kept from run to run. Scenarios
// that run clients beside others (the flood) use an HTTP of their own.
func (h *HTTP) conn(i int) *conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.conns[i]
	if c == nil {
		c = &conn{h: h}
		h.conns[i] = c
	}
	return c
}

// has reports whether client i has an open connection.
func (h *HTTP) has(i int) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.conns[i]
	return c != nil && c.nc != nil
}

// close drops the connection, after an error or when the server asked.
func (c *conn) close() {
	if c.nc != nil {
		c.nc.Close()
		c.nc, c.br = nil, nil
	}
}

// do sends one request and returns the whole response body, which stays
// valid until the next call. Any status but 200 is an error. url is
// http://host[:port]/path.
func (c *conn) do(ctx context.Context, method, url string, header http.Header, body []byte) ([]byte, error) {
	rest, ok := strings.CutPrefix(url, "http://")
	if !ok {
		return nil, fmt.Errorf("bench: only http:// URLs, got %q", url)
	}
	addr, path := rest, "/"
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		addr, path = rest[:i], rest[i:]
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "80")
	}
	c.req = c.request(method, path, addr, header, body)
	for try := 0; ; try++ {
		if c.nc != nil && c.addr != addr {
			c.close()
		}
		reused := c.nc != nil
		if !reused {
			nc, err := c.h.dialer.DialContext(ctx, "tcp", addr)
			if err != nil {
				return nil, err
			}
			c.nc, c.br, c.addr = nc, bufio.NewReaderSize(nc, 32<<10), addr
		}
		out, err := c.exchange(ctx)
		// A kept connection that the server closed meanwhile (it drops
		// idle ones) fails before any answer: the call is sent again once
		// on a new connection, as net/http's client does for idempotent
		// calls. (Were the server to have made a partner before closing,
		// create-unlink would leave one behind in the scratch database.)
		if err != nil && reused && try == 0 && errors.Is(err, errStale) {
			continue
		}
		return out, err
	}
}

// request writes the request into c.req's buffer.
func (c *conn) request(method, path, addr string, header http.Header, body []byte) []byte {
	r := append(c.req[:0], method...)
	r = append(r, ' ')
	r = append(r, path...)
	r = append(r, " HTTP/1.1\r\nHost: "...)
	r = append(r, addr...)
	r = append(r, "\r\n"...)
	for k, vs := range header {
		for _, v := range vs {
			r = append(r, k...)
			r = append(r, ": "...)
			r = append(r, v...)
			r = append(r, "\r\n"...)
		}
	}
	if body != nil || method == "POST" {
		r = append(r, "Content-Length: "...)
		r = strconv.AppendInt(r, int64(len(body)), 10)
		r = append(r, "\r\n"...)
	}
	r = append(r, "\r\n"...)
	return append(r, body...)
}

// exchange sends c.req on c.nc and reads the answer. Any failure closes
// the connection.
func (c *conn) exchange(ctx context.Context) ([]byte, error) {
	nc := c.nc
	// An ended context interrupts the call by moving the deadline into the
	// past; a connection it reached is not used again, since its deadline
	// stays.
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	defer func() {
		if !stop() {
			c.close()
		}
	}()
	if _, err := nc.Write(c.req); err != nil {
		c.close()
		return nil, fmt.Errorf("%w: %w", errStale, err)
	}
	status, keep, err := c.readResponse()
	if err != nil {
		c.close()
		return nil, err
	}
	if !keep {
		c.close()
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %s", status, excerpt(c.buf))
	}
	return c.buf, nil
}

// errStale marks a failure before any byte of the answer came.
var errStale = errors.New("bench: the connection failed before the answer")

var errMalformed = errors.New("bench: malformed HTTP answer")

// readResponse reads one answer into c.buf: its status, and whether the
// connection stays open.
func (c *conn) readResponse() (status int, keep bool, err error) {
	if _, err := c.br.Peek(1); err != nil {
		return 0, false, fmt.Errorf("%w: %w", errStale, err)
	}
	line, err := c.line()
	if err != nil {
		return 0, false, err
	}
	// HTTP/1.1 200 OK
	f := bytes.SplitN(line, []byte(" "), 3)
	if len(f) < 2 || !bytes.HasPrefix(f[0], []byte("HTTP/1.")) {
		return 0, false, errMalformed
	}
	if status, err = strconv.Atoi(string(f[1])); err != nil {
		return 0, false, errMalformed
	}
	keep = string(f[0]) == "HTTP/1.1"
	length, chunked := -1, false
	for {
		line, err := c.line()
		if err != nil {
			return 0, false, err
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, errMalformed
		}
		value = bytes.TrimSpace(value)
		switch {
		case asciiEqualFold(name, "Content-Length"):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return 0, false, errMalformed
			}
		case asciiEqualFold(name, "Transfer-Encoding"):
			chunked = asciiEqualFold(value, "chunked")
		case asciiEqualFold(name, "Connection"):
			if asciiEqualFold(value, "close") {
				keep = false
			}
		}
	}
	c.buf = c.buf[:0]
	switch {
	case status < 200 || status == http.StatusNoContent || status == http.StatusNotModified:
		// No body, whatever the headers say.
	case chunked:
		for {
			line, err := c.line()
			if err != nil {
				return 0, false, err
			}
			if i := bytes.IndexByte(line, ';'); i >= 0 {
				line = line[:i]
			}
			n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 32)
			if err != nil || n < 0 {
				return 0, false, errMalformed
			}
			if n == 0 {
				break
			}
			if err := c.read(int(n)); err != nil {
				return 0, false, err
			}
			if line, err := c.line(); err != nil || len(line) != 0 {
				return 0, false, errMalformed
			}
		}
		for { // trailers, up to the empty line
			line, err := c.line()
			if err != nil {
				return 0, false, err
			}
			if len(line) == 0 {
				break
			}
		}
	case length >= 0:
		if err := c.read(length); err != nil {
			return 0, false, err
		}
	default:
		// No length: the body runs to the end of the connection.
		b, err := io.ReadAll(c.br)
		if err != nil {
			return 0, false, err
		}
		c.buf, keep = append(c.buf, b...), false
	}
	return status, keep, nil
}

// line reads one line without its CRLF; it is valid until the next read.
func (c *conn) line() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, errMalformed
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// read appends n body bytes to c.buf.
func (c *conn) read(n int) error {
	start := len(c.buf)
	if cap(c.buf)-start < n {
		grown := make([]byte, start, start+n+start/2)
		copy(grown, c.buf)
		c.buf = grown
	}
	c.buf = c.buf[:start+n]
	_, err := io.ReadFull(c.br, c.buf[start:])
	return err
}

func asciiEqualFold(b []byte, s string) bool {
	return len(b) == len(s) && strings.EqualFold(string(b), s)
}

// Check validates a response body.
type Check func(body []byte) error

// request returns a target that sends the same request on every call and
// checks each answer.
func (h *HTTP) request(method, url string, header http.Header, body []byte, check Check) Target {
	return func(client int) CallFunc {
		c := h.conn(client)
		return func(ctx context.Context) error {
			out, err := c.do(ctx, method, url, header, body)
			if err != nil {
				return err
			}
			return check(out)
		}
	}
}

// excerpt is the start of a body, for error messages.
func excerpt(b []byte) string {
	const n = 240
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
