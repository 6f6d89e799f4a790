// Package privatepg runs a PostgreSQL server of a test's own: initdb into a
// temporary directory, a free port on 127.0.0.1, started, stopped and
// restarted by the test with the PostgreSQL binaries installed on the
// machine. Tests that take the server away (restarts, outages, replicas,
// connection poolers in front of it) need one that no other test shares;
// the server of GODOO_TEST_DSN is shared by every test and every engineer.
//
// The server runs as the postgres OS user when the test runs as root,
// since initdb and postgres refuse to run as root. Its log is kept in the
// temporary directory and shown when the test fails.
package privatepg

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq" // the readiness check connects as a client would

	"github.com/godoo/godoo/models/storetest/sharedpg"
)

// Guards against a server that never becomes ready or never stops: a test
// that waits this long has failed, whatever the machine's load.
const (
	readyTimeout = 60 * time.Second
	stopTimeout  = 60 * time.Second
	pollEvery    = 20 * time.Millisecond
)

// baseSettings keep a test server light and quick: no fsync (its data is
// thrown away; a fast shutdown still checkpoints before a restart) and
// small shared buffers, since several servers may run on one machine.
var baseSettings = []string{"fsync=off", "shared_buffers=32MB", "max_connections=100"}

// Server is one private PostgreSQL server. Its superuser is postgres, with
// trust authentication on loopback and on its socket.
type Server struct {
	tb       testing.TB
	bin      string // directory of initdb and postgres
	dir      string // temporary directory: data/, the socket and the log
	port     int
	settings []string
	cred     *syscall.Credential // the postgres OS user when run as root
	logPath  string

	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
	err  error         // cmd's exit, once done is closed
}

// Start makes a new server (initdb, or a copy of its result under Main)
// and starts it on a free port. settings
// are name=value server settings for every start, besides the defaults. It
// skips the test, saying why, only when the machine has no PostgreSQL
// server binaries or, as root, no postgres user to run them as. The server
// is stopped and its directory removed when the test ends.
func Start(tb testing.TB, settings ...string) *Server {
	tb.Helper()
	bin, err := sharedpg.BinDir()
	if err != nil {
		tb.Skipf("privatepg: %v", err)
	}
	cred, err := sharedpg.ServerUser()
	if err != nil {
		tb.Skipf("privatepg: %v", err)
	}
	// The socket path must fit in 107 bytes: a short directory under the
	// system's temporary directory, not the test's long TempDir.
	dir, err := os.MkdirTemp("", "privatepg-")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{tb: tb, bin: bin, dir: dir, settings: slices.Concat(baseSettings, settings), cred: cred,
		logPath: filepath.Join(dir, "server.log")}
	tb.Cleanup(s.cleanup)
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := s.initData(); err != nil {
		tb.Fatal(err)
	}
	// Another process may take the free port before the server binds it:
	// then the server exits at once, and a new port is tried.
	for try := 1; ; try++ {
		if s.port, err = freePort(); err != nil {
			tb.Fatal(err)
		}
		err = s.start(nil)
		if err == nil {
			return s
		}
		if try == 3 || !strings.Contains(s.Log(), "could not bind") {
			tb.Fatalf("privatepg: %v\n%s", err, s.Log())
		}
	}
}

// Port is the server's TCP port on 127.0.0.1.
func (s *Server) Port() int { return s.port }

// DSN is the URL of database dbname on the server over TCP, as superuser.
func (s *Server) DSN(dbname string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, dbname)
}

// SocketDSN is the connection string of database dbname over the server's
// Unix socket, which works also when the server listens on no TCP address.
func (s *Server) SocketDSN(dbname string) string {
	return fmt.Sprintf("host='%s' port=%d user=postgres dbname='%s' sslmode=disable", s.dir, s.port, dbname)
}

// Dir is the server's temporary directory; its data directory is Dir/data.
func (s *Server) Dir() string { return s.dir }

