package sharedpg

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
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
	if err := os.Chmod(dir, 0o755); err != nil {
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
