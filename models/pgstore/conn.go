package pgstore

import (
	"context"
	"database/sql"
	"net"
	"time"

	"github.com/lib/pq"
)

// readBufSize is the read buffer of a connection to PostgreSQL. lib/pq reads
// the server's messages through a 4 KB bufio.Reader, one read system call per
// 4 KB: a page of 80 records took about eight. The server sends its answer in
// pieces of 8 KB (its send buffer) that arrive at once on a local socket, so
// a buffer of 32 KB takes a whole answer of that size in one or two calls.
const readBufSize = 32 << 10

// dialer dials PostgreSQL as lib/pq's own dialer does (a zero net.Dialer:
// the operating system's connect timeout, Go's default TCP keepalive;
// connect_timeout is applied by lib/pq around it) and reads each connection
// through a readBufSize buffer.
type dialer struct {
	d net.Dialer
	// wrap, when set (tests), wraps the socket beneath the buffer.
	wrap func(net.Conn) net.Conn
}

// Dial dials without a deadline; lib/pq calls it when the DSN has no
// connect_timeout and the dialer has no DialContext, which ours has.
func (d dialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

// DialTimeout dials within timeout.
func (d dialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return d.DialContext(ctx, network, address)
}

// DialContext dials until ctx is done. lib/pq uses it to connect and to send
// a cancel request.
func (d dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, err := d.d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	if d.wrap != nil {
		c = d.wrap(c)
	}
	return &bufConn{Conn: c}, nil
}

// bufConn is a net.Conn whose reads are served from a buffer of readBufSize,
// filled with as much as the socket holds in one read. Deadlines, writes and
// Close go to the socket unchanged.
type bufConn struct {
	net.Conn
	buf  []byte // allocated on the first read that needs it
	r, w int    // buf[r:w] is read and not yet served
}

// Read serves p from the buffer, refilling it with one read of the socket
// when it is empty. A p at least as large as the buffer is read into
// directly, with nothing to gain from copying.
func (c *bufConn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if c.r == c.w {
		if len(p) >= readBufSize {
			return c.Conn.Read(p)
		}
		if c.buf == nil {
			c.buf = make([]byte, readBufSize)
		}
		n, err := c.Conn.Read(c.buf)
		c.r, c.w = 0, n
		if n == 0 {
			return 0, err
		}
		// A socket returns no data with an error; were it to, the error
		// would be met again by the next read of the socket.
	}
	n := copy(p, c.buf[c.r:c.w])
	c.r += n
	return n, nil
}

// openDB returns a pool of connections to conn, a key=value connection
// string, dialed through d. Like sql.Open it does not connect.
func openDB(conn string, d dialer) (*sql.DB, error) {
	c, err := pq.NewConnector(conn)
	if err != nil {
		return nil, err
	}
	c.Dialer(d)
	return sql.OpenDB(c), nil
}
