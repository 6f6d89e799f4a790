package models

import (
	"context"
	"maps"
	"slices"
)

// Layer returns b with over laid on it, as a module's Python class
// extends a model another module declared (Odoo's _inherit): over's
// methods are added after b's (replacing those of the same name), its
// computes and defaults replace b's of the same name, its hooks around
// create, write, unlink and copy run after b's, and any other hook it
// sets replaces b's. Neither b nor over is changed; either may be nil.
func (b *Behaviour) Layer(over *Behaviour) *Behaviour {
	out := &Behaviour{}
	if b != nil {
		*out = *b
	}
	if over == nil {
		return out
	}
	out.Methods = append(slices.Clone(out.Methods), over.Methods...)
	out.Computes = mergeMaps(out.Computes, over.Computes)
	out.Defaults = mergeMaps(out.Defaults, over.Defaults)
	h, o := &out.Hooks, over.Hooks
	if o.DisplayName != nil {
		h.DisplayName, h.DisplayNameDeps = o.DisplayName, o.DisplayNameDeps
	}
	if o.Rule != nil {
		h.Rule = o.Rule
	}
	if o.RuleFor != nil {
		h.RuleFor = o.RuleFor
	}
	if o.SearchFilter != nil {
		h.SearchFilter = o.SearchFilter
	}
	if o.NameSearchFirst != nil {
		h.NameSearchFirst = o.NameSearchFirst
	}
	if o.NameCreateValues != nil {
		h.NameCreateValues = o.NameCreateValues
	}
	h.SelfWritable = append(slices.Clone(h.SelfWritable), o.SelfWritable...)
	h.CopyMarked = append(slices.Clone(h.CopyMarked), o.CopyMarked...)
	if a, c := h.CopyData, o.CopyData; a != nil && c != nil {
		h.CopyData = func(ctx context.Context, env *Env, id int64, vals, def map[string]any) error {
			if err := a(ctx, env, id, vals, def); err != nil {
				return err
			}
			return c(ctx, env, id, vals, def)
		}
	} else if c != nil {
		h.CopyData = c
	}
	h.BeforeCreate = chain3(h.BeforeCreate, o.BeforeCreate)
	h.AfterCreate = chain4(h.AfterCreate, o.AfterCreate)
	h.BeforeWrite = chain4(h.BeforeWrite, o.BeforeWrite)
	h.AfterWrite = chain4(h.AfterWrite, o.AfterWrite)
	h.BeforeUnlink = chain3(h.BeforeUnlink, o.BeforeUnlink)
	return out
}

func mergeMaps[V any](a, b map[string]V) map[string]V {
	if len(b) == 0 {
		return a
	}
	out := maps.Clone(a)
	if out == nil {
		out = map[string]V{}
	}
	maps.Copy(out, b)
	return out
}

// chain3 runs a then b, stopping at the first error.
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
