package sharedpg

import (
	"bufio"
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// helperVariable makes the test binary a process that joins the cluster
// of its value, prints the URL and waits to be killed.
const helperVariable = "GODOO_SHAREDPG_HELPER"

func TestMain(m *testing.M) {
	// A server nobody uses stops at once, so that each test sees it go.
	linger = 0
	if dir := os.Getenv(helperVariable); dir != "" {
		dsn, err := Join(dir)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println(dsn)
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // until killed
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// clusterDir is a new directory for a cluster, which the server's user
// can enter; it is removed when the test ends.
func clusterDir(t *testing.T) string {
	t.Helper()
	if _, err := BinDir(); err != nil {
		t.Skipf("sharedpg: %v", err)
	}
	if _, err := ServerUser(); err != nil {
		t.Skipf("sharedpg: %v", err)
	}
	dir, err := os.MkdirTemp("", "sharedpg-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, dirMode()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// answers reports whether the server of dsn runs a query.
func answers(dsn string) error {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var one int
	return db.QueryRow("SELECT 1").Scan(&one)
}

// supervisorGone waits until the supervisor of dir has exited.
func supervisorGone(t *testing.T, dir string) {
	t.Helper()
	if err := await(dir, "supervisor.lock"); err != nil {
		t.Fatal(err)
	}
}

// TestJoinShareLeave: two users of a directory share one server, which
// outlives the first to leave and stops when the last one leaves; a user
// joining afterwards gets a new one.
func TestJoinShareLeave(t *testing.T) {
	dir := clusterDir(t)
	dsnA, leaveA, err := join(dir)
	if err != nil {
		t.Fatal(err)
	}
	dsnB, leaveB, err := join(dir)
	if err != nil {
		leaveA()
		t.Fatal(err)
	}
	if dsnA != dsnB {
		t.Errorf("two users got two servers: %s and %s", dsnA, dsnB)
	}
	// The server trusts every client, so it must take none from the
	// network, where any local user could reach it.
	if db, err := sql.Open("postgres", dsnA); err != nil {
		t.Error(err)
	} else {
		var listen string
		if err := db.QueryRow("SHOW listen_addresses").Scan(&listen); err != nil || listen != "" {
			t.Errorf("listen_addresses = %q (%v), want none", listen, err)
		}
		db.Close()
	}
	leaveA()
	if err := answers(dsnB); err != nil {
		t.Errorf("the server stopped while a user remained: %v", err)
	}
	leaveB()
	supervisorGone(t, dir)
	if err := answers(dsnB); err == nil {
		t.Error("the server still answers after the last user left")
	}
	if _, err := os.Stat(dir + "/state"); !os.IsNotExist(err) {
		t.Errorf("the stopped server's URL is still published: %v", err)
	}
	if _, err := os.Stat(dir + "/cluster"); !os.IsNotExist(err) {
		t.Errorf("the stopped server's data remains: %v", err)
	}
	dsnC, leaveC, err := join(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer supervisorGone(t, dir)
	defer leaveC()
	if err := answers(dsnC); err != nil {
		t.Errorf("a user joining after the stop got no server: %v", err)
	}
}

// TestKilledUser: a user killed with SIGKILL holds the server no longer.
func TestKilledUser(t *testing.T) {
	dir := clusterDir(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), helperVariable+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	dsn := strings.TrimSpace(line)
	if err != nil || !strings.HasPrefix(dsn, "postgres://") {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the user process said %q (%v)", line, err)
	}
	if err := answers(dsn); err != nil {
		t.Errorf("the user's server does not answer: %v", err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	supervisorGone(t, dir)
	if err := answers(dsn); err == nil {
		t.Error("the server still answers after its only user was killed")
	}
}

// TestKilledSupervisor: a supervisor killed with SIGKILL leaves a
// published URL and a cluster behind; the next user does not take them
// for a running server but starts a new one.
func TestKilledSupervisor(t *testing.T) {
	dir := clusterDir(t)
	dsnA, leaveA, err := join(dir)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := supervisorPid(dir)
	if err != nil {
		leaveA()
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	supervisorGone(t, dir)
	if _, err := os.Stat(dir + "/state"); err != nil {
		t.Fatalf("the killed supervisor's URL should still be there for this test: %v", err)
	}
	dsnB, leaveB, err := join(dir)
	leaveA()
	if err != nil {
		t.Fatal(err)
	}
	defer supervisorGone(t, dir)
	defer leaveB()
	if err := answers(dsnB); err != nil {
		t.Errorf("the user after the killed supervisor got no server: %v", err)
	}
	if dsnB != dsnA {
		if err := answers(dsnA); err == nil {
			t.Error("the killed supervisor's server still answers")
		}
	}
}

// supervisorPid is the pid of the postmaster's parent: the supervisor.
func supervisorPid(dir string) (int, error) {
	b, err := os.ReadFile(dir + "/cluster/postmaster.pid")
	if err != nil {
		return 0, err
	}
	postmaster := strings.SplitN(string(b), "\n", 2)[0]
	stat, err := os.ReadFile("/proc/" + postmaster + "/stat")
	if err != nil {
		return 0, err
	}
	// pid (comm) state ppid ...
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	var ppid int
	_, err = fmt.Sscan(fields[1], &ppid)
	return ppid, err
}

// TestSecureDir: the cluster's directory is accepted only as a real
// directory of the user's with exactly the cluster's mode, made so when
// it does not exist; join refuses any other before it starts anything.
func TestSecureDir(t *testing.T) {
	mode := dirMode()
	// Root gives a directory to nobody; another user cannot give one
	// away, and links to the root directory instead, root's.
	foreign := "belongs to uid 65534"
	if os.Geteuid() != 0 {
		foreign = "is not a directory"
	}
	tests := []struct {
		name    string
		plant   func(t *testing.T, path string) // nil: nothing there
		refused string                          // "" when accepted
	}{
		{"absent", nil, ""},
		{"own directory with the mode", func(t *testing.T, path string) { mkdir(t, path, mode) }, ""},
		{"symbolic link to an own directory", func(t *testing.T, path string) {
			target := path + "-target"
			mkdir(t, target, mode)
			if err := os.Symlink(target, path); err != nil {
				t.Fatal(err)
			}
		}, "is not a directory"},
		{"regular file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}, "is not a directory"},
		{"readable by others, tightened", func(t *testing.T, path string) { mkdir(t, path, 0o755) }, ""},
		{"writable by others", func(t *testing.T, path string) { mkdir(t, path, 0o777) }, "has mode"},
		{"writable by the group", func(t *testing.T, path string) { mkdir(t, path, 0o770) }, "has mode"},
		{"sticky", func(t *testing.T, path string) { mkdir(t, path, mode|fs.ModeSticky) }, "has mode"},
		{"another user's", func(t *testing.T, path string) {
			if os.Geteuid() != 0 {
				if err := os.Symlink("/", path); err != nil {
					t.Fatal(err)
				}
				return
			}
			mkdir(t, path, mode)
			if err := os.Chown(path, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}, foreign},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cluster-dir")
			refused := tt.refused
			if tt.plant != nil {
				tt.plant(t, path)
			}
			err := secureDir(path, mode)
			if refused == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				fi, err := os.Lstat(path)
				if err != nil || !fi.IsDir() || fi.Mode().Perm() != mode {
					t.Fatalf("the directory is %v (%v), want a directory of mode %v", fi.Mode(), err, mode)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), refused) {
				t.Fatalf("got %v, want a refusal saying %q", err, refused)
			}
			if _, _, err := join(path); err == nil || !strings.Contains(err.Error(), refused) {
				t.Fatalf("join got %v, want a refusal saying %q", err, refused)
			}
			if _, err := os.Lstat(filepath.Join(path, "start.lock")); err == nil {
				t.Error("join wrote in a refused directory")
			}
		})
	}
}

func mkdir(t *testing.T, path string, mode fs.FileMode) {
	t.Helper()
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// TestNoFollow: the files of the cluster's directory (locks, logs, the
// published URL and its temporary file) are never written or read through
// a symbolic link planted there.
func TestNoFollow(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("untouched"), 0o600); err != nil {
		t.Fatal(err)
	}
	plant := func(name string) string {
		path := filepath.Join(dir, name)
		if err := os.Symlink(victim, path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if f, err := createPrivate(plant("supervisor.log")); err == nil {
		f.Close()
		t.Error("createPrivate opened a symbolic link")
	}
	if _, err := readPrivate(plant("state")); err == nil {
		t.Error("readPrivate read through a symbolic link")
	}
	plant("users.lock")
	if f, err := lock(dir, "users.lock", syscall.LOCK_SH); err == nil {
		f.Close()
		t.Error("lock opened a symbolic link")
	}
	plant("state.new")
	if err := os.Remove(filepath.Join(dir, "state")); err != nil {
		t.Fatal(err)
	}
	if err := writeState(dir, "postgres://x"); err != nil {
		t.Fatal(err)
	}
	if got, err := readPrivate(filepath.Join(dir, "state")); err != nil || string(got) != "postgres://x\n" {
		t.Errorf("state = %q (%v)", got, err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "untouched" {
		t.Errorf("a link's target was written: %q", got)
	}
	fi, err := os.Stat(filepath.Join(dir, "state"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state has mode %v (%v), want 0600", fi.Mode(), err)
	}
}

// TestNoBinaries: on a machine that cannot run the cluster,
// GODOO_TEST_DSN=private says why and leaves the variable unset, so that
// the tests run on SQLite only, instead of ending the process.
func TestNoBinaries(t *testing.T) {
	saved := available
	t.Cleanup(func() { available = saved })
	available = func() error { return errors.New("no PostgreSQL server binaries") }
	t.Setenv(dsnVariable, Private)
	var out bytes.Buffer
	if code := resolve(&out); code != 0 {
		t.Fatalf("exit status %d, want the process to go on", code)
	}
	if v, ok := os.LookupEnv(dsnVariable); ok {
		t.Errorf("%s = %q, want it unset", dsnVariable, v)
	}
	if msg := out.String(); !strings.Contains(msg, "no PostgreSQL server binaries") || !strings.Contains(msg, "SQLite only") {
		t.Errorf("the reason printed is %q", msg)
	}
}

// TestSocketDSN: the cluster's URL names its socket directory and no
// network address.
func TestSocketDSN(t *testing.T) {
	got := socketDSN("/tmp/godoo-sharedpg-0/cluster")
	if want := "postgres://postgres@/postgres?host=/tmp/godoo-sharedpg-0/cluster&sslmode=disable"; got != want {
		t.Errorf("socketDSN = %q, want %q", got, want)
	}
}
