// Package sharedpg runs the PostgreSQL cluster that the test processes of
// one machine share when GODOO_TEST_DSN is "private": a server of the
// tests' own, started from the installed PostgreSQL binaries with settings
// no production server would use (no fsync, no full-page writes, minimal
// WAL, rare checkpoints). Creating and dropping the suite's hundreds of
// databases is what a loaded machine waits for: on a server that syncs,
// every DROP DATABASE waits for a checkpoint and every copy of a template
// is written whole to the WAL.
//
// The cluster lives in a directory under os.TempDir, shared by every test
// process of the user. Its name is predictable, so the directory is
// trusted only if it is a real directory of the user's that no one else
// may write (see secureDir), its files are never followed through
// symbolic links, and the server listens on a Unix socket inside its data
// directory only: no other local user can reach it, although it trusts
// every client it gets. It is coordinated by flock(2) locks alone, which
// the kernel releases when a process dies however it dies:
//
//   - start.lock, held exclusively by a process joining (and by the
//     supervisor while it stops the server), so that joins and the stop
//     never interleave;
//   - users.lock, held shared by every process using the server, from its
//     join to its exit;
//   - supervisor.lock, held exclusively by the supervisor for its whole
//     life, and starting.lock, until its server is ready or has failed.
//
// The supervisor is the test binary run again in a mode of its own (see
// init). It starts the server as its child (which dies with it), waits
// until no process holds users.lock, lingers a little for the next test
// package of the same run, then stops the server and removes its data.
// A process that finds no supervisor, or one whose start-up failed,
// starts another; a killed test process holds nothing any more, and a
// killed supervisor takes its server with it.
package sharedpg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/lib/pq" // the readiness check connects as a client would
)

// Private is the value of GODOO_TEST_DSN that asks for the shared private
// cluster; any other non-empty value is the URL of a server to test on.
const Private = "private"

const (
	dsnVariable       = "GODOO_TEST_DSN"
	superviseVariable = "GODOO_SHAREDPG_SUPERVISE" // the supervisor's directory
	lingerVariable    = "GODOO_SHAREDPG_LINGER"    // the supervisor's linger
)

// Settings are the server's: fast and unsafe, since its data is thrown
// away. max_connections is high because several test processes, each with
// pools of its own, use the one server.
var Settings = []string{
	"fsync=off", "synchronous_commit=off", "full_page_writes=off",
	"wal_level=minimal", "max_wal_senders=0",
	"checkpoint_timeout=1h", "max_wal_size=4GB", "shared_buffers=128MB",
	"max_connections=300", "listen_addresses=", "unix_socket_permissions=0700",
}

// port is the server's: it only names the socket file in the server's own
// directory, so no other server can hold it.
const port = 5432

// linger is how long the supervisor keeps a server nobody uses: go test
// runs one package after another, and a package still compiling should
// find the server of the one before it rather than wait for initdb.
// The package's tests set it to 0.
var linger = 30 * time.Second

// Guards against a server that never becomes ready: a start that waits
// this long has failed, whatever the machine's load.
const (
	readyTimeout = 2 * time.Minute
	pollEvery    = 20 * time.Millisecond
)

// init resolves GODOO_TEST_DSN=private before any test reads the
// variable: the process joins the shared cluster (starting it if need
// be) and the variable becomes the cluster's URL, which child processes
// inherit. In the supervisor's mode the process supervises and exits.
func init() {
	if dir := os.Getenv(superviseVariable); dir != "" {
		os.Exit(supervise(dir))
	}
	if code := resolve(os.Stderr); code != 0 {
		os.Exit(code)
	}
}

// resolve replaces GODOO_TEST_DSN=private with the cluster's URL and
// returns the exit status the process must end with, 0 to go on. A
// machine without the PostgreSQL server binaries (or, as root, without a
// postgres user to run them as) lacks a resource, not a test: the variable
// is unset, so that the PostgreSQL tests skip and the SQLite ones still
// run, and the reason is printed once, since child processes inherit the
// unset variable.
func resolve(stderr io.Writer) int {
	if os.Getenv(dsnVariable) != Private {
		return 0
	}
	if err := available(); err != nil {
		fmt.Fprintf(stderr, "sharedpg: GODOO_TEST_DSN=private, but %v: PostgreSQL is not tested, SQLite only\n", err)
		if err := os.Unsetenv(dsnVariable); err != nil {
			fmt.Fprintf(stderr, "sharedpg: %v\n", err)
			return 2
		}
		return 0
	}
	dsn, err := Join(Dir())
	if err != nil {
		fmt.Fprintf(stderr, "sharedpg: GODOO_TEST_DSN=private: %v\n", err)
		return 2
	}
	if err := os.Setenv(dsnVariable, dsn); err != nil {
		fmt.Fprintf(stderr, "sharedpg: %v\n", err)
		return 2
	}
	return 0
}

