package rpc

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
)

// An answer larger than net/http's connection buffer (4 KB) leaves in two
// writes: the headers with the start of the body, then the rest. On
// loopback each write runs the whole TCP path and may wake the client
// once more; the search_read of 80 records (18 to 63 KB) paid it at every
// call. Listener and ConnContext let the handler hold the writes of one
// whole answer on its connection and send them with one write.

// oneWriteMin is the smallest body held for one write: below it, headers
// and body fit in net/http's buffer, which already leaves in one write.
const oneWriteMin = 2 << 10

// oneWriteMax is the largest body held: the copy it costs grows with the
// answer, while the write it saves does not.
const oneWriteMax = 512 << 10

// oneWriteBudget bounds the bytes held across all connections at once:
// beyond it, an answer leaves as net/http writes it, so that many large
// answers to slow clients cannot hold an unbounded amount of memory.
var oneWriteBudget int64 = 16 << 20

// heldBytes is what the connections hold now, against oneWriteBudget.
var heldBytes atomic.Int64

// Listener returns ln, whose connections can send a whole answer in one
// write. Serve it with ConnContext as the server's ConnContext, so that
// the handler finds the connection of a request; without it, answers
// leave as net/http writes them.
func Listener(ln net.Listener) net.Listener { return answerListener{ln} }

type answerListener struct{ net.Listener }

func (l answerListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &answerConn{Conn: c}, nil
}

type answerConnKey struct{}

// ConnContext is the http.Server's ConnContext for a Listener: it puts the
// connection in the context of its requests.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if ac, ok := c.(*answerConn); ok {
		return context.WithValue(ctx, answerConnKey{}, ac)
	}
	return ctx
}

// answerConnOf returns the connection of a request served through a
// Listener with ConnContext, else nil.
func answerConnOf(ctx context.Context) *answerConn {
	c, _ := ctx.Value(answerConnKey{}).(*answerConn)
	return c
}

// answerConn is a connection that can hold what is written to it, between
// hold and release, and send it in one write at release. Only the
// request's handler writes while it holds (net/http writes a connection
// from the goroutine that serves its request), so it needs no lock.
type answerConn struct {
	net.Conn
	held *[]byte // the pooled buffer of what is held; nil when not holding
	// budget is what hold took of oneWriteBudget.
	budget int64
}

func (c *answerConn) Write(p []byte) (int, error) {
	if c.held == nil {
		return c.Conn.Write(p)
	}
	*c.held = append(*c.held, p...)
	return len(p), nil
}

// hold starts holding the writes of an answer of about n bytes, and
// reports whether it does: not when oneWriteBudget has no room for n.
func (c *answerConn) hold(n int) bool {
	if heldBytes.Add(int64(n)) > oneWriteBudget {
		heldBytes.Add(-int64(n))
		return false
	}
	c.budget = int64(n)
	bp := getBuf()
	if cap(*bp) < n {
		*bp = make([]byte, 0, n)
	}
	c.held = bp
	return true
}

// release sends what was held in one write, and returns how many bytes
// were held and sent. When the write fails, the client has gone or the
// write deadline has passed: the connection is closed, since net/http
// took the answer as written and would otherwise wait for the next
// request on it, and the error is returned.
func (c *answerConn) release() (held, sent int, err error) {
	bp := c.held
	c.held = nil
	held = len(*bp)
	sent, err = c.Conn.Write(*bp)
	if err != nil {
		_ = c.Conn.Close()
	}
	putBuf(bp, *bp)
	heldBytes.Add(-c.budget)
	c.budget = 0
	return held, sent, err
}

// CloseWrite passes on the half close with which net/http ends a
// connection gracefully.
func (c *answerConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// ReadFrom keeps the connection's own ReadFrom (sendfile, splice) for the
// answers net/http copies from a reader.
func (c *answerConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok && c.held == nil {
		return rf.ReadFrom(r)
	}
	return io.Copy(writerOnly{c}, r)
}

// writerOnly hides a writer's ReadFrom, so that io.Copy does not call it
// again.
type writerOnly struct{ io.Writer }

// writeBody writes body, the whole answer, whose Content-Length is set:
// in one write to the connection when the request came through a
// Listener, else as net/http writes it.
func writeBody(w http.ResponseWriter, body []byte) {
	if rw, ok := w.(*recorder); ok && rw.conn != nil && len(body) >= oneWriteMin && len(body) <= oneWriteMax {
		rw.writeWhole(body)
		return
	}
	_, _ = w.Write(body)
}

// writeWhole writes body and flushes it through net/http's buffers while
// the connection holds them, then sends headers and body in one write.
// When that write fails, the exchange counts only the bytes of body that
// left and notes the failure, as the client going away.
func (w *recorder) writeWhole(body []byte) {
	f, ok := w.ResponseWriter.(http.Flusher)
	if !ok || !w.conn.hold(len(body)+1<<10) {
		_, _ = w.Write(body)
		return
	}
	_, _ = w.Write(body)
	f.Flush()
	held, sent, err := w.conn.release()
	if err != nil {
		// The held bytes end with body; what came before is the head.
		w.x.bytes -= int64(len(body) - max(0, sent-(held-len(body))))
		w.x.noteWriteError(err)
	}
}
