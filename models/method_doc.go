package models

import (
	"strings"

	"github.com/godoo/godoo/models/py"
)

// signatureDefaults are the defaults of the optional parameters of
// BaseModel's methods in Odoo's Python signatures, by qualified name. A
// JSON-2 client maps positional arguments to names through the
// /doc-bearer/<model>.json document, and shows these defaults; an optional
// parameter not listed here defaults to None, as most of Odoo's do.
var signatureDefaults = map[string]map[string]any{
	"BaseModel.search":              {"offset": int64(0)},
	"BaseModel.read":                {"load": "_classic_read"},
	"BaseModel.search_read":         {"offset": int64(0), "load": "_classic_read"},
	"BaseModel.name_search":         {"name": "", "operator": "ilike", "limit": int64(100)},
	"BaseModel.check_access_rights": {"raise_exception": true},
	"BaseModel.read_group":          {"offset": int64(0), "orderby": false, "lazy": true},
}

// Doc describes the method as Odoo 19's api_doc module does on
// /doc-bearer/<model>.json: its signature without self (nor the ids, which
// a record method takes as self in Python), its parameters keyed by name
// with their defaults, "api" listing "model" for methods called on the
// model rather than on records (and "readonly" for those that only read),
// and the model and module that introduce it ("core" for BaseModel's).
func (meth *Method) Doc(m *Model) *Dict {
	defaults := signatureDefaults[meth.qualname()]
	params := NewDict(len(meth.Params))
	var sig strings.Builder
	sig.WriteByte('(')
	for i, p := range meth.Params {
		if i > 0 {
			sig.WriteString(", ")
		}
		sig.WriteString(p)
		d := NewDict(1)
		if i >= meth.Required {
			def := defaults[p]
			sig.WriteString("=" + py.Repr(def))
			d.Set("default", def)
		}
		params.Set(p, d)
	}
	sig.WriteByte(')')
	doc := NewDict(5)
	doc.Set("signature", sig.String())
	doc.Set("parameters", params)
	var api []any
	if !meth.Record {
		api = append(api, "model")
	}
	if meth.ReadOnly {
		api = append(api, "readonly")
	}
	if len(api) > 0 {
		doc.Set("api", api)
	}
	model, module := m.Name, "base"
	if meth.Class == "BaseModel" {
		model, module = "core", "core"
	}
	doc.Set("model", model)
	doc.Set("module", module)
	return doc
}
