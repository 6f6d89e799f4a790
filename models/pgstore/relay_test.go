package pgstore_test

import (
	"net"
	"regexp"
	"sync"
	"testing"

	"github.com/godoo/godoo/models/pgstore"
)

// relay is a TCP relay on loopback in front of the PostgreSQL server of
// GODOO_TEST_DSN, which a test tells to refuse new connections (accept and
// close them at once, as a server that is not up yet) or to hold the
// traffic of open ones (a network that drops packets without closing
// anything). It is how the feed's tests make pq's listener see those
// faults exactly when they want.
type relay struct {
	t      *testing.T
	ln     net.Listener
	target string // the server: "tcp" host:port, or a Unix socket path
	net    string
	// refused receives one value per refused connection.
	refused chan struct{}

	mu     sync.Mutex
	refuse bool
	flow   chan struct{} // closed while traffic flows
	conns  []net.Conn
	closed chan struct{}
}

// newRelay starts a relay to the server of GODOO_TEST_DSN; traffic flows.
func newRelay(t *testing.T) *relay {
	t.Helper()
	maint, _, err := pgstore.ConnStrings(testDSN(t), "postgres")
	if err != nil {
		t.Fatal(err)
	}
	host, port := param(maint, "host", "localhost"), param(maint, "port", "5432")
	r := &relay{t: t, net: "tcp", target: net.JoinHostPort(host, port), refused: make(chan struct{}, 1024),
		flow: make(chan struct{}), closed: make(chan struct{})}
	if len(host) > 0 && host[0] == '/' {
		r.net, r.target = "unix", host+"/.s.PGSQL."+port
	}
	close(r.flow)
	if r.ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go r.accept()
	t.Cleanup(r.close)
	return r
}

var paramRE = map[string]*regexp.Regexp{
	"host": regexp.MustCompile(`(?:^| )host='((?:[^'\\]|\\.)*)'`),
	"port": regexp.MustCompile(`(?:^| )port='((?:[^'\\]|\\.)*)'`),
}

// param reads one parameter of a connection string as pgstore writes them.
func param(conn, key, def string) string {
	if m := paramRE[key].FindStringSubmatch(conn); m != nil && m[1] != "" {
		return m[1]
	}
	return def
}

// dsn is the connection string of GODOO_TEST_DSN's server through the
// relay: a later key overrides an earlier one.
func (r *relay) dsn() string {
	maint, _, err := pgstore.ConnStrings(testDSN(r.t), "postgres")
	if err != nil {
		r.t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(r.ln.Addr().String())
	return maint + " host='127.0.0.1' port='" + port + "'"
}

// setRefuse makes the relay refuse new connections, or pass them on.
func (r *relay) setRefuse(on bool) {
	r.mu.Lock()
	r.refuse = on
	r.mu.Unlock()
}

// hold keeps every byte of the open connections from now on, in both
// directions, until pass.
func (r *relay) hold() {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.flow:
		r.flow = make(chan struct{})
	default:
	}
}

// pass lets the held bytes and the following ones through.
func (r *relay) pass() {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.flow:
	default:
		close(r.flow)
	}
}

// close stops the relay and ends every connection through it.
func (r *relay) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.closed:
		return
	default:
	}
	close(r.closed)
	r.ln.Close()
	for _, c := range r.conns {
		c.Close()
	}
}

func (r *relay) accept() {
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		r.mu.Lock()
		refuse := r.refuse
		r.mu.Unlock()
		if refuse {
			c.Close()
			select {
			case r.refused <- struct{}{}:
			default: // nobody counts that many
			}
			continue
		}
		s, err := net.Dial(r.net, r.target)
		if err != nil {
			c.Close()
			continue
		}
		r.mu.Lock()
		select {
		case <-r.closed:
			c.Close()
			s.Close()
		default:
			r.conns = append(r.conns, c, s)
			go r.pipe(c, s)
			go r.pipe(s, c)
		}
		r.mu.Unlock()
	}
}

// pipe copies src to dst, chunk by chunk, each when traffic flows.
func (r *relay) pipe(src, dst net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			r.mu.Lock()
			flow := r.flow
			r.mu.Unlock()
			select {
			case <-flow:
			case <-r.closed:
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return // the end of the connection, or of the relay
		}
	}
}
