package bench_test

import (
	"slices"
	"testing"

	"github.com/godoo/godoo/cmd/godoo/internal/bench"
)

func TestPickScenarios(t *testing.T) {
	tests := []struct {
		name, flag        string
		canNoAuth         bool
		want, wantSkipped []string
	}{
		{"all with auth off", "all", true, bench.ScenarioIDs, nil},
		{"all without", "all", false, slices.DeleteFunc(slices.Clone(bench.ScenarioIDs), func(id string) bool {
			return slices.Contains(bench.NoAuthScenarios, id)
		}), bench.NoAuthScenarios},
		{"report order and no repeats", "flood, xml-key,flood", false, []string{"xml-key", "flood"}, nil},
		{"the soak only when named, last", "soak,xml-key", false, []string{"xml-key", bench.SoakID}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids, skipped, err := bench.PickScenarios(tc.flag, tc.canNoAuth)
			if err != nil || !slices.Equal(ids, tc.want) || !slices.Equal(skipped, tc.wantSkipped) {
				t.Errorf("pickScenarios(%q) = %v, %v, %v; want %v, %v", tc.flag, ids, skipped, err, tc.want, tc.wantSkipped)
			}
		})
	}
}

func TestRedactArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--db-url", "postgres://bench:s3cret@db:5432/postgres"}, "--db-url postgres://bench:xxxxx@db:5432/postgres"},
		{[]string{"--db-url=postgres://bench:s3cret@db/postgres?sslmode=disable"}, "--db-url=postgres://bench:xxxxx@db/postgres?sslmode=disable"},
		{[]string{"--db-url", "host=db password=s3cret user=bench"}, "--db-url host=db password=xxxxx user=bench"},
		{[]string{"--db-url", "postgres://postgres@127.0.0.1:5432/postgres", "--clients", "1,8"}, "--db-url postgres://postgres@127.0.0.1:5432/postgres --clients 1,8"},
	}
	for _, tc := range tests {
		if got := bench.RedactArgs(tc.args); got != tc.want {
			t.Errorf("redactArgs(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestParseModules(t *testing.T) {
	tests := []struct {
		flag    string
		want    []string
		wantErr bool
	}{
		{"", nil, false},
		{"sale_management", []string{"sale_management"}, false},
		{" sale_management, sale ,sale_management", []string{"sale_management", "sale"}, false},
		{"sale_management,no_such_module", nil, true},
		{"sale_management,", nil, true},
	}
	for _, tc := range tests {
		got, err := bench.ParseModules(tc.flag)
		if (err != nil) != tc.wantErr || !slices.Equal(got, tc.want) {
			t.Errorf("ParseModules(%q) = %v, %v; want %v, error %v", tc.flag, got, err, tc.want, tc.wantErr)
		}
	}
}
