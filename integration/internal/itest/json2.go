package itest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// JSON2Call calls model.method on e's /json/2 (ids, when not nil, and
// kwargs as its named arguments) with a bearer key; an error status becomes a
// fault carrying the body's message.
func JSON2Call(t *testing.T, e *Env, key, model, method string, ids []int64, kwargs map[string]any) (any, *Fault) {
	t.Helper()
	args := map[string]any{}
	for k, v := range kwargs {
		args[k] = v
	}
	if ids != nil {
		args["ids"] = ToAny(ids)
	}
	body, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	r := Post(t, e.Srv.URL+"/json/2/"+model+"/"+method, "application/json", body,
		"Authorization", "bearer "+key, "X-Odoo-Database", e.DB)
	if r.Status != http.StatusOK {
		m := r.Object(t)
		name, _ := m["name"].(string)
		msg, _ := m["message"].(string)
		return nil, &Fault{Code: r.Status, Name: name, Message: msg, String: msg}
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("JSON-2 answer is not JSON: %s", r.Body)
	}
	return Normalize(v), nil
}
