package models

import (
	"sync"
	"sync/atomic"
)

// Every search renders its order, and the rendering (splitting the
// specification, looking its fields up, the comodels' orders of its
// many2ones) was the same for every call of a client that sends the same
// order, or none: four allocations of a small search's seventy. A
// registry remembers the orders it rendered. The rendering depends only
// on the registry, the model, the dialect, the alias and the
// specification; a model changed in place (only while a registry is
// being built) has another number of fields, which is part of the key.
// Clients may send any text, so the memory is bounded as validOrderForm's:
// at most maxOrderForms renderings of specifications of at most
// maxOrderFormLen bytes per registry, and a refused specification is never
// remembered.
type orderCache struct {
	m sync.Map // orderKey -> string
	n atomic.Int64
}

type orderKey struct {
	model                *Model
	fields               int
	dialect, alias, spec string
}

// renderedOrder is parseOrderIn remembered in reg (rendered each time
// when reg is nil or has no memory of them).
func renderedOrder(reg *Registry, dialect string, m *Model, alias, spec string) (string, error) {
	if reg == nil || reg.orders == nil || len(spec) > maxOrderFormLen {
		return parseOrderIn(reg, dialect, m, alias, spec)
	}
	c := reg.orders
	k := orderKey{model: m, fields: len(m.Fields), dialect: dialect, alias: alias, spec: spec}
	if v, ok := c.m.Load(k); ok {
		return v.(string), nil
	}
	out, err := parseOrderIn(reg, dialect, m, alias, spec)
	if err != nil {
		return "", err
	}
	// A place is taken before the entry is stored, so that concurrent
	// renderings never store more than the bound.
	if c.n.Add(1) > maxOrderForms {
		c.n.Add(-1)
		return out, nil
	}
	if _, had := c.m.LoadOrStore(k, out); had {
		c.n.Add(-1)
	}
	return out, nil
}