// available reports why the machine cannot run a cluster, if it cannot.
// Tests replace it.
var available = func() error {
	if _, err := BinDir(); err != nil {
		return err
	}
	_, err := ServerUser()
	return err
}

// Dir is the directory of the user's shared cluster.
func Dir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("godoo-sharedpg-%d", os.Getuid()))
}

// Join makes the process a user of the cluster in dir, starting it when
// none runs, and returns its URL. The process stays a user until it exits.
func Join(dir string) (string, error) {
	dsn, leave, err := join(dir)
	if err == nil {
		joined.Lock()
		joined.leaves = append(joined.leaves, leave)
		joined.Unlock()
	}
	return dsn, err
}

// joined keeps the users.lock files of Join reachable: the garbage
// collector closes an unreachable file, which would release the lock
// while the process still uses the server.
var joined struct {
	sync.Mutex
	leaves []func()
}

// join is Join; leave ends the use before the process exits (tests).
func join(dir string) (dsn string, leave func(), err error) {
	if err := secureDir(dir, dirMode()); err != nil {
		return "", nil, err
	}
	start, err := lock(dir, "start.lock", syscall.LOCK_EX)
	if err != nil {
		return "", nil, err
	}
	defer start.Close()
	users, err := lock(dir, "users.lock", syscall.LOCK_SH)
	if err != nil {
		return "", nil, err
	}
	leave = func() { users.Close() }
	fail := func(err error) (string, func(), error) {
		leave()
		return "", nil, err
	}
	spawned := false
	for {
		alive, err := held(dir, "supervisor.lock")
		if err != nil {
			return fail(err)
		}
		if !alive {
			if spawned {
				log, _ := readPrivate(filepath.Join(dir, "supervisor.log"))
				return fail(fmt.Errorf("the shared cluster did not start; its supervisor said:\n%s", log))
			}
			if err := spawn(dir); err != nil {
				return fail(err)
			}
			spawned = true
		}
		// Wait for the supervisor's start-up to end, however it ends.
		if err := await(dir, "starting.lock"); err != nil {
			return fail(err)
		}
		if dsn, err := readPrivate(filepath.Join(dir, "state")); err == nil {
			return strings.TrimSpace(string(dsn)), leave, nil
		}
		// No server: its start-up failed. Once its supervisor has gone,
		// start another, once.
		if err := await(dir, "supervisor.lock"); err != nil {
			return fail(err)
		}
	}
}

// spawn starts a supervisor, handing it supervisor.lock and starting.lock
// already locked, so that no other process can take it for absent.
func spawn(dir string) error {
	super, err := lock(dir, "supervisor.lock", syscall.LOCK_EX|syscall.LOCK_NB)
	if err != nil {
		return err
	}
	defer super.Close()
	starting, err := lock(dir, "starting.lock", syscall.LOCK_EX|syscall.LOCK_NB)
	if err != nil {
		return err
	}
	defer starting.Close()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	out, err := createPrivate(filepath.Join(dir, "supervisor.log"))
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), superviseVariable+"="+dir, lingerVariable+"="+linger.String())
	cmd.Stdout, cmd.Stderr = out, out
	cmd.ExtraFiles = []*os.File{super, starting} // fds 3 and 4
	// A session of its own: the supervisor outlives the process that
	// started it, and a terminal's interrupt ends the tests, not it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the supervisor: %w", err)
	}
	return cmd.Process.Release()
}

