package pgstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/lib/pq"
)

// Every DROP DATABASE makes the server wait for a checkpoint, which on a
// loaded machine took seconds a test: the databases the tests leave
// (prefix) are dropped together when they are done, the checkpoints of
// concurrent drops being served at once. They are dropped WITH (FORCE)
// and whether godoo made them or not, as a test's own cleanup did.
var leftovers struct {
	mu    sync.Mutex
	names []string
}

// dropWorkers is how many drops run at once.
const dropWorkers = 8

// TestMain runs the tests, then drops the databases they left.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := dropLeftovers(); err != nil {
		fmt.Fprintf(os.Stderr, "pgstore tests: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// dropLater keeps names to be dropped when the tests are done.
func dropLater(names ...string) {
	leftovers.mu.Lock()
	defer leftovers.mu.Unlock()
	leftovers.names = append(leftovers.names, names...)
}

// dropLeftovers drops the databases dropLater kept, dropWorkers at a time.
func dropLeftovers() error {
	leftovers.mu.Lock()
	names := leftovers.names
	leftovers.names = nil
	leftovers.mu.Unlock()
	if len(names) == 0 {
		return nil
	}
	admin, err := sql.Open("postgres", os.Getenv("GODOO_TEST_DSN"))
	if err != nil {
		return err
	}
	defer admin.Close()
	errs := make([]error, len(names))
	slots := make(chan struct{}, dropWorkers)
	var wg sync.WaitGroup
	for i, n := range names {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(n)+" WITH (FORCE)"); err != nil {
				errs[i] = fmt.Errorf("drop %s: %w", n, err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
