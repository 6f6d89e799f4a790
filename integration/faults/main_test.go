// Package faults_test puts godoo through the faults a deployment meets: the
// process killed in the middle of writes, its PostgreSQL server restarted
// under load, and a SIGTERM while calls are in flight. The process tests
// run the real binary, built once per test binary, as a child process.
package faults_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godoo/godoo/integration/privatepg"
)

const adminPassword = "faults-Admin-1"

// Failure guards: a server that is not ready, or a process that does not
// exit, within these bounds has failed, whatever the machine's load.
const (
	readyGuard = 60 * time.Second
	exitGuard  = 60 * time.Second
	pollEvery  = 20 * time.Millisecond
)

var build struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// TestMain gives the tests' private PostgreSQL servers one initdb
// (privatepg.Main) and removes the godoo binary that the tests built.
func TestMain(m *testing.M) {
	code := privatepg.Main(m)
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// binary builds cmd/godoo once per test binary and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		if build.dir, build.err = os.MkdirTemp("", "godoo-faults-"); build.err != nil {
			return
		}
		build.bin = filepath.Join(build.dir, "godoo")
		out, err := exec.Command(goTool, "build", "-o", build.bin, "github.com/godoo/godoo/cmd/godoo").CombinedOutput()
		if err != nil {
			build.err = fmt.Errorf("go build ./cmd/godoo: %v\n%s", err, out)
		}
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.bin
}

// store is where a godoo process keeps its databases.
type store struct {
	name string
	args []string // the flags that name it: --data-dir DIR or --db-url URL
	dir  string   // the SQLite data directory ("" on PostgreSQL)
	env  []string // environment the command line needs beside args
}

// eachStore runs fn on SQLite, and on a private PostgreSQL server when
// PostgreSQL is tested (GODOO_TEST_DSN set): godoo serve checks every
// database of its server at start, so it gets a server of its own rather
// than the one every test shares.
func eachStore(t *testing.T, fn func(t *testing.T, st store)) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		fn(t, store{name: "sqlite", args: []string{"--data-dir", dir}, dir: dir})
	})
	if os.Getenv("GODOO_TEST_DSN") == "" {
		t.Log("GODOO_TEST_DSN is not set: PostgreSQL is not tested")
		return
	}
	t.Run("pg", func(t *testing.T) {
		pg := privatepg.Start(t)
		fn(t, store{name: "pg", args: []string{"--db-url", pg.DSN("postgres")}})
	})
}

// env is the environment of godoo's child processes: the test's, without
// any GODOO_* setting that would change what the flags say.
func env() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GODOO_") {
			out = append(out, kv)
		}
	}
	return out
}

// godoo runs a godoo command to its end and fails the test if it fails.
func godoo(t *testing.T, args ...string) string {
	t.Helper()
	return godooEnv(t, nil, args...)
}

// godooOn runs the godoo command line with args on store st.
func godooOn(t *testing.T, st store, args ...string) string {
	t.Helper()
	return godooEnv(t, st.env, append(args, st.args...)...)
}

// godooEnv runs the godoo command line with args and more environment.
func godooEnv(t *testing.T, more []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(env(), more...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("godoo %s: %v\n%s", args[0], err, out)
	}
	return string(out)
}

// createDB makes database name on st with admin's password.
func createDB(t *testing.T, st store, name string) {
	t.Helper()
	godooOn(t, st, "db", "create", name, "--admin-password", adminPassword)
}

// proc is one running "godoo serve".
type proc struct {
	t       *testing.T
	addr    string
	base    string // http://addr
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed when the process has exited
	state   *os.ProcessState
}

// serve starts godoo serve on st and waits until /web/health passes.
func serve(t *testing.T, st store) *proc {
	t.Helper()
	for try := 1; ; try++ {
		p, err := startServe(t, st, try)
		if err == nil {
			return p
		}
		// Another process may take the free port before godoo listens.
		if try == 3 || !strings.Contains(p.log(), "address already in use") {
			t.Fatalf("%v\n%s", err, p.log())
		}
	}
}

