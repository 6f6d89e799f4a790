package sqlitestore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/sqlitestore"
)

const schema = `
CREATE TABLE parent (
	id   INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE
);
CREATE TABLE child (
	id        INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES parent (id),
	name      TEXT NOT NULL,
	qty       INTEGER CONSTRAINT child_qty_positive CHECK (qty > 0),
	small     INTEGER CHECK (small < 10),
	a         TEXT,
	b         TEXT,
	UNIQUE (a, b)
);
CREATE UNIQUE INDEX child_lower_name ON child (lower(name));
INSERT INTO parent (id, code) VALUES (1, 'P1');
INSERT INTO child (id, parent_id, name, qty, a, b) VALUES (1, 1, 'first', 1, 'x', 'y');
`

// TestClassifyConstraints provokes each constraint violation with a real
// statement and checks the extended code the driver reports, the kind and the
// *models.ConstraintError that Classify puts in the chain.
func TestClassifyConstraints(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	db, err := s.Create(ctx, "constraints")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		sql  string
		code int
		want models.ConstraintError
	}{
		{
			"Unique", "INSERT INTO parent (id, code) VALUES (2, 'P1')",
			sqlite3.SQLITE_CONSTRAINT_UNIQUE,
			models.ConstraintError{Type: models.ConstraintUnique, Table: "parent", Column: "code"},
		},
		{
			"UniqueMultiColumn", "INSERT INTO child (parent_id, name, a, b) VALUES (1, 'second', 'x', 'y')",
			sqlite3.SQLITE_CONSTRAINT_UNIQUE,
			models.ConstraintError{Type: models.ConstraintUnique, Table: "child", Column: "a,b"},
		},
		{
			"UniqueExpressionIndex", "INSERT INTO child (parent_id, name) VALUES (1, 'FIRST')",
			sqlite3.SQLITE_CONSTRAINT_UNIQUE,
			models.ConstraintError{Type: models.ConstraintUnique, Constraint: "child_lower_name"},
		},
		{
			"PrimaryKey", "INSERT INTO parent (id, code) VALUES (1, 'P2')",
			sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY,
			models.ConstraintError{Type: models.ConstraintUnique, Table: "parent", Column: "id"},
		},
		{
			"ForeignKey", "INSERT INTO child (parent_id, name) VALUES (42, 'orphan')",
			sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY,
			models.ConstraintError{Type: models.ConstraintForeignKey},
		},
		{
			"ForeignKeyOnDelete", "DELETE FROM parent WHERE id = 1",
			sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY,
			models.ConstraintError{Type: models.ConstraintForeignKey},
		},
		{
			"NotNull", "INSERT INTO child (parent_id, name) VALUES (1, NULL)",
			sqlite3.SQLITE_CONSTRAINT_NOTNULL,
			models.ConstraintError{Type: models.ConstraintNotNull, Table: "child", Column: "name"},
		},
		{
			"CheckNamed", "UPDATE child SET qty = 0 WHERE id = 1",
			sqlite3.SQLITE_CONSTRAINT_CHECK,
			models.ConstraintError{Type: models.ConstraintCheck, Constraint: "child_qty_positive"},
		},
		{
			"CheckUnnamed", "UPDATE child SET small = 10 WHERE id = 1",
			sqlite3.SQLITE_CONSTRAINT_CHECK,
			models.ConstraintError{Type: models.ConstraintCheck, Constraint: "small < 10"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, driverErr := db.ExecContext(ctx, tc.sql)
			if driverErr == nil {
				t.Fatal("statement succeeded")
			}
			// Extended result codes are on: not the primary SQLITE_CONSTRAINT (19).
			if code := sqliteCode(driverErr); code != tc.code {
				t.Fatalf("driver code %d, want %d: %v", code, tc.code, driverErr)
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
			if !errors.Is(err, driverErr) || !errors.Is(ce, driverErr) {
				t.Error("driver error not in the chain")
			}
			if msg := models.AsError(err).Message; msg != ce.Detail() || msg == "" {
				t.Errorf("Message %q, Detail %q", msg, ce.Detail())
			}
			t.Logf("%s | %s", models.AsError(err).Message, err)

			// Classify is idempotent and sees through wrapping.
			if again := s.Classify(err); again != err {
				t.Errorf("Classify(classified) = %v", again)
			}
			wrapped := sqlitestore.Classify(fmt.Errorf("create child: %w", driverErr))
			wantKind(t, wrapped, models.KindValidation)
			if !errors.As(wrapped, &ce) || ce.Type != tc.want.Type {
				t.Errorf("wrapped: %v", wrapped)
			}
		})
	}
}

func TestClassifyOthers(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	db := mustCreate(t, s, "others", 2)
	syntaxErr := func() error {
		_, err := db.ExecContext(ctx, "SELEC 1")
		return err
	}()
	if syntaxErr == nil {
		t.Fatal("syntax error not reported")
	}
	plain := errors.New("plain")
	classified := models.UserErrorf("already classified")

	for _, tc := range []struct {
		name string
		in   error
	}{
		{"Nil", nil},
		{"Plain", plain},
		{"NoRows", sql.ErrNoRows},
		{"Classified", classified},
		{"SyntaxError", syntaxErr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Classify(tc.in); got != tc.in {
				t.Errorf("Classify(%v) = %v, want it unchanged", tc.in, got)
			}
		})
	}

	t.Run("Locked", func(t *testing.T) {
		// On one connection, dropping a table that an unfinished statement
		// reads fails with SQLITE_LOCKED.
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		rows, err := conn.QueryContext(ctx, "SELECT n FROM t")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		if !rows.Next() {
			t.Fatal("no row")
		}
		_, err = conn.ExecContext(ctx, "DROP TABLE t")
		if code := sqliteCode(err); code&0xff != sqlite3.SQLITE_LOCKED {
			t.Fatalf("code %d (%v), want SQLITE_LOCKED", code, err)
		}
		wantKind(t, s.Classify(err), models.KindRetryable)
	})
}
