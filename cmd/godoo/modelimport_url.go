package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/kolo/xmlrpc"
)

// remoteModels is what model import --url reads from a running Odoo (16 to
// 19) over XML-RPC: fields_get of each model, as a fields_get answer of
// several models, the models' descriptions from ir.model, and the link
// tables of their many2many fields from ir.model.fields, which fields_get
// does not tell.
type remoteModels struct {
	fieldsGet    []byte            // {"model": {"field": {attributes}}}
	descriptions map[string]string // ir.model's name, by model
}

// fetchModels logs in to url's database db as login with key (an API key
// or a password) and reads names. Reading ir.model and ir.model.fields
// needs an administrator; without them the declarations are written from
// fields_get alone, and note says so.
func fetchModels(url, db, login, key string, names []string, note io.Writer) (*remoteModels, error) {
	url = strings.TrimSuffix(url, "/")
	common, err := xmlrpc.NewClient(url+"/xmlrpc/2/common", nil)
	if err != nil {
		return nil, err
	}
	defer common.Close()
	var uid any
	if err := common.Call("authenticate", []any{db, login, key, map[string]any{}}, &uid); err != nil {
		return nil, fmt.Errorf("%s: log in: %w", url, err)
	}
	if uid == false || uid == nil {
		return nil, fmt.Errorf("%s: database %s refused the login %s and its key", url, db, login)
	}
	object, err := xmlrpc.NewClient(url+"/xmlrpc/2/object", nil)
	if err != nil {
		return nil, err
	}
	defer object.Close()
	call := func(model, method string, args []any, kw map[string]any, reply any) error {
		return object.Call("execute_kw", []any{db, uid, key, model, method, args, kw}, reply)
	}
	all := map[string]map[string]map[string]any{}
	for _, n := range names {
		var fields map[string]map[string]any
		if err := call(n, "fields_get", []any{}, map[string]any{}, &fields); err != nil {
			return nil, fmt.Errorf("%s: fields_get: %w", n, err)
		}
		all[n] = fields
	}
	in := []any{[]any{"model", "in", toAny(names)}}
	out := &remoteModels{descriptions: map[string]string{}}
	var rows []map[string]any
	if err := call("ir.model", "search_read", []any{in}, map[string]any{"fields": []any{"model", "name"}}, &rows); err != nil {
		fmt.Fprintf(note, "ir.model not read (%v): descriptions are the models' names\n", err)
	}
	for _, r := range rows {
		m, _ := r["model"].(string)
		d, _ := r["name"].(string)
		out.descriptions[m] = d
	}
	rows = nil
	in = append(in, []any{"ttype", "=", "many2many"})
	if err := call("ir.model.fields", "search_read", []any{in},
		map[string]any{"fields": []any{"model", "name", "relation_table", "column1", "column2"}}, &rows); err != nil {
		fmt.Fprintf(note, "ir.model.fields not read (%v): many2many link tables get Odoo's default names\n", err)
	}
	for _, r := range rows {
		m, _ := r["model"].(string)
		n, _ := r["name"].(string)
		table, _ := r["relation_table"].(string)
		f := all[m][n]
		if f == nil || table == "" {
			continue
		}
		f["relation_table"], f["column1"], f["column2"] = table, r["column1"], r["column2"]
	}
	if out.fieldsGet, err = json.Marshal(all); err != nil {
		return nil, err
	}
	return out, nil
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
