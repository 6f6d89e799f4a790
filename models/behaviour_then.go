package models

import (
	"context"
	"maps"
	"slices"
)

// Then is b with next laid over it, as a module's Python class extends
// the model it inherits: next's methods, computes and defaults are added
// to b's (replacing those of the same name); its create, write, unlink
// and copy hooks run after b's; its other hooks, when set, replace b's.
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
			out.Defaults = map[string]func(*Env) any{}
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
	if n.Rule != nil {
		h.Rule = n.Rule
	}
	if n.RuleFor != nil {
		h.RuleFor = n.RuleFor
	}
	if n.SearchFilter != nil {
		h.SearchFilter = n.SearchFilter
	}
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
	h.BeforeCreate = chain3(h.BeforeCreate, n.BeforeCreate)
	h.AfterCreate = chain4(h.AfterCreate, n.AfterCreate)
	h.BeforeWrite = chain4(h.BeforeWrite, n.BeforeWrite)
	h.AfterWrite = chain4(h.AfterWrite, n.AfterWrite)
	h.BeforeUnlink = chain3(h.BeforeUnlink, n.BeforeUnlink)
	return h
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
