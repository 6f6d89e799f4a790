package models

import (
	"fmt"
	"time"
)

// checkDomain compiles the literal domain of f on its comodel, as every
// read of an x2many does (x2manyKeep): a domain naming a field the comodel
// lacks, or one the engine cannot compile, would fail every read of the
// field, so the registry refuses it when it is built instead of at the
// first read. The fields a domain names are not checked against a user's
// groups here: that is the read's, for its user.
func (r *Registry) checkDomain(f *Field) error {
	if len(f.Domain) == 0 || f.Relation == "" {
		return nil
	}
	env := NewEnv(nil, "pg", r, nil, SuperuserID, time.Time{})
	c := &domainCompiler{env: env}
	terms, err := domainList(f.Domain)
	if err == nil {
		err = indexTerms(terms)
	}
	if err == nil {
		_, err = c.compile(r.models[f.Relation], "t0", terms)
	}
	if err != nil {
		return fmt.Errorf("domain %v on %s: %w", f.Domain, f.Relation, err)
	}
	return nil
}

// CheckDomains compiles the domain of every field of r, as Check does
// field by field, and returns how many it compiled.
func (r *Registry) CheckDomains() (int, error) {
	n := 0
	for _, name := range r.Names() {
		m := r.models[name]
		for _, fname := range m.FieldOrder {
			f := m.Fields[fname]
			if len(f.Domain) == 0 || f.Relation == "" {
				continue
			}
			if err := r.checkDomain(f); err != nil {
				return n, fmt.Errorf("model %s: field %s: %w", m.Name, f.Name, err)
			}
			n++
		}
	}
	return n, nil
}
