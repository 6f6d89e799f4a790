package models

import (
	"context"
	"slices"
	"sync/atomic"
)

// compiledRule keeps the SQL of a bound rule domain, compiled for a
// registry, a dialect and an active test (the only inputs of the compiler
// besides the domain, when no field access is checked, as in rules). A
// bound domain is kept across the calls of a cache generation: compiling
// it again at every call was a tenth of the CPU of a small search. Calls
// of another registry or active test compile their own and keep the last.
// A domain that names a company-dependent field is compiled at every
// call: its SQL holds the call's company and that company's ir.default,
// and the bound domain is shared by the calls of every company, so a
// kept one would apply one company's values to the users of another.
type compiledRule struct {
	last atomic.Pointer[ruleSQL]
}

// ruleSQL is a rule domain's SQL on alias t0 and what it was compiled for.
type ruleSQL struct {
	reg     *Registry
	dialect string
	active  bool
	w       where
}

// where returns the SQL of dom, the domain c was made for, on alias t0 of
// m, compiled for env's registry, dialect and active test. Its arguments
// are clipped: a caller that appends to them gets a copy, never writes
// into the list other calls share.
func (c *compiledRule) where(ctx context.Context, env *Env, m *Model, dom []any) (where, error) {
	active := env.ActiveTest()
	if s := c.last.Load(); s != nil && s.reg == env.Registry && s.dialect == env.Dialect && s.active == active {
		return s.w, nil
	}
	dc := &domainCompiler{env: env, depth: 50, queryCtx: ctx}
	w, err := dc.compile(m, "t0", dom)
	if err != nil {
		return where{}, err
	}
	w.args = slices.Clip(w.args)
	if dc.companyDependent {
		return w, nil
	}
	c.last.Store(&ruleSQL{reg: env.Registry, dialect: env.Dialect, active: active, w: w})
	return w, nil
}