func startServe(t *testing.T, st store, try int) (*proc, error) {
	addr := freeAddr(t)
	p := &proc{t: t, addr: addr, base: "http://" + addr, done: make(chan struct{}),
		logPath: filepath.Join(t.TempDir(), fmt.Sprintf("serve-%d.log", try))}
	log, err := os.Create(p.logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	p.cmd = exec.Command(binary(t), append([]string{"serve", "--http-addr", addr, "--log-level", "info"}, st.args...)...)
	p.cmd.Env = env()
	p.cmd.Stdout, p.cmd.Stderr = log, log
	// Should the test binary die, the server goes with it.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = p.cmd.Wait()
		p.state = p.cmd.ProcessState
		close(p.done)
	}()
	t.Cleanup(func() {
		if !p.exited() {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("godoo serve on %s:\n%s", addr, p.log())
		}
	})
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(readyGuard)
	for {
		resp, err := client.Get(p.base + "/web/health")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		select {
		case <-p.done:
			return p, fmt.Errorf("godoo serve exited before it was ready (%v)", p.state)
		case <-time.After(pollEvery):
		}
		if time.Now().After(deadline) {
			return p, fmt.Errorf("godoo serve is not ready after %s", readyGuard)
		}
	}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// log is what the process printed.
func (p *proc) log() string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// signal sends sig and waits until the process has exited.
func (p *proc) signal(sig os.Signal) *os.ProcessState {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
	return p.wait()
}

// wait waits until the process has exited.
func (p *proc) wait() *os.ProcessState {
	p.t.Helper()
	select {
	case <-p.done:
		return p.state
	case <-time.After(exitGuard):
		p.t.Fatalf("godoo serve did not exit within %s", exitGuard)
		return nil
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// fault is an Odoo error answer: the call reached godoo and was refused.
type fault struct{ Name, Message string }

func (f *fault) Error() string { return f.Name + ": " + f.Message }

// isFault reports whether err is a fault of the given exception name.
func isFault(err error, name string) bool {
	var f *fault
	return errors.As(err, &f) && f.Name == name
}

// statusError is an answer of godoo with a status other than 200.
type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.body) }

// isAnswer reports whether err is an answer of godoo (a fault, an error
// status) rather than the failure of a call that got no answer.
func isAnswer(err error) bool {
	var f *fault
	var s *statusError
	return errors.As(err, &f) || errors.As(err, &s)
}

// newClient is one client's HTTP side: one keep-alive connection, and a
// guard so that a call that hangs becomes an error.
func newClient() *http.Client {
	return &http.Client{Timeout: readyGuard, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
}

// call makes one JSON-RPC call. A fault is a *fault and another status
// than 200 a *statusError; any other error means the call got no answer.
func call(ctx context.Context, c *http.Client, base, service, method string, args ...any) (any, error) {
	return readAnswer(postJSONRPC(ctx, c, base+"/jsonrpc", nil, map[string]any{"service": service, "method": method, "args": args}))
}

// readAnswer reads the answer of a JSON-RPC call as call returns it.
func readAnswer(resp *http.Response, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &statusError{resp.StatusCode, string(b)}
	}
	return decodeAnswer(b)
}

// postJSONRPC posts a JSON-RPC call with params to url, with the session
// cookie when there is one.
func postJSONRPC(ctx context.Context, c *http.Client, url string, cookie *http.Cookie, params map[string]any) (*http.Response, error) {
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return c.Do(req)
}

// decodeAnswer reads a JSON-RPC answer: its result, or its error as a
// *fault.
func decodeAnswer(b []byte) (any, error) {
	var ans struct {
		Result any `json:"result"`
		Error  *struct {
			Data struct{ Name, Message string } `json:"data"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &ans); err != nil {
		return nil, fmt.Errorf("not a JSON-RPC answer: %v: %s", err, b)
	}
	if ans.Error != nil {
		return nil, &fault{Name: ans.Error.Data.Name, Message: ans.Error.Data.Message}
	}
	return ans.Result, nil
}

// id reads a record id (or a count) from a decoded answer: a whole JSON
// number.
func id(v any) (int64, bool) {
	f, ok := v.(float64)
	if !ok || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}

// kw calls execute_kw on db as admin (uid 2) with secret.
func kw(ctx context.Context, c *http.Client, base, db, secret, model, method string, args []any, kwargs map[string]any) (any, error) {
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	return call(ctx, c, base, "object", "execute_kw", db, 2, secret, model, method, args, kwargs)
}

// settled returns once every godoo process listening on the database of
// sqldb (a connection to the primary) has handled the changes committed on
// it so far, by the acknowledged barrier of migration 0015_feed_acks. A
// change to credentials or access made by SQL, behind godoo's back, has no
// committer that waits for the processes: the test waits instead.
func settled(t *testing.T, sqldb *sql.DB) {
	t.Helper()
	var seq int64
	if err := sqldb.QueryRow("SELECT godoo_feed_barrier()").Scan(&seq); err != nil {
		t.Fatalf("barrier: %v", err)
	}
	deadline := time.Now().Add(readyGuard)
	for {
		var pending int
		if err := sqldb.QueryRow("SELECT godoo_feed_pending($1)", seq).Scan(&pending); err != nil {
			t.Fatalf("acknowledgements: %v", err)
		}
		if pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d godoo listeners did not acknowledge barrier %d within %s", pending, seq, readyGuard)
		}
		time.Sleep(pollEvery)
	}
}
