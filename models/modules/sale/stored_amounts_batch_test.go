package sale

import (
	"errors"
	"slices"
	"testing"
)

// TestInBatches checks that the stored values of many orders (every order
// of a product, a database's fill) are computed fillBatch orders at a
// time, every order once and in order, and that the first error stops.
func TestInBatches(t *testing.T) {
	ids := func(n int) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(i + 1)
		}
		return out
	}
	for _, tc := range []struct {
		n     int
		sizes []int
	}{
		{0, nil},
		{1, []int{1}},
		{fillBatch, []int{fillBatch}},
		{2*fillBatch + 1, []int{fillBatch, fillBatch, 1}},
	} {
		var sizes []int
		var seen []int64
		if err := inBatches(ids(tc.n), func(batch []int64) error {
			sizes = append(sizes, len(batch))
			seen = append(seen, batch...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(sizes, tc.sizes) || !slices.Equal(seen, ids(tc.n)) {
			t.Errorf("%d orders: batches of %v, want %v, every order once in order", tc.n, sizes, tc.sizes)
		}
	}
	calls := 0
	stop := errors.New("stop")
	if err := inBatches(ids(3*fillBatch), func([]int64) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("an error: %v after %d calls, want it after 1", err, calls)
	}
}
