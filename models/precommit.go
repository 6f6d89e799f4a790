package models

import "context"

// precommit is the work a transaction keeps for the end of its call:
// functions by key, in the order they were first registered.
type precommit struct {
	keys []string
	fns  map[string]func(ctx context.Context) error
}

// BeforeCommit has fn run once the call's method is done, before its
// transaction commits (Odoo's cr.precommit): work that sums up what the
// whole call did, as the chatter's tracking messages, which show every
// change a call made to a record in one message. A key registered already
// keeps its first function. fn runs in the call's transaction; its error
// rolls the call back.
func (e *Env) BeforeCommit(key string, fn func(ctx context.Context) error) {
	p := &e.state.precommit
	if _, ok := p.fns[key]; ok {
		return
	}
	if p.fns == nil {
		p.fns = map[string]func(ctx context.Context) error{}
	}
	p.keys = append(p.keys, key)
	p.fns[key] = fn
}

// Precommit runs the work BeforeCommit registered, in order, until none
// is left: work may register more (a tracking message posted may track
// another record). The services call it when a call's method succeeded.
func (e *Env) Precommit(ctx context.Context) error {
	p := &e.state.precommit
	for len(p.keys) > 0 {
		key := p.keys[0]
		p.keys = p.keys[1:]
		fn := p.fns[key]
		delete(p.fns, key)
		if err := fn(ctx); err != nil {
			return err
		}
	}
	return nil
}

// TxData is the value kept under key for the rest of the transaction,
// made by mk when the transaction has none yet: what a behaviour gathers
// across the writes of one call for its BeforeCommit work.
func (e *Env) TxData(key string, mk func() any) any {
	if v, ok := e.state.data[key]; ok {
		return v
	}
	if e.state.data == nil {
		e.state.data = map[string]any{}
	}
	v := mk()
	e.state.data[key] = v
	return v
}
