package models

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/uptrace/bun"
)

// largeArgBytes is the size from which a statement's arguments travel to
// the driver as bound parameters instead of being written into the
// statement's text. bun formats every argument into the SQL it sends, which
// for a value of many megabytes (a file in a binary field, a long text)
// means several growing copies of it; a bound parameter is copied once,
// into the driver's message. Small statements keep bun's formatting, which
// is the faster path for the values every call carries.
const largeArgBytes = 1 << 20

// sqlRunner is what database/sql's transactions, connections and pools
// share.
type sqlRunner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// boundRunner returns the database/sql handle under db, the statement q
// rewritten with the dialect's own placeholders and the arguments to bind
// with it, when one of args is large enough to be worth binding; ok is
// false otherwise.
func boundRunner(db bun.IDB, dialect, q string, args []any) (r sqlRunner, native string, bound []any, ok bool) {
	if !hasLargeArg(args) {
		return nil, "", nil, false
	}
	switch x := db.(type) {
	case bun.Tx:
		r = x.Tx
	case *bun.Tx:
		r = x.Tx
	case *bun.DB:
		r = x.DB
	case bun.Conn:
		r = x.Conn
	case *bun.Conn:
		r = x.Conn
	default:
		return nil, "", nil, false
	}
	if dialect == "pg" {
		q = dollarPlaceholders(q)
		args = bytesViews(args)
	}
	return r, q, args, true
}

// bytesViews returns args with its large strings replaced by byte slices
// over the same memory. lib/pq copies a string parameter into a new byte
// slice before appending it to its message; a byte slice for a parameter
// the server types as text is appended as it is. The slices are only read.
// The replacements go to a copy: args may be shared beyond the statement
// (the arguments of a compiled rule serve every call that applies it), and
// a []byte where a caller put a string would change what it later sends.
func bytesViews(args []any) []any {
	var out []any
	for i, a := range args {
		if s, ok := a.(string); ok && len(s) >= largeArgBytes {
			if out == nil {
				out = slices.Clone(args)
			}
			out[i] = unsafe.Slice(unsafe.StringData(s), len(s))
		}
	}
	if out == nil {
		return args
	}
	return out
}

func hasLargeArg(args []any) bool {
	for _, a := range args {
		switch v := a.(type) {
		case string:
			if len(v) >= largeArgBytes {
				return true
			}
		case []byte:
			if len(v) >= largeArgBytes {
				return true
			}
		}
	}
	return false
}

// dollarPlaceholders turns bun's ? placeholders into PostgreSQL's $1, $2...
// Question marks inside quoted literals and identifiers are kept: godoo's
// statements name their values only through placeholders.
func dollarPlaceholders(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