// supervise runs the cluster in dir until no process uses it, and returns
// the process's exit status.
func supervise(dir string) int {
	// The locks came as fds 3 and 4; the server must not inherit them.
	for _, fd := range []int{3, 4} {
		syscall.CloseOnExec(fd)
	}
	starting := os.NewFile(4, "starting.lock")
	wait, err := time.ParseDuration(os.Getenv(lingerVariable))
	if err != nil {
		wait = linger
	}
	srv, err := startServer(dir)
	if err == nil {
		err = writeState(dir, srv.dsn())
	}
	starting.Close()
	if err != nil {
		fmt.Println(err)
		if srv != nil {
			srv.stop()
		}
		return 1
	}
	for {
		users, err := lock(dir, "users.lock", syscall.LOCK_EX)
		if err != nil {
			fmt.Println(err)
			srv.stop()
			return 1
		}
		if wait > 0 {
			users.Close()
			select {
			case <-srv.done:
			case <-time.After(wait):
			}
			if users, err = lock(dir, "users.lock", syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
				continue // in use again
			}
		}
		start, err := lock(dir, "start.lock", syscall.LOCK_EX|syscall.LOCK_NB)
		if err != nil {
			// A process is joining: let it, then wait for it to leave.
			users.Close()
			if start, err = lock(dir, "start.lock", syscall.LOCK_EX); err == nil {
				start.Close()
			}
			continue
		}
		// Nobody uses the server and nobody can join until it is gone.
		os.Remove(filepath.Join(dir, "state"))
		srv.stop()
		start.Close()
		users.Close()
		return 0
	}
}

// server is the supervisor's postgres.
type server struct {
	dir  string
	cmd  *exec.Cmd
	done chan struct{}
}

func (s *server) dsn() string {
	return socketDSN(filepath.Join(s.dir, "cluster"))
}

// socketDSN is the URL of the server whose socket is in socketDir, which
// lib/pq, libpq's programs (pg_dump, psql) and godoo's --db-url all take.
func socketDSN(socketDir string) string {
	host := strings.ReplaceAll(url.QueryEscape(socketDir), "%2F", "/")
	return "postgres://postgres@/postgres?host=" + host + "&sslmode=disable"
}

// startServer makes a new cluster in dir/cluster (after removing what a
// supervisor killed before its end left there) and starts it, listening
// on a socket in that directory only.
func startServer(dir string) (*server, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	cred, err := ServerUser()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "cluster")
	if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err == nil {
		_ = Command(bin, cred, "pg_ctl", "stop", "-D", data, "-m", "immediate").Run()
	}
	if err := os.RemoveAll(data); err != nil {
		return nil, err
	}
	os.Remove(filepath.Join(dir, "state"))
	if err := os.Mkdir(data, 0o700); err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(data, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, err
		}
	}
	if out, err := Command(bin, cred, "initdb", "-D", data, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	logPath := filepath.Join(dir, "server.log")
	s, err := run(bin, cred, dir, logPath)
	if err != nil {
		log, _ := readPrivate(logPath)
		return nil, fmt.Errorf("%v\n%s", err, log)
	}
	return s, nil
}

// run starts postgres and waits until it accepts clients.
func run(bin string, cred *syscall.Credential, dir, logPath string) (*server, error) {
	log, err := createPrivate(logPath)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	data := filepath.Join(dir, "cluster")
	args := []string{"-D", data, "-p", strconv.Itoa(port)}
	for _, set := range append(Settings, "unix_socket_directories="+data) {
		args = append(args, "-c", set)
	}
	cmd := Command(bin, cred, "postgres", args...)
	cmd.Stdout, cmd.Stderr = log, log
	// Should the supervisor be killed, the server goes with it.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{dir: dir, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	if err := WaitReady(s.dsn()+"&connect_timeout=5", s.done, readyTimeout); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// ErrExited is WaitReady's error for a server that exited before it let a
// client in.
var ErrExited = errors.New("postgres exited before it was ready")

// WaitReady waits until a client gets into the server at dsn, polling,
// for at most timeout; done is closed when the server's process exits,
// which ends the wait with ErrExited. The private servers of the tests
// (this package's and integration/privatepg's) start through it.
func WaitReady(dsn string, done <-chan struct{}, timeout time.Duration) error {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-done:
			return ErrExited
		case <-time.After(pollEvery):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres is not ready after %s: %v", timeout, err)
		}
	}
}

// stop ends the server at once (its data is thrown away: no checkpoint)
// and removes the cluster.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGQUIT)
	<-s.done
	if err := os.RemoveAll(filepath.Join(s.dir, "cluster")); err != nil {
		fmt.Println(err)
	}
}

// writeState publishes the server's URL, whole or not at all. The
// temporary file is made anew (what a killed supervisor left is removed
// first), never opened through a link.
func writeState(dir, dsn string) error {
	tmp := filepath.Join(dir, "state.new")
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(dsn + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, "state"))
}

