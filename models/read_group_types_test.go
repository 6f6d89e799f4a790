package models

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestGroupJoinRuleScope groups x.doc by its many2many tag_ids as a user
// whose rule on x.tag lists the tags it allows by id, as a rule that
// follows the records of a message or an attachment does (RuleFor). The
// rule is asked about the tags linked to the grouped documents alone, not
// every tag of the link table, and the join keeps the links the rule lets
// the user see.
func TestGroupJoinRuleScope(t *testing.T) {
	ctx := context.Background()
	db := ruleTestDB(t)
	for _, q := range []string{
		"CREATE TABLE x_doc (id INTEGER PRIMARY KEY)",
		"CREATE TABLE x_tag (id INTEGER PRIMARY KEY)",
		"CREATE TABLE x_doc_tag_rel (doc_id INTEGER, tag_id INTEGER)",
		"INSERT INTO x_doc VALUES (1), (2), (3)",
		"INSERT INTO x_tag VALUES (10), (11), (12), (13)",
		// Document 1 is grouped; 2 and 3 are not, and their tags are
		// none of the rule's business.
		"INSERT INTO x_doc_tag_rel VALUES (1, 10), (1, 11), (2, 12), (3, 13)",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var asked []int64
	r := NewRegistry()
	r.Register(&Model{Name: "x.tag", Table: "x_tag", Fields: map[string]*Field{}, Hooks: Hooks{
		RuleFor: func(ctx context.Context, env *Env, _ Op, scope RuleScope) ([]any, error) {
			ids, err := env.Int64s(ctx, "SELECT t0.id FROM x_tag t0 WHERE "+scope.w.sql+" ORDER BY t0.id", scope.w.args...)
			if err != nil {
				return nil, err
			}
			asked = ids
			// The rule lets the user see tag 11 alone.
			allowed := []any{}
			if slices.Contains(ids, 11) {
				allowed = append(allowed, int64(11))
			}
			return []any{[]any{"id", "in", allowed}}, nil
		}}})
	tags := &Field{Name: "tag_ids", Type: Many2many, Relation: "x.tag", RelTable: "x_doc_tag_rel", RelCol: "doc_id", RelOther: "tag_id"}
	doc := &Model{Name: "x.doc", Table: "x_doc", Fields: map[string]*Field{"tag_ids": tags}}
	r.Register(doc)
	env := NewEnv(db, "sqlite", r, nil, 7, time.Time{})
	env.Access = NewAccessCache()
	w := where{sql: "t0.id = ?", args: []any{int64(1)}}
	join, jargs, err := env.groupJoin(ctx, doc, w, groupSpec{field: tags, pos: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(asked, []int64{10, 11}) {
		t.Errorf("the rule was asked about tags %v, want those of the grouped document, [10 11]", asked)
	}
	groups, err := env.Int64s(ctx, "SELECT COALESCE(g1.tag_id, 0) FROM x_doc t0"+join+" WHERE "+w.sql+" ORDER BY 1",
		append(jargs, w.args...)...)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(groups, []int64{11}) {
		t.Errorf("groups %v, want tag 11 alone (tag 10 is hidden from the user), [11]", groups)
	}
}
