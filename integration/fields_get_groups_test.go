package integration_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// withGodooGroupIDs returns want and order with the recorded res.users
// fields of groups (in_group_<id>, sel_groups_<ids>, named after the ids
// of the recorded database's groups) named and valued after e's ids of
// the same groups: a recorded id is a group's name, which the
// recordings' groups (res_groups.json in dirs) give an xml id, which e's
// ir.model.data gives an id. An id that maps to none stays as recorded.
// want and order are shared by the stores' subtests: res.users' entries
// are copies. Without selectionOrder the selections are left out of the
// order of fields to check: they come by their categories' sequences,
// which the modules recording does not hold for the categories modules
// create (godoo creates them with Odoo's default sequence).
func withGodooGroupIDs(t *testing.T, e *env, want map[string]map[string]map[string]any, order map[string][]string, selectionOrder bool, dirs ...string) (map[string]map[string]map[string]any, map[string][]string) {
	t.Helper()
	users := want["res.users"]
	if users == nil {
		return want, order
	}
	byName, byFull := map[string]string{}, map[string]string{}
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, "model", "res_groups.json"))
		if err != nil {
			t.Fatal(err)
		}
		var groups []struct {
			XMLID        string `json:"xmlid"`
			Name         string `json:"name"`
			CategoryName string `json:"category_name"`
		}
		if err := json.Unmarshal(data, &groups); err != nil {
			t.Fatal(err)
		}
		for _, g := range groups {
			byName[g.Name] = g.XMLID
			byFull[g.CategoryName+" / "+g.Name] = g.XMLID
		}
	}
	godoo := map[string]int64{}
	rows := e.mustKw(t, jsonCaller{e.srv.URL}, "ir.model.data", "search_read", []any{[]any{[]any{"model", "=", "res.groups"}}},
		map[string]any{"fields": []any{"module", "name", "res_id"}}).([]any)
	for _, r := range rows {
		m := r.(map[string]any)
		id, _ := m["res_id"].(int64)
		godoo[m["module"].(string)+"."+m["name"].(string)] = id
	}
	mapID := func(recorded int64, xmlid string) int64 {
		if id := godoo[xmlid]; id != 0 {
			return id
		}
		return recorded
	}
	renamed := map[string]string{}
	fields := make(map[string]map[string]any, len(users))
	for name, desc := range users {
		fields[name] = desc
		switch {
		case strings.HasPrefix(name, "in_group_"):
			rid, _ := strconv.ParseInt(strings.TrimPrefix(name, "in_group_"), 10, 64)
			renamed[name] = "in_group_" + strconv.FormatInt(mapID(rid, byName[desc["string"].(string)]), 10)
		case strings.HasPrefix(name, "sel_groups_"):
			c := make(map[string]any, len(desc))
			for k, v := range desc {
				c[k] = v
			}
			var ids []int64
			var sel []any
			for _, o := range desc["selection"].([]any) {
				pair := o.([]any)
				rid, ok := pair[0].(float64)
				if !ok {
					sel = append(sel, pair)
					continue
				}
				id := mapID(int64(rid), byFull[desc["string"].(string)+" / "+pair[1].(string)])
				ids = append(ids, id)
				sel = append(sel, []any{float64(id), pair[1]})
			}
			c["selection"] = sel
			fields[name] = c
			sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
			parts := make([]string, len(ids))
			for i, id := range ids {
				parts[i] = strconv.FormatInt(id, 10)
			}
			renamed[name] = "sel_groups_" + strings.Join(parts, "_")
		}
	}
	named := make(map[string]map[string]any, len(fields))
	for name, desc := range fields {
		if r, ok := renamed[name]; ok {
			name = r
		}
		named[name] = desc
	}
	w := make(map[string]map[string]map[string]any, len(want))
	for k, v := range want {
		w[k] = v
	}
	w["res.users"] = named
	o := make(map[string][]string, len(order))
	for k, v := range order {
		o[k] = v
	}
	var names []string
	for _, n := range order["res.users"] {
		if strings.HasPrefix(n, "sel_groups_") && !selectionOrder {
			continue
		}
		if r, ok := renamed[n]; ok {
			n = r
		}
		names = append(names, n)
	}
	o["res.users"] = names
	return w, o
}
