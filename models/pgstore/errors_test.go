package pgstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/lib/pq"
	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/pgstore"
)

const schema = `
CREATE TABLE parent (
	id   integer PRIMARY KEY,
	code text NOT NULL CONSTRAINT parent_code_key UNIQUE
);
CREATE TABLE child (
	id        serial PRIMARY KEY,
	parent_id integer CONSTRAINT child_parent_id_fkey REFERENCES parent (id),
	name      text NOT NULL,
	qty       integer CONSTRAINT child_qty_positive CHECK (qty > 0),
	a         text,
	b         text,
	CONSTRAINT child_a_b_key UNIQUE (a, b)
);
CREATE TABLE counter (id integer PRIMARY KEY, v integer NOT NULL);
INSERT INTO parent (id, code) VALUES (1, 'P1');
INSERT INTO child (parent_id, name, qty, a, b) VALUES (1, 'first', 1, 'x', 'y');
INSERT INTO counter VALUES (1, 0), (2, 0);
`

// pqCode returns the SQLSTATE of the *pq.Error in err's chain.
func pqCode(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return string(pe.Code)
	}
	return ""
}

// newSchemaDB creates a database with the test schema.
func newSchemaDB(tb testing.TB) (*pgstore.Store, *bun.DB) {
	tb.Helper()
	s := newStore(tb)
	db, err := s.Create(context.Background(), prefix(tb)+"errors")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.ExecContext(context.Background(), schema); err != nil {
		tb.Fatal(err)
	}
	return s, db
}

// TestClassifyConstraints provokes each constraint violation with a real
// statement and checks the SQLSTATE, the kind and the *models.ConstraintError
// that Classify puts in the chain.
func TestClassifyConstraints(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newSchemaDB(t)

	for _, tc := range []struct {
		name string
		sql  string
		code string
		want models.ConstraintError
	}{
		{
			"Unique", "INSERT INTO parent (id, code) VALUES (2, 'P1')", "23505",
			models.ConstraintError{Type: models.ConstraintUnique, Table: "parent", Constraint: "parent_code_key"},
		},
		{
			"UniqueMultiColumn", "INSERT INTO child (parent_id, name, a, b) VALUES (1, 'second', 'x', 'y')", "23505",
			models.ConstraintError{Type: models.ConstraintUnique, Table: "child", Constraint: "child_a_b_key"},
		},
		{
			"PrimaryKey", "INSERT INTO parent (id, code) VALUES (1, 'P2')", "23505",
			models.ConstraintError{Type: models.ConstraintUnique, Table: "parent", Constraint: "parent_pkey"},
		},
		{
			"ForeignKey", "INSERT INTO child (parent_id, name) VALUES (42, 'orphan')", "23503",
			models.ConstraintError{Type: models.ConstraintForeignKey, Table: "child", Constraint: "child_parent_id_fkey"},
		},
		{
			"ForeignKeyOnDelete", "DELETE FROM parent WHERE id = 1", "23503",
			models.ConstraintError{Type: models.ConstraintForeignKey, Table: "child", Constraint: "child_parent_id_fkey"},
		},
		{
			"NotNull", "INSERT INTO child (parent_id, name) VALUES (1, NULL)", "23502",
			models.ConstraintError{Type: models.ConstraintNotNull, Table: "child", Column: "name"},
		},
		{
			"Check", "UPDATE child SET qty = 0", "23514",
			models.ConstraintError{Type: models.ConstraintCheck, Table: "child", Constraint: "child_qty_positive"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, driverErr := db.ExecContext(ctx, tc.sql)
			if code := pqCode(driverErr); code != tc.code {
				t.Fatalf("SQLSTATE %q, want %s: %v", code, tc.code, driverErr)
			}
			err := s.Classify(driverErr)
			wantKind(t, err, models.KindValidation)
			var ce *models.ConstraintError
			if !errors.As(err, &ce) {
				t.Fatalf("no *models.ConstraintError in %v", err)
			}
			got := *ce
			got.Err = nil
			if got != tc.want {
				t.Errorf("ConstraintError = %+v, want %+v", got, tc.want)
			}
			if !errors.Is(err, driverErr) {
				t.Error("driver error not in the chain")
			}
			if msg := models.AsError(err).Message; msg != ce.Detail() || msg == "" {
				t.Errorf("Message %q, Detail %q", msg, ce.Detail())
			}
			t.Logf("%s | %s", models.AsError(err).Message, err)

			if again := s.Classify(err); again != err {
				t.Errorf("Classify(classified) = %v", again)
			}
			wrapped := pgstore.Classify(fmt.Errorf("create child: %w", driverErr))
			wantKind(t, wrapped, models.KindValidation)
		})
	}
}

