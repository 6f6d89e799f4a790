package storetest

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
)

// callKey marks the context CallContext returns.
type callKey struct{}

// CallContext is ctx marked as a call's, which OutsideIDB looks for.
func CallContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, callKey{}, true)
}

// outsideIDB records the statements run in a context that is not the
// call's (one CallContext did not mark, such as context.Background()), so
// that a test shows the code under it threads the call's context, whose
// cancellation stops it.
type outsideIDB struct {
	bun.IDB
	mu      sync.Mutex
	outside []string
}

func (o *outsideIDB) note(ctx context.Context, q string) {
	if ctx.Value(callKey{}) == nil {
		o.mu.Lock()
		o.outside = append(o.outside, q)
		o.mu.Unlock()
	}
}

func (o *outsideIDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	o.note(ctx, q)
	return o.IDB.QueryContext(ctx, q, args...)
}

func (o *outsideIDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	o.note(ctx, q)
	return o.IDB.QueryRowContext(ctx, q, args...)
}

func (o *outsideIDB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	o.note(ctx, q)
	return o.IDB.ExecContext(ctx, q, args...)
}

// CheckCallContext runs fn as the superuser in a transaction of inTx on an
// env whose statements are watched, and fails t for each one run outside
// the call's context (CallContext).
func CheckCallContext(t *testing.T, inTx func(uid int64, fn func(env *models.Env) error) error, fn func(env *models.Env) error) {
	t.Helper()
	var idb *outsideIDB
	if err := inTx(models.SuperuserID, func(env *models.Env) error {
		idb = &outsideIDB{IDB: env.DB}
		env.DB = idb
		return fn(env)
	}); err != nil {
		t.Fatal(err)
	}
	for _, q := range idb.outside {
		t.Errorf("ran outside the call's context: %s", q)
	}
}
