package models

import (
	"context"
	"fmt"
)

// SelectionRecords declares a selection whose values are records of
// another model, as Odoo's selections a method builds from the database
// (res.partner's lang, from the active languages): the value is the
// record's Value field and the label its Label field, in the order of
// the labels, active records only when the model has an active field.
type SelectionRecords struct {
	Model string `json:"model"`
	Value string `json:"value"`
	Label string `json:"label"`
}

// selectionOf returns the values and labels of the selection field f: its
// declared ones, or those its records give now.
func (e *Env) selectionOf(ctx context.Context, f *Field) ([][2]string, error) {
	src := f.SelectionRecords
	if src == nil {
		return f.Selection, nil
	}
	m := e.Registry.Model(src.Model)
	if m == nil {
		return nil, nil
	}
	value, label := m.Fields[src.Value], m.Fields[src.Label]
	q := fmt.Sprintf("SELECT %s, %s FROM %s", value.Column, label.Column, m.Table)
	var args []any
	if m.HasActive() {
		q += " WHERE active = ?"
		args = append(args, true)
	}
	rows, err := e.Query(ctx, q+fmt.Sprintf(" ORDER BY %s, id", label.Column), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var o [2]string
		if err := rows.Scan(&o[0], &o[1]); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// checkSelectionRecords refuses a value of f that none of its records
// gives, with the ValueError of any other wrong selection value.
func (e *Env) checkSelectionRecords(ctx context.Context, f *Field, v any) error {
	s, ok := v.(string)
	if f.SelectionRecords == nil || !ok {
		return nil
	}
	sel, err := e.selectionOf(ctx, f)
	if err != nil {
		return err
	}
	for _, o := range sel {
		if o[0] == s {
			return nil
		}
	}
	return f.badValue(s)
}

// checkSelectionRecords checks that f's records are a model with the two
// fields named, stored ones.
func (r *Registry) checkSelectionRecords(f *Field) error {
	src := f.SelectionRecords
	m := r.Model(src.Model)
	if m == nil {
		return fmt.Errorf("selection_records: no model %s", src.Model)
	}
	for _, n := range []string{src.Value, src.Label} {
		if sf := m.Fields[n]; sf == nil || !sf.hasColumn() {
			return fmt.Errorf("selection_records: no stored field %s on %s", n, src.Model)
		}
	}
	return nil
}

// describeSelection sets desc's selection to sel, in its place by name.
func describeSelection(desc *Dict, sel [][2]string) *Dict {
	values := make([]any, len(sel))
	for i, o := range sel {
		values[i] = []any{o[0], o[1]}
	}
	out := NewDict(desc.Len() + 1)
	placed := false
	for k, v := range desc.All() {
		if !placed && k >= "selection" {
			out.Set("selection", values)
			placed = true
		}
		if k != "selection" {
			out.Set(k, v)
		}
	}
	if !placed {
		out.Set("selection", values)
	}
	return out
}