// Log returns the end of the server's log.
func (s *Server) Log() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return err.Error()
	}
	const keep = 8000
	if len(b) > keep {
		b = b[len(b)-keep:]
	}
	return string(b)
}

// Start starts the stopped server again on its port and waits until it
// accepts connections. extra are name=value settings for this start only:
// "listen_addresses=" (empty) starts it reachable on its socket alone, so
// that the test can work on it while its TCP clients find it down.
func (s *Server) Start(extra ...string) {
	s.tb.Helper()
	if err := s.start(extra); err != nil {
		s.tb.Fatalf("privatepg: %v\n%s", err, s.Log())
	}
}

// Stop shuts the server down the fast way (SIGINT): open sessions are ended
// and the data is checkpointed. It waits until the server has exited.
func (s *Server) Stop() {
	s.tb.Helper()
	if err := s.stop(); err != nil {
		s.tb.Fatalf("privatepg: %v\n%s", err, s.Log())
	}
}

// Restart stops the server and starts it again with its own settings.
func (s *Server) Restart() {
	s.tb.Helper()
	s.Stop()
	s.Start()
}

func (s *Server) dataDir() string { return filepath.Join(s.dir, "data") }

// start runs postgres and waits until a client can connect.
func (s *Server) start(extra []string) error {
	if s.running() {
		return errors.New("the server is already running")
	}
	log, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer log.Close() // the server holds its own descriptor
	args := []string{"-D", s.dataDir(), "-p", strconv.Itoa(s.port), "-k", s.dir, "-c", "listen_addresses=127.0.0.1"}
	for _, set := range slices.Concat(s.settings, extra) {
		args = append(args, "-c", set)
	}
	cmd := s.command("postgres", args...)
	cmd.Stdout, cmd.Stderr = log, log
	// Should the test binary die (a test timeout), the server goes with it.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting postgres: %w", err)
	}
	s.cmd, s.done = cmd, make(chan struct{})
	go func(done chan struct{}) {
		s.err = cmd.Wait()
		close(done)
	}(s.done)
	// Ready once a client gets in: over the socket, which every start
	// listens on (the TCP address may be switched off by extra).
	err = sharedpg.WaitReady(s.SocketDSN("postgres")+" connect_timeout=5", s.done, readyTimeout)
	switch {
	case errors.Is(err, sharedpg.ErrExited):
		return fmt.Errorf("postgres exited before it was ready (%v)", s.err)
	case err != nil:
		_ = s.stop()
		return err
	}
	return nil
}

// stop sends SIGINT and waits for the server to exit; a server still there
// after stopTimeout is killed.
func (s *Server) stop() error {
	if !s.running() {
		return nil
	}
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
		return nil
	case <-time.After(stopTimeout):
		_ = s.cmd.Process.Signal(syscall.SIGQUIT)
		<-s.done
		return fmt.Errorf("postgres did not stop within %s and was ended with SIGQUIT", stopTimeout)
	}
}

func (s *Server) running() bool {
	if s.done == nil {
		return false
	}
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// cleanup stops the server and removes its directory; the log goes into
// the test's output when the test failed.
func (s *Server) cleanup() {
	if err := s.stop(); err != nil {
		s.tb.Error(err)
	}
	if s.tb.Failed() {
		s.tb.Logf("privatepg: the server's log:\n%s", s.Log())
	}
	if err := os.RemoveAll(s.dir); err != nil {
		s.tb.Error(err)
	}
}

// Command is one of the server's PostgreSQL programs (pg_isready,
// pg_basebackup, psql, ...), of the same version, to run as the server's
// user in its directory.
func (s *Server) Command(name string, args ...string) *exec.Cmd { return s.command(name, args...) }

// command is one of the server's programs, run as the server's user.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	// The server's messages stay in English and its locale is its own,
	// whatever the test's environment says.
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LC_MESSAGES=C")
	return cmd
}

// freePort returns a TCP port on 127.0.0.1 that is free now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