// TestClassifyRetryable provokes each concurrency error that Odoo retries.
func TestClassifyRetryable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newSchemaDB(t)

	begin := func(t *testing.T, opts *sql.TxOptions) bun.Tx {
		t.Helper()
		tx, err := db.BeginTx(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = tx.Rollback() })
		return tx
	}
	exec := func(t *testing.T, tx bun.Tx, q string) {
		t.Helper()
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		name    string
		code    string
		provoke func(t *testing.T) error
	}{
		{"LockNotAvailable", "55P03", func(t *testing.T) error {
			a, b := begin(t, nil), begin(t, nil)
			exec(t, a, "SELECT * FROM counter WHERE id = 1 FOR UPDATE")
			_, err := b.ExecContext(ctx, "SELECT * FROM counter WHERE id = 1 FOR UPDATE NOWAIT")
			return err
		}},
		{"SerializationFailure", "40001", func(t *testing.T) error {
			a := begin(t, nil)
			b := begin(t, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
			exec(t, b, "SELECT * FROM counter") // takes b's snapshot
			exec(t, a, "UPDATE counter SET v = v + 1 WHERE id = 1")
			if err := a.Commit(); err != nil {
				t.Fatal(err)
			}
			_, err := b.ExecContext(ctx, "UPDATE counter SET v = v + 1 WHERE id = 1")
			return err
		}},
		{"Deadlock", "40P01", func(t *testing.T) error {
			a, b := begin(t, nil), begin(t, nil)
			exec(t, a, "UPDATE counter SET v = v + 1 WHERE id = 1")
			exec(t, b, "UPDATE counter SET v = v + 1 WHERE id = 2")
			errA := make(chan error, 1)
			go func() {
				_, err := a.ExecContext(ctx, "UPDATE counter SET v = v + 1 WHERE id = 2")
				if err != nil {
					_ = a.Rollback() // release b if a is the victim
				}
				errA <- err
			}()
			_, errB := b.ExecContext(ctx, "UPDATE counter SET v = v + 1 WHERE id = 1")
			if errB != nil {
				_ = b.Rollback() // release a
			}
			if err := <-errA; err != nil {
				return err
			}
			return errB
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			driverErr := tc.provoke(t)
			if code := pqCode(driverErr); code != tc.code {
				t.Fatalf("SQLSTATE %q, want %s: %v", code, tc.code, driverErr)
			}
			err := s.Classify(driverErr)
			wantKind(t, err, models.KindRetryable)
			if !errors.Is(err, driverErr) {
				t.Error("driver error not in the chain")
			}
		})
	}
}

// TestClassifyCodes runs without a server: lib/pq's error is a plain struct.
func TestClassifyCodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   error
		kind models.Kind // KindInternal: returned unchanged
		want models.ConstraintError
	}{
		{"Nil", nil, models.KindInternal, models.ConstraintError{}},
		{"Plain", errors.New("plain"), models.KindInternal, models.ConstraintError{}},
		{"NoRows", sql.ErrNoRows, models.KindInternal, models.ConstraintError{}},
		{"Classified", models.UserErrorf("already classified"), models.KindUser, models.ConstraintError{}},
		{"Syntax", &pq.Error{Code: "42601"}, models.KindInternal, models.ConstraintError{}},
		{"ExclusionNotMapped", &pq.Error{Code: "23P01"}, models.KindInternal, models.ConstraintError{}},
		{
			"Unique", &pq.Error{Code: "23505", Table: "res_users", Constraint: "res_users_login_key"},
			models.KindValidation,
			models.ConstraintError{Type: models.ConstraintUnique, Table: "res_users", Constraint: "res_users_login_key"},
		},
		{
			"ForeignKeyWrapped", fmt.Errorf("write: %w", &pq.Error{Code: "23503", Table: "t", Constraint: "t_fk"}),
			models.KindValidation,
			models.ConstraintError{Type: models.ConstraintForeignKey, Table: "t", Constraint: "t_fk"},
		},
		{
			"NotNull", &pq.Error{Code: "23502", Table: "t", Column: "name"},
			models.KindValidation,
			models.ConstraintError{Type: models.ConstraintNotNull, Table: "t", Column: "name"},
		},
		{
			"Check", &pq.Error{Code: "23514", Table: "t", Constraint: "t_check"},
			models.KindValidation,
			models.ConstraintError{Type: models.ConstraintCheck, Table: "t", Constraint: "t_check"},
		},
		{"Serialization", &pq.Error{Code: "40001"}, models.KindRetryable, models.ConstraintError{}},
		{"Deadlock", &pq.Error{Code: "40P01"}, models.KindRetryable, models.ConstraintError{}},
		{"LockNotAvailable", &pq.Error{Code: "55P03"}, models.KindRetryable, models.ConstraintError{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := pgstore.Classify(tc.in)
			if tc.kind == models.KindInternal || tc.kind == models.KindUser {
				if got != tc.in {
					t.Fatalf("Classify(%v) = %v, want it unchanged", tc.in, got)
				}
				return
			}
			wantKind(t, got, tc.kind)
			if !errors.Is(got, tc.in) {
				t.Error("input not in the chain")
			}
			var ce *models.ConstraintError
			if errors.As(got, &ce) != (tc.want.Type != "") {
				t.Fatalf("ConstraintError in chain: %v, want %v", ce != nil, tc.want.Type != "")
			}
			if ce != nil {
				c := *ce
				c.Err = nil
				if c != tc.want {
					t.Errorf("ConstraintError = %+v, want %+v", c, tc.want)
				}
			}
		})
	}
}
