package sqlitestore

import (
	"context"
	"database/sql"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/godoo/godoo/models"
)

var _ models.CommitCounter = (*Store)(nil)

// The WAL index (the -shm file next to a database in WAL mode) begins with a
// header that every committing connection, in any process, rewrites: its
// iChange counter moves at each write transaction, mxFrame at each frame
// appended, and the salts when the log restarts (see SQLite's walformat
// documentation). Reading those words from a shared read-only mapping tells
// whether anything was committed since an earlier read, for the price of
// four memory loads instead of a query.
const (
	shmHeaderSize = 136 // two header copies and the checkpoint info
	offIChange    = 8
	offMxFrame    = 16
	offSalt0      = 32
	offSalt1      = 36
)

// markProbe is the mapping of one database's WAL index. It keeps a
// connection of its own open, so that the -shm file it maps is never
// deleted by a last connection closing: the mapping stays the live one.
type markProbe struct {
	db   *sql.DB
	conn *sql.Conn
	m    []byte
}

func (p *markProbe) close() {
	if p.m != nil {
		_ = syscall.Munmap(p.m)
	}
	if p.conn != nil {
		_ = p.conn.Close()
	}
	_ = p.db.Close()
}

func (p *markProbe) word(off int) uint32 {
	return atomic.LoadUint32((*uint32)(unsafe.Pointer(&p.m[off])))
}

// CommitMark returns the WAL index header's commit words of database name,
// mapping it on first use; ok is false when the database is not open here
// or its WAL index cannot be mapped.
func (s *Store) CommitMark(name string) (models.CommitMark, bool) {
	s.mu.Lock()
	p, ok := s.probes[name]
	open := s.pools.IsOpen(name)
	s.mu.Unlock()
	if !ok {
		if !open {
			return models.CommitMark{}, false
		}
		// The probe opens under the name's lock, so that it never races
		// a drop or rename closing the pool (its connection would keep the
		// file's WAL from being checkpointed before the file moves).
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		unlock, err := s.pools.Lock(ctx, name)
		if err != nil {
			return models.CommitMark{}, false
		}
		defer unlock()
		p = s.newProbe(name)
		s.mu.Lock()
		if !s.pools.IsOpen(name) {
			s.mu.Unlock()
			if p != nil {
				p.close()
			}
			return models.CommitMark{}, false
		}
		if old, raced := s.probes[name]; raced {
			if p != nil {
				p.close()
			}
			p = old
		} else {
			s.probes[name] = p
		}
		s.mu.Unlock()
	}
	if p == nil {
		return models.CommitMark{}, false
	}
	return models.CommitMark{p.word(offIChange), p.word(offMxFrame), p.word(offSalt0), p.word(offSalt1)}, true
}

// newProbe opens the probe of name, or returns nil when the WAL index
// cannot be mapped (a nil probe is remembered: the generation counter is
// then read on every check).
func (s *Store) newProbe(name string) *markProbe {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	db, err := sql.Open("sqlite", s.dsn(s.Path(name)))
	if err != nil {
		return nil
	}
	db.SetMaxOpenConns(1)
	p := &markProbe{db: db}
	if p.conn, err = db.Conn(ctx); err != nil {
		p.close()
		return nil
	}
	// A read makes sure the WAL index exists and is initialised.
	var n int
	if err := p.conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master").Scan(&n); err != nil {
		p.close()
		return nil
	}
	f, err := os.Open(s.Path(name) + "-shm")
	if err != nil {
		p.close()
		return nil
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.Size() < shmHeaderSize {
		p.close()
		return nil
	}
	if p.m, err = syscall.Mmap(int(f.Fd()), 0, shmHeaderSize, syscall.PROT_READ, syscall.MAP_SHARED); err != nil {
		p.m = nil
		p.close()
		return nil
	}
	return p
}

// closeProbe drops the probe of name, before its pool closes.
func (s *Store) closeProbe(name string) {
	s.mu.Lock()
	p := s.probes[name]
	delete(s.probes, name)
	s.mu.Unlock()
	if p != nil {
		p.close()
	}
}
