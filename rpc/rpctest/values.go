package rpctest

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
)

// The values below are what the tests and benchmarks of both wire formats
// (rpc/xmlrpc, rpc/jsonrpc) encode and decode.

// randomKeys are the names random maps draw from, so that sibling maps
// often share their keys (which the encoders remember) and sometimes not.
var randomKeys = []string{"id", "name", "email", "active", "a&b", "<k>", "é", "k\x01", "", "z", "parent_id", "q\"b"}

// RandomValue builds a value of the shapes the codecs meet, nested at most
// a few levels deep.
func RandomValue(rng *rand.Rand, depth int) any {
	n := 14
	if depth >= 4 {
		n = 8 // scalars only
	}
	switch rng.IntN(n) {
	case 0:
		return nil
	case 1:
		return rng.IntN(2) == 0
	case 2:
		return randomString(rng)
	case 3:
		return randomInt(rng)
	case 4:
		return randomFloat(rng)
	case 5:
		switch rng.IntN(6) {
		case 0:
			return int(randomInt(rng))
		case 1:
			return int32(randomInt(rng))
		case 2:
			return uint8(rng.Uint32())
		case 3:
			return float32(randomFloat(rng))
		case 4:
			return []byte(randomString(rng))
		}
		return time.Unix(rng.Int64N(1<<33), rng.Int64N(1e9)).In(time.FixedZone("Z", 3600*rng.IntN(5)))
	case 6:
		ids := make([]int64, rng.IntN(4))
		for i := range ids {
			ids[i] = randomInt(rng)
		}
		return ids
	case 7:
		return []any{randomInt(rng), randomString(rng)} // a many2one pair
	case 8, 9:
		l := make([]any, rng.IntN(5))
		for i := range l {
			l[i] = RandomValue(rng, depth+1)
		}
		if len(l) == 0 && rng.IntN(2) == 0 {
			return []any(nil)
		}
		return l
	case 10, 11:
		return randomMap(rng, depth)
	case 12:
		recs := make([]models.Record, rng.IntN(5))
		for i := range recs {
			recs[i] = randomMap(rng, depth+1)
		}
		if rng.IntN(2) == 0 {
			plain := make([]map[string]any, len(recs))
			for i, r := range recs {
				plain[i] = r
			}
			return plain
		}
		return recs
	}
	switch rng.IntN(5) {
	case 0:
		return map[string]int{randomString(rng): rng.IntN(100)}
	case 1:
		return []string{randomString(rng), randomString(rng)}
	case 2:
		return models.Record(randomMap(rng, depth))
	case 3:
		v := RandomValue(rng, depth+1)
		return &v
	}
	return map[int]any{rng.IntN(10): RandomValue(rng, depth+1)}
}

func randomMap(rng *rand.Rand, depth int) map[string]any {
	m := make(map[string]any)
	first := rng.IntN(len(randomKeys))
	for i := range rng.IntN(6) {
		k := randomKeys[(first+i)%len(randomKeys)]
		if rng.IntN(8) == 0 {
			k = randomString(rng)
		}
		m[k] = RandomValue(rng, depth+1)
	}
	return m
}

func randomInt(rng *rand.Rand) int64 {
	switch rng.IntN(4) {
	case 0:
		return rng.Int64N(300)
	case 1:
		return rng.Int64N(1<<32) - 1<<31
	case 2:
		return -rng.Int64N(1 << 40)
	}
	return int64(rng.Uint64())
}

func randomFloat(rng *rand.Rand) float64 {
	switch rng.IntN(6) {
	case 0:
		return float64(rng.Int64N(2_000_000)-1_000_000) / 1000
	case 1:
		return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
	case 2:
		return math.Float64frombits(rng.Uint64())
	case 3:
		return []float64{0, math.Copysign(0, -1), math.Inf(1), math.NaN(), 1e16, 1e-4, 5e-324, math.MaxFloat64}[rng.IntN(8)]
	}
	return rng.Float64() * 1e9
}

// randomString mixes plain text with the characters codecs must treat
// specially, including invalid UTF-8.
func randomString(rng *rand.Rand) string {
	parts := []string{"a", "Partner", " ", "&", "<", ">", "\"", "'", "\\", "\n", "\r", "\t", "\x00", "\x01", "\x1f", "\x7f",
		"é", "日本", "🎉", "\u2028", "\uFFFE", "\uFFFF", "\xff", "\xc3", "]]>", "&amp;", "0123456789abcdef"}
	var b strings.Builder
	for range rng.IntN(8) {
		b.WriteString(parts[rng.IntN(len(parts))])
	}
	return b.String()
}

// SearchReadRecords is what the ORM hands the codecs for
// search_read(fields=8 fields, limit=80) on res.partner: n records of the id
// plus 8 fields, with strings that need escaping, false for empty values,
// ints, floats and many2one [id, name] pairs.
func SearchReadRecords(n int) []models.Record {
	countries := [][]any{{int64(21), "Belgium"}, {int64(75), "France"}, {int64(133), "Luxembourg"}}
	recs := make([]models.Record, n)
	for i := range recs {
		r := models.Record{
			"id":               int64(1000 + i),
			"name":             fmt.Sprintf("Partner %d", i),
			"email":            fmt.Sprintf("partner%d@example.com", i),
			"phone":            false,
			"is_company":       false,
			"color":            int64(i % 12),
			"country_id":       countries[i%3],
			"parent_id":        false,
			"partner_latitude": float64(i) * 0.125,
		}
		switch i % 4 {
		case 0:
			r["name"] = fmt.Sprintf("Café & Co <Brussels> %d", i)
			r["is_company"] = true
			r["phone"] = "+32 2 555 01 23"
		case 1:
			r["parent_id"] = []any{int64(1000 + i - 1), fmt.Sprintf("Café & Co <Brussels> %d", i-1)}
			r["country_id"] = false
		case 2:
			r["email"] = false
			r["partner_latitude"] = 50.8503396
		}
		recs[i] = r
	}
	return recs
}

// TableOf makes the *models.Table of records that all have the same keys,
// as search_read's fast path does.
func TableOf(recs []models.Record) *models.Table {
	t := &models.Table{}
	if len(recs) == 0 {
		t.Names = []string{"id", "name"}
		return t
	}
	for k := range recs[0] {
		t.Names = append(t.Names, k)
	}
	slices.Sort(t.Names)
	for _, r := range recs {
		for _, k := range t.Names {
			t.Values = append(t.Values, r[k])
		}
	}
	return t
}

// BenchEncode runs enc on v into a reused buffer; v is boxed once, as a
// handler's result is.
func BenchEncode(b *testing.B, enc func(*bytes.Buffer, any) error, v any) {
	var buf bytes.Buffer
	if err := enc(&buf, v); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := enc(&buf, v); err != nil {
			b.Fatal(err)
		}
	}
}

// PoolDropsItems reports whether sync.Pool throws items away at random, as
// it does under the race detector, which makes allocation counts meaningless.
func PoolDropsItems() bool {
	var p sync.Pool
	for range 200 {
		p.Put(new(int))
		if p.Get() == nil {
			return true
		}
	}
	return false
}
