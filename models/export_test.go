package models

import (
	"context"
	"time"
)

// CompileDomain exposes the domain compiler to the external tests: the SQL
// condition and its arguments for domain on model under alias t0.
func CompileDomain(reg *Registry, dialect, model string, domain any) (string, []any, error) {
	// As the superuser, so that fields restricted to groups compile
	// without a database to look the groups up in.
	env := NewEnv(nil, dialect, reg, nil, 2, time.Time{}).Sudo()
	w, err := env.compileDomain(context.Background(), reg.Model(model), "t0", domain, true)
	return w.sql, w.args, err
}

// ParseOrder exposes the order parser.
func ParseOrder(reg *Registry, model, spec string) (string, error) {
	return parseOrder(reg.Model(model), "t0", spec)
}

// ParseOrderOn exposes the order parser for a dialect, with the registry.
func ParseOrderOn(reg *Registry, dialect, model, spec string) (string, error) {
	return parseOrderIn(reg, dialect, reg.Model(model), "t0", spec, nil)
}

// Bind exposes argument binding: the method's arguments by name, or the
// TypeError CPython would raise.
func Bind(meth *Method, args []any, kwargs map[string]any) (Args, error) {
	return bind(meth, args, kwargs)
}

// TableColumns exposes the choice of the Table answer of search_read.
func TableColumns(env *Env, m *Model, fields []string, load bool) []*Field {
	return env.tableColumns(m, fields, load)
}