// dirMode is the mode the cluster's directory must have: the user's alone,
// except that a root process's server runs as the postgres user, which
// must pass through it to its data directory (and socket), though not
// list or write it; the data directory itself is postgres's, mode 0700,
// so that only postgres and root reach the socket.
func dirMode() fs.FileMode {
	if os.Geteuid() == 0 {
		return 0o711
	}
	return 0o700
}

// secureDir makes dir with mode, or takes the one there, and refuses it
// unless it is a real directory (not a link) of the process's user that
// no one else can write, which it leaves with exactly that mode: its name
// is predictable, and a directory another user made or can write would let
// that user plant the published URL or links that the files written there
// would follow.
func secureDir(dir string, mode fs.FileMode) error {
	switch err := os.Mkdir(dir, mode); {
	case err == nil:
		// Made by this process, under a umask that may have taken
		// bits of mode away.
		if err := os.Chmod(dir, mode); err != nil {
			return err
		}
	case !errors.Is(err, fs.ErrExist):
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory (%s): refusing it for the cluster; remove it", dir, fi.Mode().Type())
	}
	if uid := fi.Sys().(*syscall.Stat_t).Uid; int(uid) != os.Geteuid() {
		return fmt.Errorf("%s belongs to uid %d, not to this user (uid %d): refusing it for the cluster; remove it", dir, uid, os.Geteuid())
	}
	if fi.Mode().Perm() == mode && fi.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) == 0 {
		return nil
	}
	if fi.Mode()&(0o022|fs.ModeSetgid|fs.ModeSticky) != 0 {
		return fmt.Errorf("%s has mode %v, not %v: refusing it for the cluster; remove it", dir, fi.Mode(), mode|fs.ModeDir)
	}
	// No one else could write in it (a directory of an older version,
	// made readable by all): nothing can have been planted there, and
	// the mode is only tightened.
	if err := os.Chmod(dir, mode); err != nil {
		return err
	}
	return secureDir(dir, mode)
}

// createPrivate creates or truncates the file at path, readable by the
// user alone, and never through a symbolic link.
func createPrivate(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o600)
}

// readPrivate reads the file at path, never through a symbolic link.
func readPrivate(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// lock opens dir/name and flocks it with how, which may fail at once
// (LOCK_NB); the lock lasts until the file is closed. The file is never
// opened through a symbolic link.
func lock(dir, name string, how int) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("flock %s: %w", name, err)
	}
	return f, nil
}

// held reports whether another open file holds an exclusive lock on
// dir/name.
func held(dir, name string) (bool, error) {
	f, err := lock(dir, name, syscall.LOCK_SH|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return false, f.Close()
}

// await returns once no one holds an exclusive lock on dir/name.
func await(dir, name string) error {
	f, err := lock(dir, name, syscall.LOCK_SH)
	if err != nil {
		return err
	}
	return f.Close()
}

// Command is one of the PostgreSQL programs of bin, run as cred (nil: the
// process's own user), with the server's messages in English and its
// locale its own whatever the caller's environment says.
func Command(bin string, cred *syscall.Credential, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(bin, name), args...)
	cmd.Dir = "/" // the caller's may be closed to the server's user
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LC_MESSAGES=C")
	return cmd
}

// BinDir finds the PostgreSQL server binaries: the newest version under
// /usr/lib/postgresql (Debian's layout), else initdb on the PATH.
func BinDir() (string, error) {
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	slices.SortFunc(versions, func(a, b string) int {
		return versionOf(a) - versionOf(b)
	})
	if n := len(versions); n > 0 {
		return filepath.Dir(versions[n-1]), nil
	}
	initdb, err := exec.LookPath("initdb")
	if err != nil {
		return "", errors.New("no PostgreSQL server binaries: neither /usr/lib/postgresql/<version>/bin nor initdb on the PATH")
	}
	dir := filepath.Dir(initdb)
	if _, err := os.Stat(filepath.Join(dir, "postgres")); err != nil {
		return "", fmt.Errorf("initdb is at %s but postgres is not beside it", initdb)
	}
	return dir, nil
}

// versionOf reads the major version of /usr/lib/postgresql/<version>/bin/initdb.
func versionOf(path string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(path))))
	return n
}

// ServerUser returns the credential a server runs with: none (the
// process's own user) unless the process runs as root, which initdb and
// postgres refuse.
func ServerUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, and there is no postgres user to run the server as (initdb refuses root): %v", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	// No supplementary groups: root's are not the server's business.
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
