package integration_test

import (
	"strings"
	"testing"
)

// Tests of the comparison's differences and kinds.

func TestConformanceCompare(t *testing.T) {
	tests := []struct {
		name, want, got string
		keyOrder        []string
		mask            []string
		kind, path      string // of the first difference; "" when equal
	}{
		{"equal", `{"result": [{"id": "@p", "a": 1.5}]}`, `{"result": [{"id": "@p", "a": 1.5}]}`, nil, nil, "", ""},
		{"missing model", `{"result": []}`, `{"error": {"code": 200, "data": {"name": "odoo.exceptions.UserError", "message": "Object res.currency.rate doesn't exist"}}}`,
			nil, nil, "missing model", ""},
		{"missing field", `{"result": []}`, `{"fault": {"code": 1, "string": "Traceback (most recent call last):", "exception": "ValueError: Invalid field 'vat' on model 'res.partner'"}}`,
			nil, nil, "missing field", ""},
		{"missing method", `{"result": true}`, `{"fault": {"code": 1, "string": "x", "exception": "AttributeError: The method 'res.partner.web_read_group' does not exist"}}`,
			nil, nil, "missing method", ""},
		{"error instead of result", `{"result": 1}`, `{"fault": {"code": 3, "string": "Access Denied", "exception": null}}`, nil, nil, "error instead of result", ""},
		{"result instead of error", `{"fault": {"code": 2, "string": "x", "exception": null}}`, `{"result": true}`, nil, nil, "result instead of error", ""},
		{"a reply with a result where Odoo has none", `{"body": {"jsonrpc": "2.0", "id": 1}}`, `{"result": true}`, nil, nil, "answer form", ""},
		{"http status", `{"result": 1}`, `{"http_status": 404, "body": "404 page not found"}`, nil, nil, "http status", ""},
		{"http body", `{"http_status": 404, "body": "<!doctype html>"}`, `{"http_status": 404, "body": "404 page not found"}`, nil, nil, "http status", "body"},
		{"missing key first", `{"result": {"a": 1, "b": 2}}`, `{"result": {"b": 3}}`, nil, nil, "missing key", "result"},
		{"extra key", `{"result": {"a": 1}}`, `{"result": {"a": 1, "z": 0}}`, nil, nil, "extra key", "result"},
		{"an extra masked key is ignored", `{"result": {"a": 1}}`, `{"result": {"a": 1, "help": "<masked>"}}`, nil, []string{"help"}, "", ""},
		{"key order", `{"result": [{"id": 1, "name": "x"}]}`, `{"result": [{"name": "x", "id": 1}]}`, nil, nil, "key order", "result[0]"},
		{"key_order of the first row", `{"result": [{"id": 1, "name": "x"}]}`, `{"result": [{"id": 1, "help": "<masked>", "name": "x"}]}`,
			[]string{"id", "name", "help"}, []string{"help"}, "key order", "result (key_order)"},
		{"key_order names a masked key in its place", `{"result": {"id": 1, "name": "x"}}`, `{"result": {"id": 1, "help": "<masked>", "name": "x"}}`,
			[]string{"id", "help", "name"}, []string{"help"}, "", ""},
		{"a masked key left out of both answers", `{"result": {"id": 1, "name": "x"}}`, `{"result": {"id": 1, "name": "x"}}`,
			[]string{"id", "help", "name"}, []string{"help"}, "", ""},
		{"record order", `{"result": ["@a", "@b", "@c"]}`, `{"result": ["@b", "@a", "@c"]}`, nil, nil, "record order", "result"},
		{"record count", `{"result": ["@a", "@b"]}`, `{"result": ["@a"]}`, nil, nil, "record count", "result"},
		{"int is not float", `{"result": [{"color": 0.0}]}`, `{"result": [{"color": 0}]}`, nil, nil, "type", "result[0].color"},
		{"value", `{"result": [{"name": "a"}]}`, `{"result": [{"name": "b"}]}`, nil, nil, "value", "result[0].name"},
		{"fault code before text", `{"fault": {"code": 2, "string": "Record does not exist", "exception": null}}`,
			`{"fault": {"code": 3, "string": "Access Denied", "exception": null}}`, nil, nil, "fault code", "fault.code"},
		{"fault text", `{"fault": {"code": 1, "string": "Traceback (most recent call last):", "exception": "ValueError: a"}}`,
			`{"fault": {"code": 1, "string": "Traceback (most recent call last):", "exception": "TypeError: a"}}`, nil, nil, "error text", "fault.exception"},
		{"exception name before text and key order", `{"error": {"code": 200, "message": "Odoo Server Error", "data": {"name": "builtins.KeyError", "message": "a"}}}`,
			`{"error": {"code": 200, "message": "Odoo Server Error", "data": {"message": "b", "name": "builtins.ValueError"}}}`, nil, nil, "exception name", "error.data.name"},
		{"error code", `{"error": {"code": 200, "message": "Odoo Server Error", "data": {"name": "n", "message": "m"}}}`,
			`{"error": {"code": 100, "message": "Odoo Server Error", "data": {"name": "n", "message": "m"}}}`, nil, nil, "error code", "error.code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mask := map[string]bool{}
			for _, k := range tc.mask {
				mask[k] = true
			}
			diffs := compareAnswer(mustOrdered(t, tc.want).(*object), mustOrdered(t, tc.got).(*object), tc.keyOrder, mask)
			if tc.kind == "" {
				if len(diffs) > 0 {
					t.Errorf("differences %v, want none", diffs)
				}
				return
			}
			if len(diffs) == 0 {
				t.Fatalf("no difference, want %s", tc.kind)
			}
			if diffs[0].kind != tc.kind || diffs[0].path != tc.path {
				t.Errorf("first difference %v, want kind %q at %q", diffs[0], tc.kind, tc.path)
			}
		})
	}
}

func TestConformanceCompareDetails(t *testing.T) {
	diffs := compareAnswer(mustOrdered(t, `{"result": ["@a", "@b", "@c"]}`).(*object), mustOrdered(t, `{"result": ["@a", "@d"]}`).(*object), nil, nil)
	if len(diffs) != 1 || !strings.Contains(diffs[0].detail, `lacking ["@b", "@c"], surplus ["@d"]`) {
		t.Errorf("record count detail %v, want what is lacking and surplus", diffs)
	}
	diffs = compareAnswer(mustOrdered(t, `{"result": {"a": 1, "b": 2, "c": 3}}`).(*object), mustOrdered(t, `{"result": {"a": 1, "c": 3, "b": 2}}`).(*object), nil, nil)
	if len(diffs) != 1 || diffs[0].detail != `at key 1 want "b", got "c": want order "a", "b", "c"` {
		t.Errorf("key order detail %v", diffs)
	}
}
