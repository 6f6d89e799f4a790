package privatepg

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Bouncer is a PgBouncer in front of a private server, in transaction
// pooling mode: each transaction (each statement outside one) may run on
// another server connection, so nothing of a session survives from one
// to the next.
type Bouncer struct {
	port int
	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

// StartPgBouncer starts PgBouncer in transaction mode on a free port, in
// front of s, with at most poolSize server connections per database and
// user, so that clients share them. It skips the test, saying why, only
// when the machine has no pgbouncer (.ci/run installs it). It is stopped
// when the test ends.
func StartPgBouncer(s *Server, poolSize int) *Bouncer {
	tb := s.tb
	tb.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/pgbouncer"); serr != nil {
			tb.Skipf("privatepg: no pgbouncer on the PATH nor in /usr/sbin (apt-get install pgbouncer): %v", err)
		}
		bin = "/usr/sbin/pgbouncer"
	}
	dir := filepath.Join(s.dir, "pgbouncer")
	if err := os.Mkdir(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	users := filepath.Join(dir, "users.txt")
	if err := os.WriteFile(users, []byte(`"postgres" ""`+"\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	b := &Bouncer{log: filepath.Join(dir, "pgbouncer.log")}
	for try := 1; ; try++ {
		if b.port, err = freePort(); err != nil {
			tb.Fatal(err)
		}
		// extra_float_digits is a startup parameter lib/pq sends that
		// PgBouncer does not pool by.
		conf := fmt.Sprintf(`[databases]
* = host=127.0.0.1 port=%d
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s
pool_mode = transaction
default_pool_size = %d
max_client_conn = 1000
ignore_startup_parameters = extra_float_digits
logfile = %s
`, s.port, b.port, users, poolSize, b.log)
		ini := filepath.Join(dir, "pgbouncer.ini")
		if err := os.WriteFile(ini, []byte(conf), 0o644); err != nil {
			tb.Fatal(err)
		}
		if s.cred != nil {
			for _, f := range []string{dir, users, ini} {
				if err := os.Chown(f, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
					tb.Fatal(err)
				}
			}
		}
		// PgBouncer refuses to run as root: it runs as the server's user.
		b.cmd = exec.Command(bin, ini)
		b.cmd.Dir = dir
		b.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Pdeathsig: syscall.SIGKILL}
		if err := b.cmd.Start(); err != nil {
			tb.Fatalf("privatepg: starting pgbouncer: %v", err)
		}
		b.done = make(chan struct{})
		go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(b.cmd, b.done)
		if err = b.waitListening(); err == nil {
			tb.Cleanup(b.stop)
			return b
		}
		b.stop()
		if try == 3 || !strings.Contains(b.Log(), "bind") {
			tb.Fatalf("privatepg: pgbouncer: %v\n%s", err, b.Log())
		}
	}
}

// DSN is the URL of database dbname through the pooler.
func (b *Bouncer) DSN(dbname string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", b.port, dbname)
}

// Log returns PgBouncer's log.
func (b *Bouncer) Log() string {
	out, err := os.ReadFile(b.log)
	if err != nil {
		return err.Error()
	}
	return string(out)
}

// waitListening waits until the pooler accepts TCP connections.
func (b *Bouncer) waitListening() error {
	deadline := time.Now().Add(readyTimeout)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", b.port), time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-b.done:
			return fmt.Errorf("pgbouncer exited before it listened")
		case <-time.After(pollEvery):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pgbouncer does not listen after %s: %v", readyTimeout, err)
		}
	}
}

// stop ends PgBouncer at once (SIGTERM; SIGINT would wait for its
// clients to leave) and waits for it.
func (b *Bouncer) stop() {
	select {
	case <-b.done:
		return
	default:
	}
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.done:
	case <-time.After(stopTimeout):
		_ = b.cmd.Process.Kill()
		<-b.done
	}
}
