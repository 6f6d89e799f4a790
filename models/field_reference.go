package models

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models/py"
)

// referenceToDB checks the "model,id" text of a reference field as Odoo's
// Reference field does when it is written: the text must split into a
// model and an integer; the model must exist (else the value is wrong).
// Whether the record exists is checked by the caller, which has the
// database (a missing record is stored as empty, as in Odoo).
func (f *Field) referenceToDB(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, f.badValue(v)
	}
	parts := strings.Split(s, ",")
	if len(parts) != 2 {
		if len(parts) < 2 {
			return nil, ServerErrorf("builtins.ValueError", "not enough values to unpack (expected 2, got %d)", len(parts))
		}
		return nil, ServerErrorf("builtins.ValueError", "too many values to unpack (expected 2)")
	}
	if _, err := strconv.ParseInt(strings.TrimSpace(parts[1]), 10, 64); err != nil {
		return nil, ServerErrorf("builtins.ValueError", "invalid literal for int() with base 10: %s", py.Repr(parts[1]))
	}
	return s, nil
}

// splitReference splits a stored reference into its model and id.
func splitReference(s string) (string, int64, bool) {
	model, id, ok := strings.Cut(s, ",")
	if !ok {
		return "", 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
	return model, n, err == nil
}

// checkReference returns the stored value of a written reference: the
// value when its model is served and its record exists, nil (empty) when
// the record does not exist, and Odoo's ValueError when the model is
// unknown.
func (env *Env) checkReference(ctx context.Context, f *Field, s string) (any, error) {
	model, id, _ := splitReference(s)
	co := env.Registry.Model(model)
	if co == nil {
		return nil, f.badValue(s)
	}
	if id == 0 {
		return nil, nil
	}
	found, err := env.Exists(ctx, co, []int64{id})
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return model + "," + strconv.FormatInt(id, 10), nil
}

// jsonToDB stores a json field's value as its JSON text. Any value a
// client can send is JSON; false and None leave the field empty.
func (f *Field) jsonToDB(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, f.badValue(v)
	}
	return string(b), nil
}

// jsonFromDB reads a json field's stored text back into the value written.
func jsonFromDB(v any) any {
	var s string
	switch x := v.(type) {
	case nil:
		return false
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return x
	}
	if s == "" {
		return false
	}
	var out any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return false
	}
	return py.JSONNumbers(out)
}
