//go:build unix

package services

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// BenchmarkExecute runs the calls of `godoo bench`'s small and xml-key
// scenarios below the HTTP layer, as rpc makes them: the check of the
// call's API key (Auth.Password), then Object.Execute of search (10 ids)
// or search_read (80 records × 8 columns) on a database of 400 partners,
// on SQLite and, with GODOO_TEST_DSN, on PostgreSQL. It is the part of a
// call's cost that the services, auth and models own.
//
// Besides the wall time and the allocations it reports the process's CPU
// time per call (cpu-ns/op: user and system time of every thread, the
// garbage collector and the driver's goroutines included, the database
// server's excluded), which other work on a shared machine changes far
// less than the wall time, and the statements a warm call sends to the
// database (stmts/op), each one round trip.
func BenchmarkExecute(b *testing.B) {
	for _, st := range testStores() {
		b.Run(st.name, func(b *testing.B) {
			set, name := createTestDB(b, st.open(b), "bench_execute")
			ctx := context.Background()
			admin := adminCaller(b, set, name, testAdminPassword)
			vals := make([]any, 400)
			for i := range vals {
				vals[i] = map[string]any{"name": fmt.Sprintf("Partner %03d", i), "is_company": i%2 == 0,
					"email": fmt.Sprintf("partner%d@example.com", i), "phone": "+32 2 555 01 23",
					"street": "Rue de la Loi 16", "city": "Brussels", "zip": "1000", "website": "https://example.com"}
			}
			admin("res.partner", "create", vals)
			key, err := set.Database.CreateAPIKey(ctx, name, KeyOptions{Login: "admin", Name: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			db, err := set.core.open(ctx, name)
			if err != nil {
				b.Fatal(err)
			}
			domain := []any{[]any{"is_company", "=", true}}
			fields := []any{"name", "email", "phone", "street", "city", "zip", "website", "is_company"}
			calls := []struct {
				name, method string
				kwargs       map[string]any
				want         int
			}{
				{"search", "search", map[string]any{"limit": int64(10), "order": "name"}, 10},
				{"search_read", "search_read", map[string]any{"fields": fields, "limit": int64(80), "order": "name"}, 80},
			}
			for _, c := range calls {
				call := func() {
					// A call's context has a deadline, as rpc gives every
					// call one.
					ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
					defer cancel()
					id, err := set.Auth.Password(ctx, Credentials{DB: name, UID: 2, Password: key.Clear})
					if err != nil {
						b.Fatal(err)
					}
					res, err := set.Object.Execute(ctx, id, "res.partner", c.method, []any{domain}, c.kwargs)
					if err != nil {
						b.Fatal(err)
					}
					if n := answerLen(res); n != c.want {
						b.Fatalf("%s: %d records, want %d", c.method, n, c.want)
					}
				}
				b.Run(c.name, func(b *testing.B) {
					// Warm: the caches of the key, the access rights and the
					// rules are filled by the first calls, as on a server.
					for range 20 {
						call()
					}
					count := &storetest.StatementCounter{}
					db.AddQueryHook(count)
					const counted = 50
					for range counted {
						call()
					}
					db.ResetQueryHooks()
					b.ReportAllocs()
					b.ResetTimer()
					cpu := processCPU()
					for b.Loop() {
						call()
					}
					b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
					b.ReportMetric(float64(count.N.Load())/counted, "stmts/op")
				})
			}
		})
	}
}

// answerLen is the number of records of a search or search_read answer.
func answerLen(res any) int {
	switch r := res.(type) {
	case []int64:
		return len(r)
	case []any:
		return len(r)
	case *models.Table:
		return r.Len()
	}
	return -1
}

// processCPU is the CPU time this process used so far, in user and
// system mode, in nanoseconds.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
