package rpc_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/godoo/godoo/models"
)

// randomKeys are the names random maps draw from, so that sibling maps
// often share their keys (which the encoders remember) and sometimes not.
var randomKeys = []string{"id", "name", "email", "active", "a&b", "<k>", "é", "k\x01", "", "z", "parent_id", "q\"b"}

// randomValue builds a value of the shapes the codecs meet, nested at most
// a few levels deep.
func randomValue(rng *rand.Rand, depth int) any {
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
			l[i] = randomValue(rng, depth+1)
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
		v := randomValue(rng, depth+1)
		return &v
	}
	return map[int]any{rng.IntN(10): randomValue(rng, depth+1)}
}

func randomMap(rng *rand.Rand, depth int) map[string]any {
	m := make(map[string]any)
	first := rng.IntN(len(randomKeys))
	for i := range rng.IntN(6) {
		k := randomKeys[(first+i)%len(randomKeys)]
		if rng.IntN(8) == 0 {
			k = randomString(rng)
		}
		m[k] = randomValue(rng, depth+1)
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
