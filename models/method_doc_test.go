package models

import (
	"encoding/json"
	"testing"
)

// TestMethodDoc checks methods' documents against the shape of Odoo 19's
// api_doc: parameters keyed by name without self or ids, defaults of
// optional parameters in the signature, "api" with "model" only for model
// methods, and "core" for BaseModel's methods.
func TestMethodDoc(t *testing.T) {
	m := &Model{Name: "res.partner"}
	byName := map[string]*Method{}
	for _, meth := range append(baseMethods(), moreMethods()...) {
		byName[meth.Name] = meth
	}
	own := &Method{Name: "make_key", Record: true}
	for _, c := range []struct {
		meth *Method
		want string
	}{
		{byName["search"], `{"signature":"(domain, offset=0, limit=None, order=None)","parameters":{"domain":{},"offset":{"default":0},"limit":{"default":null},"order":{"default":null}},"api":["model","readonly"],"model":"core","module":"core"}`},
		{byName["read"], `{"signature":"(fields=None, load='_classic_read')","parameters":{"fields":{"default":null},"load":{"default":"_classic_read"}},"api":["readonly"],"model":"core","module":"core"}`},
		{byName["write"], `{"signature":"(vals)","parameters":{"vals":{}},"model":"core","module":"core"}`},
		{byName["unlink"], `{"signature":"()","parameters":{},"model":"core","module":"core"}`},
		{byName["name_search"], `{"signature":"(name='', args=None, operator='ilike', limit=100)","parameters":{"name":{"default":""},"args":{"default":null},"operator":{"default":"ilike"},"limit":{"default":100}},"api":["model","readonly"],"model":"core","module":"core"}`},
		{byName["read_group"], `{"signature":"(domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True)","parameters":{"domain":{},"fields":{},"groupby":{},"offset":{"default":0},"limit":{"default":null},"orderby":{"default":false},"lazy":{"default":true}},"api":["model","readonly"],"model":"core","module":"core"}`},
		{own, `{"signature":"()","parameters":{},"model":"res.partner","module":"base"}`},
	} {
		got, err := json.Marshal(c.meth.Doc(m))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.meth.Name, got, c.want)
		}
	}
}
