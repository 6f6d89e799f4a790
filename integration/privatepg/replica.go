package privatepg

import (
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// StartReplica makes a streaming replica of primary (a hot standby):
// pg_basebackup -R copies the primary's data into a new temporary
// directory and writes the settings that make it follow the primary, and
// the copy is started on a free port of its own. It replays the primary's
// changes until it is stopped; it is stopped and its directory removed
// when the test ends. The private servers trust replication connections on
// loopback and on their socket (initdb --auth=trust), so no role or
// pg_hba.conf change is needed.
func StartReplica(primary *Server) *Server {
	tb := primary.tb
	tb.Helper()
	dir, err := os.MkdirTemp("", "privatepg-replica-")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{tb: tb, bin: primary.bin, dir: dir, settings: primary.settings, cred: primary.cred,
		logPath: filepath.Join(dir, "server.log")}
	tb.Cleanup(s.cleanup)
	if s.cred != nil {
		if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			tb.Fatal(err)
		}
	}
	out, err := s.command("pg_basebackup", "-D", s.dataDir(), "-R", "-X", "stream", "--no-sync",
		"-h", primary.dir, "-p", strconv.Itoa(primary.port), "-U", "postgres").CombinedOutput()
	if err != nil {
		tb.Fatalf("privatepg: pg_basebackup: %v\n%s", err, out)
	}
	for try := 1; ; try++ {
		if s.port, err = freePort(); err != nil {
			tb.Fatal(err)
		}
		err = s.start(nil) // hot_standby is on by default
		if err == nil {
			return s
		}
		if try == 3 || !strings.Contains(s.Log(), "could not bind") {
			tb.Fatalf("privatepg: replica: %v\n%s", err, s.Log())
		}
	}
}

// OpenDB opens a database/sql pool of dsn, closed when the test ends.
func OpenDB(tb testing.TB, dsn string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
