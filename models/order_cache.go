package models

import (
	"context"
	"sync"
	"sync/atomic"
)

// Every search renders its order, and the rendering (splitting the
// specification, looking its fields up, the comodels' orders of its
// many2ones) was the same for every call of a client that sends the same
// order, or none: four allocations of a small search's seventy. A
// registry remembers the orders it rendered. The rendering depends only
// on the registry, the model, the dialect, the alias and the
// specification, except for company-dependent fields, whose SQL names
// the call's company and which are rendered at every call. Models change
// in place only while a registry is built, so orders are remembered only
// by a checked registry: Register makes a registry unchecked again and
// Check forgets every order, so that an order rendered with a comodel's
// former _order or fields is never served.
// Clients may send any text, so the memory is bounded as validOrderForm's:
// at most maxOrderForms renderings of specifications of at most
// maxOrderFormLen bytes per registry, and a refused specification is never
// remembered.
type orderCache struct {
	m sync.Map // orderKey -> string
	n atomic.Int64
	// checked is set by a successful Check of the registry and cleared
	// by its Register.
	checked atomic.Bool
}

type orderKey struct {
	model                *Model
	fields               int
	dialect, alias, spec string
}

// forget drops every remembered order.
func (c *orderCache) forget() {
	c.m.Clear()
	c.n.Store(0)
}

// renderedOrder is parseOrderIn with the call's columns (orderCols),
// remembered in the registry when no field of the order is
// company-dependent: the SQL of those names the call's company, and is
// rendered at every call. colErr is the first error of the columns'
// rendering, err parseOrderIn's.
func (env *Env) renderedOrder(ctx context.Context, m *Model, alias, spec string) (order string, colErr, err error) {
	reg := env.Registry
	remember := reg != nil && reg.orders != nil && reg.orders.checked.Load() && len(spec) <= maxOrderFormLen
	var k orderKey
	if remember {
		k = orderKey{model: m, fields: len(m.Fields), dialect: env.Dialect, alias: alias, spec: spec}
		if v, ok := reg.orders.m.Load(k); ok {
			return v.(string), nil, nil
		}
	}
	col, colErrp := env.orderCols(ctx)
	dependent := false
	order, err = parseOrderIn(reg, env.Dialect, m, alias, spec, func(f *Field, alias string) string {
		dependent = dependent || f.CompanyDependent
		return col(f, alias)
	})
	if err != nil || *colErrp != nil || dependent || !remember {
		return order, *colErrp, err
	}
	c := reg.orders
	// A place is taken before the entry is stored, so that concurrent
	// renderings never store more than the bound.
	if c.n.Add(1) > maxOrderForms {
		c.n.Add(-1)
		return order, nil, nil
	}
	if _, had := c.m.LoadOrStore(k, order); had {
		c.n.Add(-1)
	}
	return order, nil, nil
}
