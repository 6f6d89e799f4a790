package models

import (
	"context"
	"strconv"
	"strings"
)

// SearchOptions are search's paging and ordering arguments.
type SearchOptions struct {
	Offset int64
	Limit  int64 // 0 means no limit
	Order  string
}

// Search returns the ids of m's records matching domain, with active_test.
func (env *Env) Search(ctx context.Context, m *Model, domain any, o SearchOptions) ([]int64, error) {
	w, err := env.compileDomain(m, "t0", domain, true)
	if err != nil {
		return nil, err
	}
	order, err := parseOrder(m, "t0", o.Order)
	if err != nil {
		return nil, err
	}
	q := "SELECT t0.id FROM " + m.Table + " t0 WHERE " + w.sql + " ORDER BY " + order
	args := w.args
	if o.Limit > 0 {
		q += " LIMIT " + strconv.FormatInt(o.Limit, 10)
	} else if o.Offset > 0 && env.Dialect == "sqlite" {
		q += " LIMIT -1"
	}
	if o.Offset > 0 {
		q += " OFFSET " + strconv.FormatInt(o.Offset, 10)
	}
	return env.int64s(ctx, q, args...)
}

// SearchCount counts m's records matching domain, with active_test.
func (env *Env) SearchCount(ctx context.Context, m *Model, domain any, limit int64) (int64, error) {
	w, err := env.compileDomain(m, "t0", domain, true)
	if err != nil {
		return 0, err
	}
	q := "SELECT COUNT(*) FROM " + m.Table + " t0 WHERE " + w.sql
	if limit > 0 {
		q = "SELECT COUNT(*) FROM (SELECT 1 FROM " + m.Table + " t0 WHERE " + w.sql + " LIMIT " + strconv.FormatInt(limit, 10) + ") c"
	}
	var n int64
	_, err = env.scalar(ctx, &n, q, w.args...)
	return n, err
}

// parseOrder validates an order specification strictly and renders it for
// alias: "field [asc|desc] [nulls first|nulls last]" items separated by
// commas, fields from the registry only. id is added last so that paging is
// stable.
func parseOrder(m *Model, alias, spec string) (string, error) {
	if strings.TrimSpace(spec) == "" {
		spec = m.Order
	}
	var parts []string
	hasID := false
	for _, item := range strings.Split(spec, ",") {
		words := strings.Fields(strings.ToLower(item))
		if len(words) == 0 {
			return "", invalidOrder(spec)
		}
		name := words[0]
		// Field names keep their case; only the keywords are case-insensitive.
		name = strings.Fields(item)[0]
		f := m.Fields[name]
		if f == nil || !f.Stored() && name != "display_name" {
			return "", invalidOrder(spec)
		}
		if name == "display_name" {
			f = m.Fields[m.RecName]
			if f == nil || !f.Stored() {
				f = m.Fields["id"]
			}
		}
		dir := "ASC"
		rest := words[1:]
		if len(rest) > 0 && (rest[0] == "asc" || rest[0] == "desc") {
			dir = strings.ToUpper(rest[0])
			rest = rest[1:]
		}
		nulls := ""
		if len(rest) == 2 && rest[0] == "nulls" && (rest[1] == "first" || rest[1] == "last") {
			nulls = " NULLS " + strings.ToUpper(rest[1])
			rest = nil
		}
		if len(rest) != 0 {
			return "", invalidOrder(spec)
		}
		if f.Name == "id" {
			hasID = true
		}
		parts = append(parts, alias+"."+f.Column+" "+dir+nulls)
	}
	if !hasID {
		parts = append(parts, alias+".id ASC")
	}
	return strings.Join(parts, ", "), nil
}

func invalidOrder(spec string) error {
	return ServerErrorf("builtins.ValueError", "Invalid \"order\" specified (%s). A valid \"order\" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)", spec)
}
