package models

import (
	"strings"
	"sync"
	"sync/atomic"
)

// Every search checks the form of its order specification (orderSyntax),
// and the regular expression was 2% of the CPU of a small search, while
// a server sees few distinct specifications: those found valid are
// remembered. Clients may send any text, so the memory is bounded: at
// most maxOrderForms specifications of at most maxOrderFormLen bytes,
// and once full nothing more is added (the others are checked as before).
// An invalid specification is never remembered.
const (
	maxOrderForms   = 1024
	maxOrderFormLen = 256
)

var orderForms struct {
	valid sync.Map // spec -> struct{}
	n     atomic.Int64
}

// validOrderForm reports whether spec has the form of an order
// specification: items separated by commas, without a trailing comma.
func validOrderForm(spec string) bool {
	if _, ok := orderForms.valid.Load(spec); ok {
		return true
	}
	if !orderSyntax.MatchString(spec) || strings.HasSuffix(strings.TrimSpace(spec), ",") {
		return false
	}
	if len(spec) > maxOrderFormLen {
		return true
	}
	// A place is taken before the entry is stored, so that concurrent
	// checks never store more than the bound.
	if orderForms.n.Add(1) > maxOrderForms {
		orderForms.n.Add(-1)
		return true
	}
	if _, had := orderForms.valid.LoadOrStore(spec, struct{}{}); had {
		orderForms.n.Add(-1)
	}
	return true
}
