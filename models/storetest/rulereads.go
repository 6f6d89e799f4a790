package storetest

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
)

// RuleRead is one call of a test of a record rule that reads the records
// other records belong to (ir.attachment's, mail.message's): what it
// answers, and how many rows the rule's reads may return in all.
type RuleRead struct {
	Name string
	Run  func(env *models.Env) ([]int64, error)
	Want []int64
	Rows int64
}

// CheckRuleReads runs each call as uid in a transaction of inTx, and checks
// its answer and the rows read by its statements that start with prefix
// (each run again on db as a count once the call is over).
func CheckRuleReads(t *testing.T, db *bun.DB, inTx func(uid int64, fn func(env *models.Env) error) error, uid int64, prefix string, calls []RuleRead) {
	t.Helper()
	for _, c := range calls {
		t.Run(c.Name, func(t *testing.T) {
			var idb *prefixIDB
			var got []int64
			if err := inTx(uid, func(env *models.Env) error {
				idb = &prefixIDB{IDB: env.DB, prefix: prefix}
				env.DB = idb
				var err error
				got, err = c.Run(env)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.Want) {
				t.Errorf("the user sees %v, want %v", got, c.Want)
			}
			if len(idb.stmts) == 0 {
				t.Fatalf("no statement starts with %q", prefix)
			}
			var rows int64
			for i, q := range idb.stmts {
				var n int64
				if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM ("+q+") x", idb.args[i]...).Scan(&n); err != nil {
					t.Fatal(err)
				}
				rows += n
			}
			if rows != c.Rows {
				t.Errorf("the rule's statements read %d rows, want %d", rows, c.Rows)
			}
		})
	}
}

// InternalUser creates a user of the group base.group_user alone, as
// administrators make the users a rule restricts.
func InternalUser(ctx context.Context, env *models.Env, login string) (int64, error) {
	gid, err := env.XMLID(ctx, "base.group_user")
	if err != nil {
		return 0, err
	}
	return env.Create(ctx, env.Registry.Model("res.users"), map[string]any{"name": login, "login": login,
		"groups_id": []any{[]any{int64(6), int64(0), []any{gid}}}})
}

// prefixIDB keeps the statements that start with prefix, with their
// arguments.
type prefixIDB struct {
	bun.IDB
	prefix string
	stmts  []string
	args   [][]any
}

func (p *prefixIDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if strings.HasPrefix(q, p.prefix) {
		p.stmts, p.args = append(p.stmts, q), append(p.args, args)
	}
	return p.IDB.QueryContext(ctx, q, args...)
}

// Attached creates, for each of names, a partner and a record of m that
// belongs to it (modelField "res.partner", res_id the partner, textField
// the name), then one record of m that belongs to a model godoo does not
// serve; it returns the partners and the records of m that belong to them.
func Attached(ctx context.Context, env *models.Env, m *models.Model, modelField, textField string, names ...string) (partners, recs []int64, err error) {
	for _, name := range names {
		p, err := env.Create(ctx, env.Registry.Model("res.partner"), map[string]any{"name": name})
		if err != nil {
			return nil, nil, err
		}
		id, err := env.Create(ctx, m, map[string]any{textField: name, modelField: "res.partner", "res_id": p})
		if err != nil {
			return nil, nil, err
		}
		partners, recs = append(partners, p), append(recs, id)
	}
	_, err = env.Create(ctx, m, map[string]any{textField: "other", modelField: "x.unserved", "res_id": int64(1)})
	return partners, recs, err
}

// SelfAttached creates a record of m that belongs to itself (modelField
// names m, res_id its own id), which a rule following the records others
// belong to must answer without asking itself again.
func SelfAttached(ctx context.Context, env *models.Env, m *models.Model, modelField, textField string) (int64, error) {
	id, err := env.Create(ctx, m, map[string]any{textField: "self", modelField: m.Name, "res_id": int64(1)})
	if err != nil {
		return 0, err
	}
	return id, env.Write(ctx, m, []int64{id}, map[string]any{"res_id": id})
}

// StatementCounter is a query hook (bun.DB.AddQueryHook) that counts the
// statements naming Table ("" counts every statement).
type StatementCounter struct {
	Table string
	N     atomic.Int64
}

// BeforeQuery counts the statement.
func (c *StatementCounter) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if strings.Contains(e.Query, c.Table) {
		c.N.Add(1)
	}
	return ctx
}

// AfterQuery does nothing.
func (c *StatementCounter) AfterQuery(context.Context, *bun.QueryEvent) {}
