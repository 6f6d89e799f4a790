package integration_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestConformanceNormalisesOdoosAnswers is the check of the normaliser's
// readings of the corpus README: Odoo's own un-normalised answers (the
// cases' raw members) go through the same replay, binding and
// normalisation as godoo's, and must come out equal to the recorded
// expectations. Odoo's ids are learnt from where a raw answer holds an id
// and its expectation the symbol of a seed record or an xml id; the
// symbols cases bind are bound from raw answers as the replay goes, as
// they are for godoo.
func TestConformanceNormalisesOdoosAnswers(t *testing.T) {
	corp := loadCorpusOrSkip(t)
	ids, db, err := learnOracleIDs(corp)
	if err != nil {
		t.Fatal(err)
	}
	r := &replay{corpus: corp, ids: ids, db: db, uids: map[string]any{},
		fields: &recordedFields{dir: corp.dir, cache: map[string]map[string][2]string{}},
		answer: func(c *confCase, _ *object) (answer, error) {
			if c.Raw == nil {
				return answer{}, errNoRaw
			}
			return rawAnswer(c.Raw)
		}}
	// Each role's uid is its seed user's, admin's is base.user_admin.
	r.uids["admin"] = ids.xmlids["@base.user_admin"].id
	for role, u := range corp.seed.roles {
		for _, rec := range corp.seed.records {
			if str(rec.values, "login") == u.login {
				if ref, ok := ids.syms[rec.name]; ok {
					r.uids[role] = ref.id
				}
			}
		}
	}
	checked := 0
	for _, c := range corp.cases {
		o := r.run(c)
		if c.Raw == nil {
			continue
		}
		checked++
		if !o.matched() {
			t.Errorf("Odoo's raw answer does not normalise to the expectation: %s", o.report())
		}
	}
	if checked < 700 {
		t.Errorf("only %d cases have a raw answer; the corpus README says those under 2 KB do", checked)
	}
	t.Logf("%d raw answers of Odoo normalise to their expectations", checked)
}

var errNoRaw = errors.New("the corpus has no raw answer for this case")

// learnOracleIDs builds the recording database's ids of the seed records
// and xml ids, and its name, from the raw answers aligned with their
// expectations.
func learnOracleIDs(corp *corpus) (*idSpace, string, error) {
	models := map[string]string{} // symbol → model
	for _, r := range corp.seed.records {
		models[r.name] = r.model
		if r.partnerName != "" {
			models[r.partnerName] = "res.partner"
		}
	}
	v, err := readOrderedFile(filepath.Join(corp.dir, "model", "ir_model_data_base.json"))
	if err != nil {
		return nil, "", err
	}
	xmlModels := map[string]string{}
	list, _ := v.([]any)
	for _, e := range list {
		if o, ok := e.(*object); ok {
			xmlModels["@"+str(o, "xmlid")] = str(o, "model")
		}
	}
	ids := newIDSpace()
	db := ""
	var learn func(want, got any)
	learn = func(want, got any) {
		switch w := want.(type) {
		case string:
			if id, ok := got.(int64); ok && strings.HasPrefix(w, "@") {
				if m, ok := models[w]; ok {
					ids.bind(w, m, id)
				} else if m, ok := xmlModels[w]; ok {
					ids.addXMLID(strings.TrimPrefix(w, "@"), m, id)
				}
			}
			if s, ok := got.(string); ok && w == "<db>" {
				db = s
			}
		case []any:
			if g, ok := got.([]any); ok && len(g) == len(w) {
				for i := range w {
					learn(w[i], g[i])
				}
			}
		case *object:
			if g, ok := got.(*object); ok {
				for _, k := range w.keys {
					if gv, ok := g.get(k); ok {
						learn(w.vals[k], gv)
					}
				}
			}
		}
	}
	for _, c := range corp.cases {
		if c.Raw != nil {
			learn(c.Expect.vals["result"], c.Raw.vals["result"])
		}
	}
	for sym, ref := range ids.syms {
		if _, seeded := models[sym]; seeded && ref.id > ids.maxID[ref.model] {
			ids.maxID[ref.model] = ref.id
		}
	}
	if db == "" {
		return nil, "", errors.New("no raw answer names the recording database")
	}
	return ids, db, nil
}

// recordedFields is Odoo's fields_get as the corpus recorded it.
type recordedFields struct {
	dir   string
	cache map[string]map[string][2]string
}

var _ fieldSource = (*recordedFields)(nil)

func (f *recordedFields) field(model, name string) (typ, relation string, ok bool) {
	m, loaded := f.cache[model]
	if !loaded {
		m = map[string][2]string{}
		if v, err := readOrderedFile(filepath.Join(f.dir, "model", "fields", model+".json")); err == nil {
			if o, ok := v.(*object); ok {
				for _, k := range o.keys {
					if d, ok := o.vals[k].(*object); ok {
						m[k] = [2]string{str(d, "type"), str(d, "relation")}
					}
				}
			}
		}
		f.cache[model] = m
	}
	d, ok := m[name]
	return d[0], d[1], ok
}
