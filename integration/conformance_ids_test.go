package integration_test

import (
	"sort"
	"strings"
)

// Ids differ between Odoo's recording and godoo, so the corpus names
// records by symbol: "@p_kw" for a seed record or a record a case bound,
// "@base.de" for an xml id. idSpace holds those names for one database,
// both ways: a request's symbols become ids, an answer's ids become
// symbols.

// symRef is the record a symbol names.
type symRef struct {
	model string
	id    int64
}

type idSpace struct {
	syms    map[string]symRef           // "@p_kw" → record
	byID    map[string]map[int64]string // model → id → "@p_kw"
	xmlids  map[string]symRef           // "@base.de" → record
	xmlByID map[string]map[int64]string // model → id → "@base.de"
	// maxID is the largest id of each model right after seeding: a larger
	// id without a name is a record some case created.
	maxID map[string]int64
}

func newIDSpace() *idSpace {
	return &idSpace{syms: map[string]symRef{}, byID: map[string]map[int64]string{},
		xmlids: map[string]symRef{}, xmlByID: map[string]map[int64]string{}, maxID: map[string]int64{}}
}

// bind names a record by a seed or case symbol. A symbol bound again (two
// cases of one file bind the same name, one per protocol) moves to its new
// record; a record keeps the first symbol it got.
func (s *idSpace) bind(sym, model string, id int64) {
	if old, ok := s.syms[sym]; ok && s.byID[old.model][old.id] == sym {
		delete(s.byID[old.model], old.id)
	}
	s.syms[sym] = symRef{model, id}
	if s.byID[model] == nil {
		s.byID[model] = map[int64]string{}
	}
	if _, named := s.byID[model][id]; !named {
		s.byID[model][id] = sym
	}
}

// addXMLID records module.name of a record. A record with several xml ids
// is named by its base one, else by the first in order.
func (s *idSpace) addXMLID(xmlid, model string, id int64) {
	sym := "@" + xmlid
	s.xmlids[sym] = symRef{model, id}
	if s.xmlByID[model] == nil {
		s.xmlByID[model] = map[int64]string{}
	}
	cur, ok := s.xmlByID[model][id]
	if !ok || xmlIDBefore(sym, cur) {
		s.xmlByID[model][id] = sym
	}
}

func xmlIDBefore(a, b string) bool {
	aBase, bBase := strings.HasPrefix(a, "@base."), strings.HasPrefix(b, "@base.")
	if aBase != bBase {
		return aBase
	}
	return a < b
}

// resolve is the record of a symbol: a bound one first, else an xml id.
func (s *idSpace) resolve(sym string) (symRef, bool) {
	if r, ok := s.syms[sym]; ok {
		return r, true
	}
	r, ok := s.xmlids[sym]
	return r, ok
}

// name is rule 1 of the corpus README for one id of model: its symbol,
// else its xml id, else "<new MODEL>" when larger than any id after
// seeding, else the id itself.
func (s *idSpace) name(model string, id int64) any {
	if sym, ok := s.byID[model][id]; ok {
		return sym
	}
	if sym, ok := s.xmlByID[model][id]; ok {
		return sym
	}
	if max, ok := s.maxID[model]; ok && id > max {
		return "<new " + model + ">"
	}
	return id
}

// symbolsOf lists the seed and case symbols naming id in any model,
// res.partner's first (the README's tie rule), then by model name.
func (s *idSpace) symbolsOf(id int64) []string {
	var models []string
	for m, ids := range s.byID {
		if _, ok := ids[id]; ok {
			models = append(models, m)
		}
	}
	sort.Slice(models, func(i, j int) bool {
		if (models[i] == "res.partner") != (models[j] == "res.partner") {
			return models[i] == "res.partner"
		}
		return models[i] < models[j]
	})
	out := make([]string, len(models))
	for i, m := range models {
		out[i] = s.byID[m][id]
	}
	return out
}

// placeholders are the values a case's request names in angle brackets,
// for the role the case runs as.
type placeholders struct {
	db, login, password, apikey string
	uid                         any // int64, or nil when the role could not log in
	ids                         *idSpace
}

// resolved is a request with its placeholders replaced.
type resolved struct {
	value any
	// unbound lists the symbols that name no record: a seed record or a
	// binding case failed, and this request cannot mean what it meant.
	unbound []string
	// named are the seed and case records the request named, whose ids an
	// error message may repeat.
	named []symRef
}

// resolve replaces whole-string placeholders in v; every other string is
// literal ("2" as a uid stays a string).
func (p placeholders) resolve(v any) resolved {
	var r resolved
	r.value = p.walk(v, &r)
	return r
}

func (p placeholders) walk(v any, r *resolved) any {
	switch x := v.(type) {
	case string:
		switch x {
		case "<db>":
			return p.db
		case "<login>":
			return p.login
		case "<password>":
			return p.password
		case "<apikey>":
			if p.apikey == "" {
				return x
			}
			return p.apikey
		case "<uid>":
			if p.uid == nil {
				return x
			}
			return p.uid
		}
		if strings.HasPrefix(x, "@") && len(x) > 1 {
			ref, ok := p.ids.resolve(x)
			if !ok {
				r.unbound = append(r.unbound, x)
				return x
			}
			if _, bound := p.ids.syms[x]; bound {
				r.named = append(r.named, ref)
			}
			return ref.id
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = p.walk(e, r)
		}
		return out
	case *object:
		out := newObject()
		for _, k := range x.keys {
			out.set(k, p.walk(x.vals[k], r))
		}
		return out
	}
	return v
}
