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
// user and time when its model keeps them. It is for the bookkeeping rows SyncModels records (the
// models' own fields and selection values), which no hook or compute of
// their models concerns: the engine's create would only cost more.
func insertRows(ctx context.Context, env *models.Env, table string, cols []string, rows [][]any) error {
	all := append([]string(nil), cols...)
	logged := true
	for _, name := range env.Registry.Names() {
		if m := env.Registry.Model(name); m.Table == table {
			logged = m.LogAccess()
		}
	}
	if logged {
		all = append(all, "create_uid", "create_date", "write_uid", "write_date")
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(all)), ", ") + ")"
	now := env.NowText()
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
			if logged {
				args = append(args, env.UID, now, env.UID, now)
			}
		}
		if _, err := env.Exec(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
