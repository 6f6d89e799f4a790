package base

import (
	"context"
	"strings"

	"github.com/godoo/godoo/models"
)

// insertBatch is how many rows one INSERT of insertRows carries: enough
// that a new database's thousands of ir.model.fields and selection rows
// take a few dozen statements instead of one each (parsing a statement is
// most of SQLite's cost here), and few enough to stay well under either
// store's limit of bound values.
const insertBatch = 200

// insertRows adds rows to table in batches, with the log columns of env's
// user and time. It is for the bookkeeping rows SyncModels records (the
// models' own fields and selection values), which no hook or compute of
// their models concerns: the engine's create would only cost more.
func insertRows(ctx context.Context, env *models.Env, table string, cols []string, rows [][]any) error {
	now := env.NowText()
	return insertBatches(ctx, env, table, append(append([]string(nil), cols...), "create_uid", "create_date", "write_uid", "write_date"),
		rows, []any{env.UID, now, env.UID, now})
}

// insertPlainRows adds rows to a table without log columns (a many2many's
// link table), in batches.
func insertPlainRows(ctx context.Context, env *models.Env, table string, cols []string, rows [][]any) error {
	return insertBatches(ctx, env, table, cols, rows, nil)
}

// insertBatches inserts rows, each followed by the values of tail, into
// the columns all of table, insertBatch rows a statement.
func insertBatches(ctx context.Context, env *models.Env, table string, all []string, rows [][]any, tail []any) error {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(all)), ", ") + ")"
	for start := 0; start < len(rows); start += insertBatch {
		end := min(start+insertBatch, len(rows))
		var q strings.Builder
		q.WriteString("INSERT INTO " + table + " (" + strings.Join(all, ", ") + ") VALUES ")
		args := make([]any, 0, (end-start)*len(all))
		for i, r := range rows[start:end] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(row)
			args = append(args, r...)
			args = append(args, tail...)
		}
		if _, err := env.Exec(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
