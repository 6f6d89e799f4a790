package models

import (
	"context"
	"maps"
	"slices"
)

// Then is b with next laid over it, as a module's Python class extends
// the model it inherits: next's methods, computes and defaults are added
// to b's (replacing those of the same name); its create, write, unlink
// and copy hooks run after b's; its rules and search filter hold with
// b's (AND); its overrides are added to b's; its other hooks, when set,
// replace b's.
// b and next are not changed; either may be nil.
func (b *Behaviour) Then(next *Behaviour) *Behaviour {
	if b == nil {
		b = &Behaviour{}
	}
	if next == nil {
		return b
	}
	out := &Behaviour{Hooks: b.Hooks.then(next.Hooks)}
	out.Methods = append(slices.Clone(b.Methods), next.Methods...)
	if len(b.Computes)+len(next.Computes) > 0 {
		out.Computes = maps.Clone(b.Computes)
		if out.Computes == nil {
			out.Computes = map[string]func(context.Context, *Env, []Record) error{}
		}
		maps.Copy(out.Computes, next.Computes)
	}
	if len(b.Defaults)+len(next.Defaults) > 0 {
		out.Defaults = maps.Clone(b.Defaults)
		if out.Defaults == nil {
			out.Defaults = map[string]func(context.Context, *Env) any{}
		}
		maps.Copy(out.Defaults, next.Defaults)
	}
	return out
}

// then is h with n's hooks after (or instead of) its own.
func (h Hooks) then(n Hooks) Hooks {
	if n.DisplayName != nil {
		h.DisplayName, h.DisplayNameDeps = n.DisplayName, n.DisplayNameDeps
	}
	// A module's rule narrows the model's, never widens it: both hold,
	// per operation when either side's depends on it.
	if h.RuleFor != nil || n.RuleFor != nil {
		a, b := h.ruleForOp(), n.ruleForOp()
		h.RuleFor = func(ctx context.Context, env *Env, op Op, scope RuleScope) ([]any, error) {
			return andRules(ctx, env, op, scope, a, b)
		}
	}
	if a, b := h.Rule, n.Rule; a != nil && b != nil {
		h.Rule = func(ctx context.Context, env *Env) ([]any, error) {
			return andRules(ctx, env, OpRead, RuleScope{}, Hooks{Rule: a}.ruleForOp(), Hooks{Rule: b}.ruleForOp())
		}
	} else if b != nil {
		h.Rule = b
	}
	if a, b := h.SearchFilter, n.SearchFilter; a != nil && b != nil {
		h.SearchFilter = func(terms []any) []any { return andDomain(a(terms), b(terms)) }
	} else if b != nil {
		h.SearchFilter = b
	}
	// The module's class comes after the model's: its constraint message
	// and its overrides of the methods every model has are the ones seen.
	if n.RuleRefusal != nil {
		h.RuleRefusal = n.RuleRefusal
	}
	if n.ParentCycle != "" {
		h.ParentCycle = n.ParentCycle
	}
	h.Overrides = overlay(h.Overrides, n.Overrides)
	h.StoredAs = overlay(h.StoredAs, n.StoredAs)
	h.SelfWritable = append(slices.Clone(h.SelfWritable), n.SelfWritable...)
	h.CopyMarked = append(slices.Clone(h.CopyMarked), n.CopyMarked...)
	if n.NameSearchFirst != nil {
		h.NameSearchFirst = n.NameSearchFirst
	}
	if n.NameCreateValues != nil {
		h.NameCreateValues = n.NameCreateValues
	}
	if a, b := h.CopyData, n.CopyData; a != nil && b != nil {
		h.CopyData = func(ctx context.Context, env *Env, id int64, vals, def map[string]any) error {
			if err := a(ctx, env, id, vals, def); err != nil {
				return err
			}
			return b(ctx, env, id, vals, def)
		}
	} else if b != nil {
		h.CopyData = b
	}
	h.PrepareVals = chain4(h.PrepareVals, n.PrepareVals)
	h.BeforeCreate = chain3(h.BeforeCreate, n.BeforeCreate)
	h.AfterCreate = chain4(h.AfterCreate, n.AfterCreate)
	h.BeforeWrite = chain4(h.BeforeWrite, n.BeforeWrite)
	h.AfterWrite = chain4(h.AfterWrite, n.AfterWrite)
	h.BeforeUnlink = chain3(h.BeforeUnlink, n.BeforeUnlink)
	if a, b := h.WriteFailed, n.WriteFailed; a != nil && b != nil {
		h.WriteFailed = func(ctx context.Context, env *Env, ids []int64, vals map[string]any) {
			a(ctx, env, ids, vals)
			b(ctx, env, ids, vals)
		}
	} else if b != nil {
		h.WriteFailed = b
	}
	return h
}

// overlay is a with b's entries added over its own, a itself when b has
// none; neither is changed.
func overlay[K comparable, V any](a, b map[K]V) map[K]V {
	if len(b) == 0 {
		return a
	}
	out := maps.Clone(a)
	if out == nil {
		out = make(map[K]V, len(b))
	}
	maps.Copy(out, b)
	return out
}

// chain3 runs a then b, stopping at the first error; nil when both are.
func chain3[A any](a, b func(context.Context, *Env, A) error) func(context.Context, *Env, A) error {
	if a == nil || b == nil {
		if a == nil {
			return b
		}
		return a
	}
	return func(ctx context.Context, env *Env, x A) error {
		if err := a(ctx, env, x); err != nil {
			return err
		}
		return b(ctx, env, x)
	}
}

// chain4 is chain3 for hooks of two arguments.
func chain4[A, B any](a, b func(context.Context, *Env, A, B) error) func(context.Context, *Env, A, B) error {
	if a == nil || b == nil {
		if a == nil {
			return b
		}
		return a
	}
	return func(ctx context.Context, env *Env, x A, y B) error {
		if err := a(ctx, env, x, y); err != nil {
			return err
		}
		return b(ctx, env, x, y)
	}
}

// ruleForOp is h's rule for an operation: RuleFor when set (it replaces
// Rule), else Rule whatever the operation; nil when h has neither.
func (h Hooks) ruleForOp() func(context.Context, *Env, Op, RuleScope) ([]any, error) {
	switch {
	case h.RuleFor != nil:
		return h.RuleFor
	case h.Rule != nil:
		rule := h.Rule
		return func(ctx context.Context, env *Env, _ Op, _ RuleScope) ([]any, error) { return rule(ctx, env) }
	}
	return nil
}

// andRules is the records both rules let through for op; a nil rule, or a
// nil domain, restricts nothing.
func andRules(ctx context.Context, env *Env, op Op, scope RuleScope, a, b func(context.Context, *Env, Op, RuleScope) ([]any, error)) ([]any, error) {
	var da, db []any
	var err error
	if a != nil {
		if da, err = a(ctx, env, op, scope); err != nil {
			return nil, err
		}
	}
	if b != nil {
		if db, err = b(ctx, env, op, scope); err != nil {
			return nil, err
		}
	}
	return andDomain(da, db), nil
}

// andDomain is a AND b, where a nil domain restricts nothing.
func andDomain(a, b []any) []any {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return append(append([]any{"&"}, wrapDomain(a)...), wrapDomain(b)...)
}
