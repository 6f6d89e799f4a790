package models

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// The SQL helpers below run statements on the call's transaction with bun's
// ? placeholders, classify driver errors into kinds, and bind large
// arguments as driver parameters (see largeargs.go). The engine and the Go
// behaviour of declared models use them for what the ORM methods do not
// express.

// Query runs a SELECT with bun's placeholders and returns the rows.
func (e *Env) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if r, native, bound, ok := boundRunner(e.DB, e.Dialect, q, args); ok {
		rows, err := r.QueryContext(ctx, native, bound...)
		if err != nil {
			return nil, e.Classify(err)
		}
		return rows, nil
	}
	rows, err := e.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, e.Classify(err)
	}
	return rows, nil
}

// Exec runs a statement with bun's placeholders.
func (e *Env) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if r, native, bound, ok := boundRunner(e.DB, e.Dialect, q, args); ok {
		res, err := r.ExecContext(ctx, native, bound...)
		if err != nil {
			return nil, e.Classify(err)
		}
		return res, nil
	}
	res, err := e.DB.ExecContext(ctx, q, args...)
	if err != nil {
		return nil, e.Classify(err)
	}
	return res, nil
}

// queryRow runs a query returning one row, with bun's placeholders.
func (e *Env) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if r, native, bound, ok := boundRunner(e.DB, e.Dialect, q, args); ok {
		return r.QueryRowContext(ctx, native, bound...)
	}
	return e.DB.QueryRowContext(ctx, q, args...)
}

// Scalar runs a query returning one value; ok is false when it has no row.
func (e *Env) Scalar(ctx context.Context, dst any, q string, args ...any) (bool, error) {
	err := e.queryRow(ctx, q, args...).Scan(dst)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, e.Classify(err)
	}
	return true, nil
}

// Int64s runs a query of one integer column and returns its values.
func (e *Env) Int64s(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := e.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// One scan target for every row: a variable declared in the loop
	// escapes to the heap through Scan, one allocation per row (ten of a
	// small search's 70, ten thousand for as many ids).
	var out []int64
	var id int64
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if out == nil {
			out = make([]int64, 0, 16)
		}
		out = append(out, id)
	}
	return out, e.Classify(rows.Err())
}

// Strings runs a query of one text column and returns its values.
func (e *Env) Strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := e.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	var s string // one scan target for every row, as Int64s
	for rows.Next() {
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, e.Classify(rows.Err())
}

// Pairs runs a query of two integer columns and groups the second by the
// first: link table rows by the record they belong to.
func (env *Env) Pairs(ctx context.Context, q string, args ...any) (map[int64][]int64, error) {
	rows, err := env.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	out, err := ScanPairs(rows)
	return out, env.Classify(err)
}

// ScanPairs reads rows of two integer columns, grouping the second by the
// first, and closes rows: the one reading of link pairs for calls (Pairs)
// and for readers outside a call.
func ScanPairs(rows *sql.Rows) (map[int64][]int64, error) {
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		out[a] = append(out[a], b)
	}
	return out, rows.Err()
}

// Placeholders is n bun placeholders separated by commas, for an IN list.
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// IDArgs turns ids into statement arguments.
func IDArgs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// UniqueIDs returns ids without repeats, in their first order.
func UniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
