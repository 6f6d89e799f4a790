package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/storetest"
)

// TestCallIDsAfterBinding: Odoo's browse takes any iterable as ids without
// looking at its elements, so a call with ids the database would refuse
// fails first on its arguments (the TypeError of binding), and only then,
// when the method reads, on the ids; ids that are not iterable fail in
// browse, before the call is bound. No case reaches the database.
func TestCallIDsAfterBinding(t *testing.T) {
	reg := storetest.Base(t)
	env := models.NewEnv(nil, "sqlite", reg, nil, models.SuperuserID, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC))
	for _, tc := range []struct {
		name, method string
		args         []any
		exception    string
		message      string
	}{
		{"text ids and a missing argument", "write", []any{[]any{"name", "type"}}, "builtins.TypeError",
			"Partner.write() missing 1 required positional argument: 'vals'"},
		{"text ids and too many arguments", "unlink", []any{[]any{"a"}, int64(1)}, "builtins.TypeError",
			"BaseModel.unlink() takes 1 positional argument but 2 were given"},
		{"text ids, arguments bound", "read", []any{[]any{"a"}, []any{"name"}}, "psycopg2.errors.InvalidTextRepresentation",
			`invalid input syntax for type integer: "a"`},
		{"a text id, arguments bound", "unlink", []any{"x"}, "psycopg2.errors.InvalidTextRepresentation",
			`invalid input syntax for type integer: "x"`},
		{"ids that are not iterable", "write", []any{true}, "builtins.TypeError", "Invalid ids True: expected a list of integers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := reg.Call(context.Background(), env, "res.partner", tc.method, tc.args, nil)
			e := models.AsError(err)
			if e == nil || e.ExceptionName() != tc.exception || e.Message != tc.message {
				t.Fatalf("got %v, want %s: %s", err, tc.exception, tc.message)
			}
		})
	}
}
