package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models"
)

// The bench's data is written by SQL, in one transaction per table, into a
// scratch database that godoo bench made and drops again: a fixture, as the
// integration tests' fillKeys, not a path of the server.

// seedChunk is the number of rows of one INSERT.
const seedChunk = 500

var (
	seedWords  = []string{"Alpha", "Azure", "Beacon", "Cedar", "Delta", "Ember", "Falcon", "Garnet", "Harbor", "Indigo", "Juniper", "Kestrel", "Lumen", "Maple", "Nimbus", "Onyx", "Pioneer", "Quartz", "Raven", "Summit", "Tundra", "Umber", "Vertex", "Willow"}
	seedKinds  = []string{"Trading", "Logistics", "Foods", "Systems", "Partners", "Textiles", "Motors", "Labs"}
	seedCities = []string{"Brussels", "Ghent", "Liège", "Namur", "Antwerp", "Leuven", "Mons", "Bruges"}
)

// SeedPartners adds n partners: every fifth one a company (20%), and one in
// ten archived, independently of being a company (90% active). Names are
// shuffled so that ordering by name is real work; every partner has all 8
// fields of the scenarios filled in. It returns the number of active
// companies in the table (the new ones and those the database had), which
// the search_read domain finds.
func SeedPartners(ctx context.Context, db *bun.DB, n int) (int, error) {
	rng := mrand.New(mrand.NewPCG(6, uint64(n)))
	now := time.Now().UTC().Format(models.DatetimeLayout)
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for done := 0; done < n; done += seedChunk {
			var q strings.Builder
			q.WriteString(`INSERT INTO res_partner (name, email, phone, street, city, zip, website, is_company, active,
				type, lang, color, create_uid, write_uid, create_date, write_date) VALUES `)
			args := make([]any, 0, 13*seedChunk)
			for i := done; i < n && i < done+seedChunk; i++ {
				if i > done {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, 'contact', 'en_US', 0, 1, 1, ?, ?)")
				company := i%5 == 4
				active := (i/5)%10 != 9
				word, kind := seedWords[rng.IntN(len(seedWords))], seedKinds[rng.IntN(len(seedKinds))]
				name := fmt.Sprintf("%s %s %05d", word, kind, rng.IntN(100000))
				if !company {
					name = fmt.Sprintf("%s %s %05d", kind, word, rng.IntN(100000))
				}
				slug := strings.ToLower(word)
				args = append(args, name,
					fmt.Sprintf("contact%d@%s.example.com", i, slug),
					fmt.Sprintf("+32 2 %03d %02d %02d", rng.IntN(1000), rng.IntN(100), rng.IntN(100)),
					fmt.Sprintf("Rue %s %d", word, 1+rng.IntN(200)),
					seedCities[rng.IntN(len(seedCities))],
					fmt.Sprintf("%04d", 1000+rng.IntN(9000)),
					fmt.Sprintf("https://www.%s%d.example.com", slug, i),
					company, active, now, now)
			}
			if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
				return fmt.Errorf("seed partners: %w", err)
			}
		}
		// A company is its own commercial partner, as the ORM makes it.
		if _, err := tx.ExecContext(ctx, "UPDATE res_partner SET commercial_partner_id = id WHERE commercial_partner_id IS NULL"); err != nil {
			return fmt.Errorf("seed partners: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := afterBulk(ctx, db, "res_partner"); err != nil {
		return 0, err
	}
	var matching int
	err = db.QueryRowContext(ctx, "SELECT COUNT(*) FROM res_partner WHERE is_company = ? AND active = ?", true, true).Scan(&matching)
	return matching, err
}

// FillKeys adds native keys of uid by SQL, with random key ids and random
// hashes, until res_users_apikeys holds n keys, as the integration tests'
// key benchmarks do.
func FillKeys(ctx context.Context, db *bun.DB, uid int64, n int) error {
	var have int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM res_users_apikeys").Scan(&have); err != nil {
		return err
	}
	now := time.Now().UTC().Format(models.DatetimeLayout)
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for done := have; done < n; done += seedChunk {
			var q strings.Builder
			q.WriteString("INSERT INTO res_users_apikeys (name, user_id, key_index, key, create_date) VALUES ")
			args := make([]any, 0, 5*seedChunk)
			for i := done; i < n && i < done+seedChunk; i++ {
				if i > done {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?, ?, ?)")
				var raw [40]byte
				_, _ = rand.Read(raw[:])
				args = append(args, fmt.Sprintf("filler %d", i), uid, hex.EncodeToString(raw[:8]), "sha256$"+hex.EncodeToString(raw[8:]), now)
			}
			if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
				return fmt.Errorf("fill keys: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return afterBulk(ctx, db, "res_users_apikeys")
}

// PickIDs returns n partner ids spread over the table, for the read
// scenario.
func PickIDs(ctx context.Context, db *bun.DB, n int) ([]int64, error) {
	var total int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM res_partner").Scan(&total); err != nil {
		return nil, err
	}
	step := max(total/max(n, 1), 1)
	var ids []int64
	err := db.NewSelect().Table("res_partner").Column("id").
		Where("id % ? = 0", step).Order("id").Limit(n).Scan(ctx, &ids)
	if err != nil {
		return nil, err
	}
	if len(ids) < n {
		return nil, fmt.Errorf("only %d partners to read, want %d", len(ids), n)
	}
	return ids, nil
}

// StoreVersion returns the database server's version.
func StoreVersion(ctx context.Context, db *bun.DB, dialect string) (string, error) {
	q := "SHOW server_version"
	if dialect == "sqlite" {
		q = "SELECT sqlite_version()"
	}
	var v string
	err := db.QueryRowContext(ctx, q).Scan(&v)
	return v, err
}
