package account

import (
	"slices"
	"testing"
)

// TestCompanyPath: the companies of a parent_path, root first; a company
// whose path is empty (not yet written) is its own hierarchy.
func TestCompanyPath(t *testing.T) {
	for _, c := range []struct {
		path    string
		company int64
		want    []int64
	}{
		{"1/", 1, []int64{1}},
		{"1/4/12/", 12, []int64{1, 4, 12}},
		{"", 7, []int64{7}},
		{"", 0, nil},
	} {
		if got := CompanyPath(c.path, c.company); !slices.Equal(got, c.want) {
			t.Errorf("CompanyPath(%q, %d) = %v, want %v", c.path, c.company, got, c.want)
		}
	}
}
