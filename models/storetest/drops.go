package storetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/godoo/godoo/models/pgstore"
)

// PostgreSQL makes every DROP DATABASE wait for a checkpoint of the whole
// server (the checkpointer must forget the dropped files), which flushes
// what every other test process wrote since the last one: on a loaded
// machine a drop took one to four seconds, and the suite drops hundreds.
// Checkpoint requests made while one is pending are served together, so a
// test process that runs its tests through Run keeps the names of the test
// databases it made on the server of GODOO_TEST_DSN and drops them all at
// once when its tests are done, each test closing its own connections
// first. Elsewhere (a process without Run, a server of a test's own) a
// database is dropped when its test ends, as before.

// dropWorkers is how many drops run at once: each holds a connection.
const dropWorkers = 8

var drops struct {
	mu       sync.Mutex
	deferred bool     // Run is running the tests
	names    []string // the databases to drop on the server of GODOO_TEST_DSN
}

// Run runs the tests of a package (from its TestMain), then drops the
// PostgreSQL databases DropLater was given (the templates of EachFrom among
// them), removes the SQLite templates, and returns the tests' exit status,
// or 1 when a drop failed.
func Run(m *testing.M) int {
	drops.mu.Lock()
	drops.deferred = true
	drops.mu.Unlock()
	code := m.Run()
	temporaryFiles.removeAll()
	if err := DropDeferred(); err != nil {
		fmt.Fprintf(os.Stderr, "storetest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// DropLater reports whether name, a database the test made on the server
// of GODOO_TEST_DSN, will be dropped when the process's tests are done;
// if not (the process does not run its tests through Run), the caller
// drops it now.
func DropLater(name string) bool {
	drops.mu.Lock()
	defer drops.mu.Unlock()
	if !drops.deferred || os.Getenv("GODOO_TEST_DSN") == "" {
		return false
	}
	drops.names = append(drops.names, name)
	return true
}

// DropDeferred drops the databases DropLater kept, dropWorkers at a time,
// each worker with a store of its own, and forgets them.
func DropDeferred() error {
	drops.mu.Lock()
	names := drops.names
	drops.names = nil
	drops.mu.Unlock()
	if len(names) == 0 {
		return nil
	}
	work := make(chan string)
	errs := make([]error, dropWorkers)
	var wg sync.WaitGroup
	for i := range dropWorkers {
		wg.Go(func() {
			s, err := pgstore.New(os.Getenv("GODOO_TEST_DSN"))
			if err != nil {
				errs[i] = err
				for range work {
				}
				return
			}
			defer s.Close()
			for name := range work {
				if err := s.Drop(context.Background(), name); err != nil {
					errs[i] = errors.Join(errs[i], fmt.Errorf("drop %s: %w", name, err))
				}
			}
		})
	}
	for _, name := range names {
		work <- name
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}
