package base

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// extensionSources read, each, part of what a database adds to the
// declared models; LoadExtension joins them in this order: the custom
// models and fields, then res.users' fields of groups (made from the
// database's groups, after its custom fields as Odoo's fields_get adds
// them after the model's fields). A source of models per database is one
// more function here, and its changes call Env.RegistryChanged.
var extensionSources = []func(ctx context.Context, db bun.IDB) (models.Extension, error){
	loadCustom,
	groupFieldsSource,
}

// LoadExtension reads what a database adds to the declared models (see
// extensionSources). The services extend the declared registry with it
// (models.Registry.Extend) for each database, again whenever its registry
// version moves.
func LoadExtension(ctx context.Context, db bun.IDB) (models.Extension, error) {
	var all models.Extension
	for _, src := range extensionSources {
		x, err := src(ctx, db)
		if err != nil {
			return all, err
		}
		all.Models = append(all.Models, x.Models...)
		all.Fields = append(all.Fields, x.Fields...)
	}
	return all, nil
}

// loadCustom reads a database's custom models (ir.model rows of state
// manual) and custom fields (ir.model.fields rows of state manual, with
// the values of selections in ir.model.fields.selection), as Odoo's
// registry setup reads them.
func loadCustom(ctx context.Context, db bun.IDB) (models.Extension, error) {
	var x models.Extension
	custom := map[string]*models.Declaration{}
	rows, err := db.QueryContext(ctx, `SELECT model, COALESCE(name, ''), COALESCE(order_, ''), transient FROM ir_model
		WHERE state = 'manual' ORDER BY id`)
	if err != nil {
		return x, err
	}
	for rows.Next() {
		d := &models.Declaration{}
		var transient sql.NullBool
		if err := rows.Scan(&d.Model, &d.Description, &d.Order, &transient); err != nil {
			rows.Close()
			return x, err
		}
		d.Transient = transient.Bool
		custom[d.Model] = d
		x.Models = append(x.Models, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return x, err
	}
	selections, err := manualSelections(ctx, db)
	if err != nil {
		return x, err
	}
	rows, err = db.QueryContext(ctx, `SELECT id, model, name, ttype, COALESCE(field_description, ''), COALESCE(help, ''),
		COALESCE(relation, ''), COALESCE(relation_field, ''), COALESCE(relation_table, ''), COALESCE(column1, ''),
		COALESCE(column2, ''), required, readonly, index_, COALESCE(size, 0), COALESCE(on_delete, ''), copied,
		COALESCE(currency_field, ''), sanitize, sanitize_style, strip_style, strip_classes
		FROM ir_model_fields WHERE state = 'manual' ORDER BY id`)
	if err != nil {
		return x, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var model string
		var required, readonly, index, copied, sanitize, sanitizeStyle, stripStyle, stripClasses sql.NullBool
		fd := models.FieldDeclaration{Manual: true}
		if err := rows.Scan(&id, &model, &fd.Name, &fd.Type, &fd.String, &fd.Help, &fd.Relation, &fd.RelationField,
			&fd.RelationTable, &fd.Column1, &fd.Column2, &required, &readonly, &index, &fd.Size, &fd.OnDelete, &copied,
			&fd.CurrencyField, &sanitize, &sanitizeStyle, &stripStyle, &stripClasses); err != nil {
			return x, err
		}
		fd.Required, fd.Readonly = required.Bool, readonly.Bool
		cp := copied.Bool
		fd.Copy = &cp
		// Odoo's sanitize defaults to true: only a row saying false
		// keeps what is written to a custom html field as written.
		fd.Sanitize = fd.Type == models.HTML && (!sanitize.Valid || sanitize.Bool)
		// And the row's policy, as Odoo's _instanciate_attrs gives it.
		fd.HTMLPolicy = models.HTMLPolicy{SanitizeStyle: sanitizeStyle.Bool, StripStyle: stripStyle.Bool, StripClasses: stripClasses.Bool}
		shapeManualField(&fd, index.Bool, selections[id])
		if d := custom[model]; d != nil {
			d.Fields = append(d.Fields, fd)
			if fd.Name == "x_name" {
				d.RecName = "x_name" // Odoo's _rec_name of a custom model
			}
			continue
		}
		x.Fields = append(x.Fields, models.ExtraField{Model: model, Field: fd})
	}
	return x, rows.Err()
}

// shapeManualField keeps of a field's row what its type takes, as Odoo's
// _instanciate_attrs does: a relation for relational fields, the link of
// a many2many, the values of a selection, a size for a char; an index
// only for a column. A custom binary field is kept in an attachment, as
// Odoo's binary fields are by default.
func shapeManualField(fd *models.FieldDeclaration, index bool, selection [][2]string) {
	t := fd.Type
	if t != models.Many2one && t != models.One2many && t != models.Many2many {
		fd.Relation = ""
	}
	if t != models.One2many {
		fd.RelationField = ""
	}
	if t != models.Many2many {
		fd.RelationTable, fd.Column1, fd.Column2 = "", "", ""
	}
	if t != models.Char || fd.Size < 0 {
		fd.Size = 0
	}
	if t == models.Many2one {
		if fd.OnDelete == "" {
			fd.OnDelete = "set null"
		}
	} else {
		fd.OnDelete = ""
	}
	if t != models.Monetary {
		fd.CurrencyField = ""
	}
	if t == models.Selection || t == models.Reference {
		fd.Selection = selection
	}
	fd.Attachment = t == models.Binary
	fd.Index = index && t != models.One2many && t != models.Many2many && t != models.Binary
}

// manualSelections are the values of the custom fields' selections, by
// field id, in Odoo's order.
func manualSelections(ctx context.Context, db bun.IDB) (map[int64][][2]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT s.field_id, s.value, COALESCE(s.name, s.value) FROM ir_model_fields_selection s
		JOIN ir_model_fields f ON f.id = s.field_id WHERE f.state = 'manual' ORDER BY s.sequence, s.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][][2]string{}
	for rows.Next() {
		var id int64
		var value, name string
		if err := rows.Scan(&id, &value, &name); err != nil {
			return nil, err
		}
		out[id] = append(out[id], [2]string{value, name})
	}
	return out, rows.Err()
}

// ExtendFor returns the registry of a database: declared (the models
// godoo declares) extended with the database's own models and fields.
func ExtendFor(ctx context.Context, db bun.IDB, declared *models.Registry) (*models.Registry, error) {
	x, err := LoadExtension(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("load custom models: %w", err)
	}
	if x.Empty() {
		return declared, nil
	}
	return declared.Extend(x)
}

// customTable is the table of a custom model, as Odoo names it.
func customTable(model string) string { return strings.ReplaceAll(model, ".", "_") }
