package models_test

import (
	"context"
	"strings"
	"testing"

	"github.com/godoo/godoo/models"
)

// TestExtend checks that a registry extended with a database's models and
// fields has them, that the registry it extends is left as it was (its
// models shared, a model given fields copied), and that what cannot be
// served is refused as a whole.
func TestExtend(t *testing.T) {
	r, err := declare(t, `{"model": "x.owner", "fields": {"name": {"type": "char"}}}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	member, err := models.ParseDeclaration([]byte(`{"model": "x.member", "inherits": {"x.owner": "owner_id"}, "fields": {
		"owner_id": {"type": "many2one", "relation": "x.owner", "required": true, "ondelete": "cascade"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Declare(member, nil); err != nil {
		t.Fatal(err)
	}
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	gadget := &models.Declaration{Model: "x_gadget", RecName: "x_name", Fields: []models.FieldDeclaration{
		{Name: "x_name", Type: models.Char, Manual: true},
		{Name: "x_owner_id", Type: models.Many2one, Relation: "x.owner", OnDelete: "cascade", Manual: true},
		{Name: "x_kind", Type: models.Selection, Manual: true}, // no values yet, as Odoo allows
	}}
	ext := models.Extension{Models: []*models.Declaration{gadget}, Fields: []models.ExtraField{
		{Model: "x.owner", Field: models.FieldDeclaration{Name: "x_gadget_ids", Type: models.One2many, Relation: "x_gadget", RelationField: "x_owner_id", Manual: true}},
		{Model: "x.owner", Field: models.FieldDeclaration{Name: "x_note", Type: models.Text, Manual: true}},
	}}
	n, err := r.Extend(ext)
	if err != nil {
		t.Fatal(err)
	}
	if n.Model("x_gadget") == nil || n.Model("x_gadget").Table != "x_gadget" || n.Model("x_gadget").RecName != "x_name" {
		t.Errorf("the custom model: %+v", n.Model("x_gadget"))
	}
	if n.Model("x.owner").Field("x_note") == nil || n.Model("x.owner").Field("x_gadget_ids") == nil {
		t.Error("the fields added to x.owner are missing")
	}
	if f := n.Model("x.member").Field("x_note"); f == nil || len(f.Related) != 2 || f.Related[0] != "owner_id" || f.Column != "" {
		t.Errorf("a model delegating to x.owner gets its custom field as %+v, want a field related through owner_id", f)
	}
	if n.Model("x.member").Field("x_gadget_ids") != nil {
		t.Error("a one2many is delegated")
	}
	if r.Model("x_gadget") != nil || r.Model("x.owner").Field("x_note") != nil || len(r.Model("x.owner").FieldOrder) == len(n.Model("x.owner").FieldOrder) {
		t.Error("extending changed the registry it extends")
	}
	if n.Declared() != r || r.Declared() != r {
		t.Error("Declared is not the registry extended")
	}
	again, err := n.Declared().Extend(models.Extension{})
	if err != nil || again.Model("x_gadget") != nil {
		t.Errorf("an empty extension of the declared registry: %v, %v", again.Model("x_gadget"), err)
	}
	for _, c := range []struct {
		name string
		ext  models.Extension
		want string
	}{
		{"field of no model", models.Extension{Fields: []models.ExtraField{{Model: "x.none", Field: models.FieldDeclaration{Name: "x_a", Type: models.Char}}}}, "model x.none does not exist"},
		{"field twice", models.Extension{Fields: []models.ExtraField{{Model: "x.owner", Field: models.FieldDeclaration{Name: "name", Type: models.Char}}}}, "declared twice"},
		{"relation to no model", models.Extension{Fields: []models.ExtraField{{Model: "x.owner", Field: models.FieldDeclaration{Name: "x_b_id", Type: models.Many2one, Relation: "x.none"}}}}, "relation x.none is no model"},
		{"model twice", models.Extension{Models: []*models.Declaration{{Model: "x.owner"}}}, "declared twice"},
		{"bad type", models.Extension{Fields: []models.ExtraField{{Model: "x.owner", Field: models.FieldDeclaration{Name: "x_c", Type: "properties"}}}}, "unknown type"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := r.Extend(c.ext); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error with %q", err, c.want)
			}
		})
	}
}

// TestExtendConcurrent checks that extending a registry leaves the fields
// it shares with the registry it extends as they are (here a computed
// one2many the engine cannot follow, which checking reaches each time it
// checks a registry): two extensions at
// once (two databases loading their custom models) must not write to them,
// which the race detector sees (go test -race).
func TestExtendConcurrent(t *testing.T) {
	described := []models.Attr{{Name: "type", Value: "one2many"}}
	thread := &models.Declaration{Model: "x.thread", Fields: []models.FieldDeclaration{
		{Name: "name", Type: models.Char},
		{Name: "message_ids", Type: models.One2many, Relation: "x.message", RelationField: "res_id", Compute: "messages", Described: described},
	}}
	message := &models.Declaration{Model: "x.message", Fields: []models.FieldDeclaration{
		{Name: "res_id", Type: models.Integer},
	}}
	r := models.NewRegistry()
	computes := &models.Behaviour{Computes: map[string]func(context.Context, *models.Env, []models.Record) error{
		"messages": func(context.Context, *models.Env, []models.Record) error { return nil },
	}}
	if err := r.Declare(thread, computes); err != nil {
		t.Fatal(err)
	}
	if err := r.Declare(message, nil); err != nil {
		t.Fatal(err)
	}
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	if f := r.Model("x.thread").Field("message_ids"); f.InverseName != "" {
		t.Fatalf("a described one2many the engine cannot follow keeps its inverse %q", f.InverseName)
	}
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := r.Extend(models.Extension{Fields: []models.ExtraField{
				{Model: "x.thread", Field: models.FieldDeclaration{Name: "x_note", Type: models.Text, Manual: true}},
			}})
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
