package mail_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestVacuumUnsentConcurrent checks, on both stores, that the cleanup of
// stale unsent e-mails each notification runs has its index, and that on
// PostgreSQL a notification posted while another call's transaction is
// deleting stale e-mails takes others instead of waiting for its locks
// (SQLite has one writer at a time: the second call comes after the
// first commits). Between them, the two calls delete every stale e-mail.
func TestVacuumUnsentConcurrent(t *testing.T) {
	const stale = 101 // one more than a notification deletes
	storetest.EachInstalled(t, withMail, func(t *testing.T, s models.Store, db *bun.DB, r *models.Registry, inTx storetest.InTx) {
		ctx := context.Background()
		indexed := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'mail_mail_vacuum_index'"
		if s.Dialect() == "pg" {
			indexed = "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'mail_mail_vacuum_index'"
		}
		var n int
		if err := db.QueryRowContext(ctx, indexed).Scan(&n); err != nil || n != 1 {
			t.Errorf("the cleanup's index: %d (%v), want 1", n, err)
		}
		partners, threads := r.Model("res.partner"), r.Model("mail.blacklist")
		var records [2]int64 // one for each call, whose followers do not meet
		var reader int64
		if err := inTx(models.SuperuserID, func(env *models.Env) error {
			env = env.WithContext(map[string]any{"tracking_disable": true})
			var err error
			for i := range records {
				if records[i], err = env.Create(ctx, threads, map[string]any{"email": fmt.Sprintf("b%d@example.com", i)}); err != nil {
					return err
				}
			}
			if reader, err = env.Create(ctx, partners, map[string]any{"name": "Reader", "email": "r@example.com"}); err != nil {
				return err
			}
			msg, err := env.Create(ctx, r.Model("mail.message"), map[string]any{"body": "old", "model": "mail.blacklist", "res_id": records[0]})
			if err != nil {
				return err
			}
			for range stale {
				if _, err := env.Create(ctx, r.Model("mail.mail"), map[string]any{"mail_message_id": msg, "body_html": "old",
					"auto_delete": true, "state": "exception"}); err != nil {
					return err
				}
			}
			_, err = env.Exec(ctx, "UPDATE mail_mail SET create_date = ?", "2000-01-01 00:00:00")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// post posts, in tx, a message on record that notifies the reader
		// by e-mail.
		post := func(tx bun.Tx, record int64) error {
			env := models.NewEnv(tx, s.Dialect(), r, s.Classify, models.SuperuserID, time.Now())
			_, err := threads.Methods["message_post"].Fn(ctx, env, threads, []int64{record}, models.Args{"body": "News",
				"message_type": "comment", "subtype_xmlid": "mail.mt_comment", "partner_ids": []any{reader}})
			return err
		}
		begin := func() bun.Tx {
			t.Helper()
			tx, err := db.BeginTx(ctx, &sql.TxOptions{})
			if err != nil {
				t.Fatal(err)
			}
			return tx
		}
		first := begin()
		defer first.Rollback()
		if err := post(first, records[0]); err != nil {
			t.Fatal(err)
		}
		if s.Dialect() != "pg" {
			if err := first.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		second := begin()
		defer second.Rollback()
		if s.Dialect() == "pg" {
			// Waiting for the first call's locks fails the call rather
			// than the test hanging.
			if _, err := second.ExecContext(ctx, "SET LOCAL lock_timeout = '10s'"); err != nil {
				t.Fatal(err)
			}
		}
		if err := post(second, records[1]); err != nil {
			t.Fatalf("a notification beside another: %v", err)
		}
		if err := second.Commit(); err != nil {
			t.Fatal(err)
		}
		if s.Dialect() == "pg" {
			if err := first.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		var left int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM mail_mail WHERE create_date < '2001-01-01'").Scan(&left); err != nil || left != 0 {
			t.Errorf("%d stale e-mails left (%v), want 0", left, err)
		}
	})
}
