package pgstore_test

import (
	"context"
	"database/sql"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/godoo/godoo/models/pgstore"
)

// countConn counts the reads of a socket.
type countConn struct {
	net.Conn
	reads *atomic.Int64
}

func (c countConn) Read(p []byte) (int, error) {
	c.reads.Add(1)
	return c.Conn.Read(p)
}

// countDialer is lib/pq's plain dialing with the reads counted.
type countDialer struct{ reads *atomic.Int64 }

func (d countDialer) Dial(network, address string) (net.Conn, error) {
	c, err := net.Dial(network, address)
	if err != nil {
		return nil, err
	}
	return countConn{c, d.reads}, nil
}

func (d countDialer) DialTimeout(network, address string, timeout time.Duration) (net.Conn, error) {
	c, err := net.DialTimeout(network, address, timeout)
	if err != nil {
		return nil, err
	}
	return countConn{c, d.reads}, nil
}

// pageSQL answers a page of 80 records of about 1 KB each, 80 KB in all.
const pageSQL = `SELECT n, repeat('x', 1000) FROM generate_series(1, 80) n`

// readPage runs pageSQL on one connection of db and returns how many socket
// reads its answer took, counted by reads.
func readPage(t *testing.T, db *sql.DB, reads *atomic.Int64) int64 {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	reads.Store(0)
	rows, err := conn.QueryContext(ctx, pageSQL)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var n int
		var s string
		if err := rows.Scan(&n, &s); err != nil {
			t.Fatal(err)
		}
		if n != got+1 || len(s) != 1000 {
			t.Fatalf("record %d: n = %d, %d bytes", got+1, n, len(s))
		}
		got++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got != 80 {
		t.Fatalf("%d records, want 80", got)
	}
	return reads.Load()
}

// TestPoolReadsBuffered checks that a database's pool reads a page of 80
// records in fewer socket reads than lib/pq's 4 KB buffer takes (at least
// 20 for 80 KB), and that the maintenance pool dials through the same
// buffer.
func TestPoolReadsBuffered(t *testing.T) {
	dsn := testDSN(t)
	var reads, dials atomic.Int64
	s := newStore(t, pgstore.WithConnWrap(func(c net.Conn) net.Conn {
		dials.Add(1)
		return countConn{c, &reads}
	}))
	ctx := context.Background()
	if _, err := s.Exists(ctx, prefix(t)+"none"); err != nil {
		t.Fatal(err)
	}
	if dials.Load() == 0 {
		t.Fatal("the maintenance pool did not dial through the store's dialer")
	}
	name := prefix(t) + "page"
	mustCreate(t, s, name, 1)
	db, err := s.Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	buffered := readPage(t, db.DB, &reads)

	_, conn, err := pgstore.ConnStrings(dsn, name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := pq.NewConnector(conn)
	if err != nil {
		t.Fatal(err)
	}
	var plainReads atomic.Int64
	c.Dialer(countDialer{&plainReads})
	plain := sql.OpenDB(c)
	defer plain.Close()
	unbuffered := readPage(t, plain, &plainReads)

	t.Logf("socket reads for 80 KB: %d buffered, %d through lib/pq's buffer alone", buffered, unbuffered)
	if unbuffered < 20 {
		t.Fatalf("lib/pq alone read 80 KB in %d reads; the baseline is not what this test assumes", unbuffered)
	}
	// The server sends 8 KB at a time: at worst, with every piece read as
	// it arrives, the buffered pool reads about 11 times.
	if buffered >= unbuffered {
		t.Errorf("buffered pool: %d socket reads, want fewer than lib/pq's %d", buffered, unbuffered)
	}
}
