package privatepg

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// initdb costs about a second and a half of CPU, and ten seconds on a
// loaded two-core machine, for a data directory that is the same for
// every server: the same superuser, authentication, encoding and locale,
// the settings being given at each start. A package whose TestMain runs
// its tests through Main makes that directory once per process and gives
// each server a copy of it; elsewhere Start runs initdb for each server.

var pristine struct {
	mu      sync.Mutex
	enabled bool   // Main is running the tests
	dir     string // holds data/, the result of the process's one initdb
	err     error
}

// Main runs the tests of a package (from its TestMain) with one initdb for
// all the servers they start, removes its result when they are done, and
// returns the tests' exit status.
func Main(m *testing.M) int {
	pristine.mu.Lock()
	pristine.enabled = true
	pristine.mu.Unlock()
	code := m.Run()
	pristine.mu.Lock()
	defer pristine.mu.Unlock()
	if pristine.dir != "" {
		if err := os.RemoveAll(pristine.dir); err != nil {
			fmt.Fprintf(os.Stderr, "privatepg: %v\n", err)
		}
	}
	pristine.enabled, pristine.dir, pristine.err = false, "", nil
	return code
}

// initData makes the server's data directory: a copy of the process's
// pristine one under Main, else a new one.
func (s *Server) initData() error {
	src, err := s.pristineData()
	if err != nil {
		return err
	}
	if src == "" {
		return s.initdb(s.dataDir())
	}
	// cp -a keeps the owner (the postgres user when the test runs as
	// root) and the modes PostgreSQL insists on.
	if out, err := exec.Command("cp", "-a", src, s.dataDir()).CombinedOutput(); err != nil {
		return fmt.Errorf("privatepg: copy the data directory: %v\n%s", err, out)
	}
	return nil
}

// pristineData returns the process's pristine data directory, made on
// first use, or "" when the tests do not run through Main.
func (s *Server) pristineData() (string, error) {
	pristine.mu.Lock()
	defer pristine.mu.Unlock()
	if !pristine.enabled {
		return "", nil
	}
	if pristine.dir == "" && pristine.err == nil {
		pristine.dir, pristine.err = os.MkdirTemp("", "privatepg-pristine-")
		if pristine.err == nil && s.cred != nil {
			pristine.err = os.Chown(pristine.dir, int(s.cred.Uid), int(s.cred.Gid))
		}
		if pristine.err == nil {
			pristine.err = s.initdb(filepath.Join(pristine.dir, "data"))
		}
	}
	if pristine.err != nil {
		return "", pristine.err
	}
	return filepath.Join(pristine.dir, "data"), nil
}

// initdb makes a new data directory at dir.
func (s *Server) initdb(dir string) error {
	out, err := s.command("initdb", "-D", dir, "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput()
	if err != nil {
		return fmt.Errorf("privatepg: initdb: %v\n%s", err, out)
	}
	return nil
}
