package models

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/godoo/godoo/models/py"
)

// Declaration is one model as a data file declares it: the shape of Odoo's
// fields_get for its fields, plus what fields_get does not tell (the table,
// the default order, the record name, delegation, constraints, indexes,
// columns that are no field, link tables, ondelete policies). A model
// without Go behaviour is exactly one such file; the engine loads the same
// format at runtime, so declarations can come from an embedded folder (the
// base models) or a folder on disk.
//
// The file is a JSON object; unknown keys are refused so that a misspelt
// attribute is never silently ignored:
//
//	{
//	  "model": "res.partner.category",
//	  "description": "Partner Tags",
//	  "order": "name",
//	  "fields": {
//	    "name": {"type": "char", "string": "Name", "required": true},
//	    "parent_id": {"type": "many2one", "relation": "res.partner.category", "ondelete": "cascade"}
//	  }
//	}
//
// Fields keep the order of the file, which is the order Odoo declares them
// in. Field attributes are fields_get's (type, string, help, relation,
// relation_field, required, readonly, selection, size, groups, depends,
// related) and Odoo's Python ones (store, default, compute, ondelete,
// index, copy, relation_table with column1 and column2), with write_only
// for values that are written but never read back (a password). The
// attributes fields_get computes (searchable, sortable, groupable, ...) are
// accepted and ignored: the engine computes them.
type Declaration struct {
	Model       string `json:"model"`
	Description string `json:"description"`
	Table       string `json:"table"`
	Order       string `json:"order"`
	RecName     string `json:"rec_name"`
	// RecNamesSearch are the fields a search on display_name looks in
	// (Odoo's _rec_names_search); none means the rec_name.
	RecNamesSearch []string          `json:"rec_names_search"`
	Inherits       map[string]string `json:"inherits"`
	AuthCached     bool              `json:"auth_cached"`
	// Abstract models (Odoo's AbstractModel: mixins, "base") have fields
	// but no table and no log fields.
	Abstract bool `json:"abstract"`
	// Transient models are Odoo's wizards; godoo keeps their records as
	// any other's.
	Transient bool `json:"transient"`
	// LogAccess false leaves out the fields that log who created and
	// last wrote a record (Odoo's _log_access).
	LogAccess *bool `json:"log_access"`
	// IDSequence names the sequence the ids of the model's records come
	// from when several tables share one: Odoo's actions (window, server,
	// client, URL and report actions) all take theirs from
	// ir_actions_id_seq, so that an action's id names one action of any
	// kind. Empty for the table's own.
	IDSequence  string `json:"id_sequence"`
	Constraints []struct {
		Name    string   `json:"name"`
		Columns []string `json:"columns"`
		Message string   `json:"message"`
	} `json:"constraints"`
	Indexes []Index `json:"indexes"`
	Columns []struct {
		Name     string          `json:"name"`
		Type     string          `json:"type"`
		Size     int             `json:"size"`
		Required bool            `json:"required"`
		Default  json.RawMessage `json:"default"`
		Index    bool            `json:"index"`
	} `json:"columns"`
	// Fields are decoded from the "fields" object, in the file's order.
	Fields []FieldDeclaration `json:"-"`
}

// FieldDeclaration is one field of a Declaration.
type FieldDeclaration struct {
	Name          string        `json:"name"`
	Type          string        `json:"type"`
	String        string        `json:"string"`
	Help          string        `json:"help"`
	Relation      string        `json:"relation"`
	RelationField string        `json:"relation_field"`
	RelationTable string        `json:"relation_table"`
	Column1       string        `json:"column1"`
	Column2       string        `json:"column2"`
	Required      bool          `json:"required"`
	Readonly      bool          `json:"readonly"`
	Store         *bool         `json:"store"`
	Selection     SelectionList `json:"selection"`
	// SelectionRecords makes a selection's values records of another
	// model (the active languages), which fields_get and write read.
	SelectionRecords *SelectionRecords `json:"selection_records"`
	Size             int               `json:"size"`
	Default          json.RawMessage   `json:"default"`
	Compute          string            `json:"compute"`
	Depends          []string          `json:"depends"`
	Related          string            `json:"related"`
	OnDelete         string            `json:"ondelete"`
	Index            bool              `json:"index"`
	Groups           string            `json:"groups"`
	Copy             *bool             `json:"copy"`
	WriteOnly        bool              `json:"write_only"`
	// NullColumn keeps the column of a required field accepting NULL:
	// one godoo's migrations made so, which existing databases hold. The
	// field is required all the same, in fields_get and on create and
	// write, as Odoo's.
	NullColumn bool `json:"null_column"`
	// UnsizedColumn keeps the column of a char field with a size a VARCHAR
	// without one: one godoo's migrations made so. Written values are
	// cut to the size all the same, as Odoo's.
	UnsizedColumn bool `json:"unsized_column"`
	// Tracking is Odoo's tracking attribute, which fields_get does not
	// tell: a model with the chatter logs a change of the field in a
	// message, its tracking values in this order (true is 100); 0 for a
	// field not tracked.
	Tracking int `json:"tracking"`
	// Digits is a float's [precision, scale], as fields_get gives it.
	Digits        []int  `json:"digits"`
	CurrencyField string `json:"currency_field"`
	ModelField    string `json:"model_field"`
	// MaxWidth and MaxHeight make a binary field an image (Odoo's
	// fields.Image), scaled down to fit when written.
	MaxWidth  int `json:"max_width"`
	MaxHeight int `json:"max_height"`
	// Aggregator is the function read_group aggregates the field with when
	// asked for it by name alone, as fields_get gives it ("sum", "avg",
	// ...); false or null for none. Absent, numbers are summed.
	Aggregator json.RawMessage `json:"aggregator"`
	// Attachment makes a stored binary field keep its value in an
	// ir.attachment of the record, as Odoo's attachment=True.
	Attachment bool `json:"attachment"`
	// Domain is the field's literal domain from its fields_get "domain"
	// (Field.Domain); a string domain is the web client's alone.
	Domain []any `json:"-"`
	// Manual fields are a database's own (Odoo's custom fields, state
	// manual): a selection may have no values yet, as Odoo's may.
	Manual bool `json:"-"`
	// unrounded is a float with Odoo's digits 0: kept NUMERIC, not rounded.
	unrounded bool
	// Described is the field's whole fields_get description, when the
	// declaration gives one (a declaration generated from a recorded
	// fields_get does): every attribute but help, in name order, which
	// is Odoo's order. fields_get answers it as declared instead of
	// deriving attributes such as searchable from the engine's view.
	Described []Attr `json:"-"`
	// Sanitize is fields_get's "sanitize" of an html field: its written
	// values are sanitized (Field.Sanitize).
	Sanitize bool `json:"-"`
	// HTMLPolicy is fields_get's strip_style, sanitize_style and
	// strip_classes of an html field declared sanitize (Field.HTMLPolicy).
	HTMLPolicy HTMLPolicy `json:"-"`
}

// SelectionList is a selection's values and labels. Odoo's selections of
// groups (res.users' sel_groups_*) have a value false for none: it is no
// value a client writes, and the list keeps only the string ones.
type SelectionList [][2]string

// UnmarshalJSON decodes [[value, label], ...], leaving out values that are
// not strings.
func (s *SelectionList) UnmarshalJSON(data []byte) error {
	var raw [][2]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	out := make(SelectionList, 0, len(raw))
	for _, o := range raw {
		v, ok := o[0].(string)
		label, lok := o[1].(string)
		if ok && lok {
			out = append(out, [2]string{v, label})
		}
	}
	*s = out
	return nil
}

// Attr is one attribute of a field's fields_get description.
type Attr struct {
	Name  string
	Value any
}

// godooAttributes are the attributes of a field declaration that are
// godoo's own, telling how a field is stored and behaves, and that
// fields_get does not answer.
var godooAttributes = map[string]bool{"help": true, "compute": true, "default": true, "ondelete": true,
	"index": true, "copy": true, "write_only": true, "relation_table": true, "column1": true, "column2": true,
	"max_width": true, "max_height": true, "selection_records": true, "null_column": true,
	"unsized_column": true}

// describedOnly are the fields_get attributes the engine has no use for
// beyond answering them (a recorded fields_get carries them).
var describedOnly = map[string]bool{"searchable": true, "sortable": true, "groupable": true, "exportable": true,
	"manual": true, "change_default": true, "company_dependent": true, "default_export_compatible": true,
	"translate": true, "trim": true, "context": true, "domain": true, "allow_hierachy_operators": true,
	"sanitize": true, "sanitize_attributes": true, "sanitize_style": true, "sanitize_tags": true,
	"strip_classes": true, "strip_style": true, "selectable": true, "definition_record": true, "definition_record_field": true}

// jsonKinds are Odoo's field types whose values godoo keeps as JSON
// without their own rules: a record's properties and their definition
// (which Odoo checks against each other), described as Odoo describes
// them.
var jsonKinds = map[string]bool{"properties": true, "properties_definition": true}

// ParseDeclaration decodes one declaration file.
func ParseDeclaration(data []byte) (*Declaration, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	fields := raw["fields"]
	delete(raw, "fields")
	rest, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	d := &Declaration{}
	if err := strictDecode(rest, d); err != nil {
		return nil, err
	}
	if d.Model == "" {
		return nil, fmt.Errorf("no model name")
	}
	if d.Fields, err = parseFields(fields); err != nil {
		return nil, fmt.Errorf("%s: %w", d.Model, err)
	}
	return d, nil
}

// RawField is one field of a fields_get answer or of a declaration's
// "fields": its name and undecoded attributes.
type RawField struct {
	Name  string
	Attrs map[string]json.RawMessage
}

// RawFields decodes an object of fields in its order, which JSON objects
// decoded into maps lose and which is the order fields_get answers in.
func RawFields(data []byte) ([]RawField, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("fields must be an object")
	}
	var out []RawField
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		f := RawField{Name: t.(string)}
		if err := dec.Decode(&f.Attrs); err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// parseFields decodes the "fields" object in its order.
func parseFields(data json.RawMessage) ([]FieldDeclaration, error) {
	if len(data) == 0 {
		return nil, nil
	}
	raws, err := RawFields(data)
	if err != nil {
		return nil, err
	}
	var out []FieldDeclaration
	for _, raw := range raws {
		name, attrs := raw.Name, raw.Attrs
		described, err := describe(attrs)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", name, err)
		}
		var sanitize bool
		var policy HTMLPolicy
		for key, into := range map[string]*bool{"sanitize": &sanitize, "strip_style": &policy.StripStyle,
			"sanitize_style": &policy.SanitizeStyle, "strip_classes": &policy.StripClasses} {
			if v, ok := attrs[key]; ok {
				if err := json.Unmarshal(v, into); err != nil {
					return nil, fmt.Errorf("field %s: %s: %w", name, key, err)
				}
			}
		}
		domain, err := literalDomain(attrs["domain"])
		if err != nil {
			return nil, fmt.Errorf("field %s: domain: %w", name, err)
		}
		for k := range attrs {
			if describedOnly[k] {
				delete(attrs, k)
			}
		}
		unrounded := false
		if d, ok := attrs["digits"]; ok && !bytes.HasPrefix(bytes.TrimSpace(d), []byte("[")) {
			delete(attrs, "digits") // Odoo's 0: a float that is not rounded
			unrounded = true
		}
		b, _ := json.Marshal(attrs)
		f := FieldDeclaration{}
		if err := strictDecode(b, &f); err != nil {
			return nil, fmt.Errorf("field %s: %w", name, err)
		}
		if f.Name != "" && f.Name != name {
			return nil, fmt.Errorf("field %s: named %s", name, f.Name)
		}
		f.Name = name
		f.Described = described
		f.Sanitize = sanitize
		f.Domain = domain
		f.HTMLPolicy = policy
		f.unrounded = unrounded
		if described != nil && jsonKinds[f.Type] {
			f.Type = JSON
		}
		out = append(out, f)
	}
	return out, nil
}

// describe returns the fields_get description a field declaration gives,
// in name order: all its attributes but godoo's own, when it has
// "searchable" (which only a whole description has); nil otherwise.
func describe(attrs map[string]json.RawMessage) ([]Attr, error) {
	if _, ok := attrs["searchable"]; !ok {
		return nil, nil
	}
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		if !godooAttributes[k] {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	out := make([]Attr, len(names))
	for i, k := range names {
		var v any
		if err := json.Unmarshal(attrs[k], &v); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[i] = Attr{Name: k, Value: py.Numbers(v)} // digits are integers, as Odoo's
	}
	return out, nil
}

// literalDomain decodes a fields_get "domain" that is a list; a string (a
// domain on the form's values) or an absent one is none.
func literalDomain(raw json.RawMessage) ([]any, error) {
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		return nil, nil
	}
	var d []any
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	if len(d) == 0 {
		return nil, nil
	}
	return py.Numbers(d).([]any), nil
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// LoadDeclarations parses every .json file of dir in fsys, in name order.
func LoadDeclarations(fsys fs.FS, dir string) ([]*Declaration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []*Declaration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		d, err := ParseDeclaration(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		out = append(out, d)
	}
	return out, nil
}

// Behaviour is the Go code of one model, attached to the declaration of
// the same name: what a data file cannot say.
type Behaviour struct {
	Hooks
	// Methods are added to, or replace, the methods every model has.
	Methods []*Method
	// Computes fill computed fields, under the name a field's "compute"
	// gives, or for a described field that names none (Odoo computes
	// it), under the field's name.
	Computes map[string]func(ctx context.Context, env *Env, recs []Record) error
	// Defaults give the values of fields whose default is computed when a
	// record is created, by field name.
	Defaults map[string]func(ctx context.Context, env *Env) any
}

// Declare builds the model d declares, with its behaviour b (nil for
// none), and registers it. Relations to other models are checked by Check,
// once every model is declared.
func (r *Registry) Declare(d *Declaration, b *Behaviour) error {
	if r.models[d.Model] != nil {
		return fmt.Errorf("model %s: declared twice", d.Model)
	}
	if b == nil {
		b = &Behaviour{}
	}
	m, err := d.build(b)
	if err != nil {
		return fmt.Errorf("model %s: %w", d.Model, err)
	}
	r.Register(m)
	return nil
}

// fieldTypes are the field types the engine serves.
var fieldTypes = map[string]bool{Char: true, Text: true, HTML: true, Integer: true, Float: true, Monetary: true,
	Boolean: true, Date: true, Datetime: true, Selection: true, Binary: true, Many2one: true, One2many: true, Many2many: true,
	Reference: true, JSON: true, Many2oneReference: true}

var onDeletes = map[string]bool{"set null": true, "restrict": true, "cascade": true}

// identRE is what a declaration may name a table, a column, a field, a
// constraint or an index: the names go into SQL as they are, so nothing
// that would need quoting is accepted.
var identRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// modelRE is what a model may be called ("res.partner", "x_custom").
var modelRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$`)

// checkIdents refuses names that are not SQL identifiers.
func checkIdents(what string, names ...string) error {
	for _, n := range names {
		if !identRE.MatchString(n) {
			return fmt.Errorf("%s %q is not a lower-case SQL identifier", what, n)
		}
	}
	return nil
}

func (d *Declaration) build(b *Behaviour) (*Model, error) {
	m := &Model{Name: d.Model, Description: d.Description, Table: d.Table, Order: d.Order, RecName: d.RecName,
		RecNamesSearch: d.RecNamesSearch, Inherits: d.Inherits, AuthCached: d.AuthCached, Indexes: d.Indexes, Hooks: b.Hooks,
		Abstract: d.Abstract, Transient: d.Transient, NoLogAccess: d.LogAccess != nil && !*d.LogAccess, IDSequence: d.IDSequence}
	if !modelRE.MatchString(d.Model) {
		return nil, fmt.Errorf("%q is not a model name", d.Model)
	}
	if m.Table == "" {
		m.Table = strings.ReplaceAll(d.Model, ".", "_")
	}
	if m.IDSequence != "" {
		if err := checkIdents("id sequence", m.IDSequence); err != nil {
			return nil, err
		}
	}
	if err := checkIdents("table", m.Table); err != nil {
		return nil, err
	}
	for _, ix := range d.Indexes {
		if len(ix.Columns) == 0 {
			return nil, fmt.Errorf("an index needs columns")
		}
		if err := checkIdents("index", append([]string{ix.Name}, ix.Columns...)...); err != nil {
			return nil, err
		}
		if ix.Using != "" && (ix.Using != IndexTrigram || len(ix.Columns) != 1 || ix.Name == "") {
			return nil, fmt.Errorf("index %q: using is %q or nothing, for one column and with a name", ix.Name, IndexTrigram)
		}
	}
	for _, c := range d.Constraints {
		if c.Name == "" || len(c.Columns) == 0 {
			return nil, fmt.Errorf("a constraint needs a name and columns")
		}
		if err := checkIdents("constraint", append([]string{c.Name}, c.Columns...)...); err != nil {
			return nil, err
		}
		m.Constraints = append(m.Constraints, SQLConstraint{Name: c.Name, Columns: c.Columns, Message: c.Message})
	}
	for _, c := range d.Columns {
		if err := checkIdents("column", c.Name); err != nil {
			return nil, err
		}
		if !fieldTypes[c.Type] || c.Type == One2many || c.Type == Many2many {
			return nil, fmt.Errorf("column %s: type %q has no column", c.Name, c.Type)
		}
		def, err := staticDefault(c.Type, c.Default)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		m.Columns = append(m.Columns, Column{Name: c.Name, Type: c.Type, Size: c.Size, Required: c.Required, Default: def, Index: c.Index})
	}
	used := map[string]bool{}
	for i := range d.Fields {
		f, err := d.Fields[i].build(b, used)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", d.Fields[i].Name, err)
		}
		if m.Fields[f.Name] != nil {
			return nil, fmt.Errorf("field %s: declared twice", f.Name)
		}
		m.AddField(f)
	}
	for name := range b.Computes {
		if !used["compute:"+name] {
			return nil, fmt.Errorf("compute %s: no field computes with it", name)
		}
	}
	for name := range b.Defaults {
		if !used["default:"+name] {
			return nil, fmt.Errorf("default of %s: no such field", name)
		}
	}
	for _, meth := range b.Methods {
		m.AddMethod(meth)
	}
	return m, nil
}

func (fd *FieldDeclaration) build(b *Behaviour, used map[string]bool) (*Field, error) {
	f := &Field{Name: fd.Name, Type: fd.Type, String: fd.String, Help: fd.Help, Relation: fd.Relation,
		InverseName: fd.RelationField, RelTable: fd.RelationTable, RelCol: fd.Column1, RelOther: fd.Column2,
		Required: fd.Required, NullColumn: fd.NullColumn, UnsizedColumn: fd.UnsizedColumn, Readonly: fd.Readonly, Selection: fd.Selection, Size: fd.Size,
		OnDelete: fd.OnDelete, Index: fd.Index, Groups: fd.Groups, WriteOnly: fd.WriteOnly,
		NoCopy: fd.Copy != nil && !*fd.Copy, Digits: fd.Digits, CurrencyField: fd.CurrencyField, ModelField: fd.ModelField,
		Domain: fd.Domain, MaxWidth: fd.MaxWidth, MaxHeight: fd.MaxHeight, Described: fd.Described, Manual: fd.Manual, Tracking: fd.Tracking,
		Sanitize: fd.Sanitize && fd.Type == HTML, HTMLPolicy: fd.HTMLPolicy, SelectionRecords: fd.SelectionRecords,
		Numeric: fd.Type == Monetary || fd.Type == Float && (fd.Digits != nil || fd.unrounded)}
	described := fd.Described != nil
	if fd.Compute != "" || !described {
		// A described field's depends are Odoo's; only a Go compute reads
		// what it depends on.
		f.Depends = fd.Depends
	}
	declaredStore := fd.Store != nil && *fd.Store
	if err := checkIdents("field", f.Name); err != nil {
		return nil, err
	}
	if !fieldTypes[f.Type] {
		return nil, fmt.Errorf("unknown type %q", f.Type)
	}
	relational := f.Type == Many2one || f.Type == One2many || f.Type == Many2many
	if relational != (f.Relation != "") {
		return nil, fmt.Errorf("relation is for relational fields, and needed by them")
	}
	// A described one2many or many2many without what links it (Odoo's
	// computed ones) has no value in godoo: it is only described.
	unlinked := described && !declaredStore && fd.Compute == ""
	if f.Type != One2many && f.InverseName != "" || f.Type == One2many && f.InverseName == "" && !unlinked {
		return nil, fmt.Errorf("relation_field is for one2many fields, and needed by them")
	}
	hasLink := f.RelTable != "" && f.RelCol != "" && f.RelOther != ""
	if f.Type != Many2many && (f.RelTable != "" || f.RelCol != "" || f.RelOther != "") ||
		f.Type == Many2many && !hasLink && !(unlinked && f.RelTable == "" && f.RelCol == "" && f.RelOther == "") {
		return nil, fmt.Errorf("relation_table, column1 and column2 are for many2many fields, and needed by them")
	}
	if f.Type == Many2many && hasLink {
		if err := checkIdents("link table or column", f.RelTable, f.RelCol, f.RelOther); err != nil {
			return nil, err
		}
		if f.RelCol == f.RelOther {
			return nil, fmt.Errorf("column1 and column2 are the same")
		}
	}
	// Odoo's selections whose values come from the database (languages,
	// models) may be described with none; a reference field describes the
	// models it may point to as a selection.
	if f.Type != Selection && f.Type != Reference && len(f.Selection) > 0 ||
		f.Type == Selection && len(f.Selection) == 0 && !described && !fd.Manual && f.SelectionRecords == nil {
		return nil, fmt.Errorf("selection is for selection fields (and reference fields), and needed by selection fields")
	}
	if f.SelectionRecords != nil && (f.Type != Selection || len(f.Selection) > 0) {
		return nil, fmt.Errorf("selection_records is for selection fields without a selection")
	}
	if f.Digits != nil && (f.Type != Float || len(f.Digits) != 2 || f.Digits[1] < 0) {
		return nil, fmt.Errorf("digits are a float's [precision, scale]")
	}
	if f.CurrencyField != "" && f.Type != Monetary {
		return nil, fmt.Errorf("currency_field is for monetary fields")
	}
	if (f.ModelField != "") != (f.Type == Many2oneReference) {
		return nil, fmt.Errorf("model_field is for many2one_reference fields, and needed by them")
	}
	if (f.MaxWidth < 0 || f.MaxHeight < 0) || (f.MaxWidth > 0 || f.MaxHeight > 0) && f.Type != Binary {
		return nil, fmt.Errorf("max_width and max_height are a binary image's bounds")
	}
	if len(fd.Aggregator) > 0 {
		var agg any
		if err := json.Unmarshal(fd.Aggregator, &agg); err != nil {
			return nil, fmt.Errorf("aggregator: %w", err)
		}
		switch a := agg.(type) {
		case string:
			if !aggregators[a] {
				return nil, fmt.Errorf("aggregator %q: not one of read_group's functions", a)
			}
			f.Aggregator = a
		case nil:
			f.Aggregator = noAggregator
		case bool:
			if a {
				return nil, fmt.Errorf("aggregator true: name a function")
			}
			f.Aggregator = falseAggregator
		default:
			return nil, fmt.Errorf("aggregator %s: name a function", fd.Aggregator)
		}
	}
	if f.Size != 0 && f.Type != Char {
		return nil, fmt.Errorf("size is for char fields")
	}
	if fd.Related != "" && f.Type == Binary && fd.Store != nil && *fd.Store && !strings.Contains(fd.Related, ".") {
		// A stored image related to another image of the record (Odoo's
		// image_128 from image_1920) is a copy, scaled to its bounds when
		// it has some, made when that one is written.
		if err := checkIdents("field", fd.Related); err != nil {
			return nil, err
		}
		f.ResizedFrom = fd.Related
		f.Readonly = true
	} else if fd.Related != "" && !(described && declaredStore) {
		// A stored related field of a description keeps its own column,
		// written as any other: the engine does not copy the value.
		path := strings.Split(fd.Related, ".")
		switch {
		case len(path) == 2:
			f.Related = path
		case !described:
			return nil, fmt.Errorf("related %q: the engine follows paths of two fields", fd.Related)
		}
	}
	if fd.Compute != "" {
		f.Compute = b.Computes[fd.Compute]
		if f.Compute == nil {
			return nil, fmt.Errorf("compute %s: no Go function of that name", fd.Compute)
		}
		used["compute:"+fd.Compute] = true
	} else if fn := b.Computes[fd.Name]; fn != nil && described && !declaredStore {
		// A described field Odoo computes names no compute (the
		// recording cannot tell Odoo's functions): a behaviour computes
		// it under the field's own name.
		f.Compute = fn
		used["compute:"+fd.Name] = true
	}
	// Odoo's store: a column of its own, unless computed, related or the
	// other side of a relation.
	stored := f.Related == nil && f.Compute == nil && f.Type != One2many && f.Type != Many2many
	if described && fd.Store != nil && !*fd.Store {
		stored = false // Odoo computes it; godoo describes it
	}
	if fd.Store != nil && !described {
		if *fd.Store && !stored {
			return nil, fmt.Errorf("a %s field that is related or computed has no column", f.Type)
		}
		stored = *fd.Store
	}
	if fd.Attachment && stored && !(described && f.Related != nil) {
		// A described image variant related to the record's image (Odoo's
		// image_1024 of image_1920) keeps a column of its own, which the
		// engine fills when the image is written.
		if f.Type != Binary || f.Related != nil {
			return nil, fmt.Errorf("attachment is for stored binary fields")
		}
		// Its value lives in an attachment: no column.
		f.Attachment, stored = true, false
	}
	if stored && f.Type != Binary && f.Type != JSON && isCompanyDependent(fd.Described) {
		f.CompanyDependent = true
	}
	if stored || fd.WriteOnly && described {
		// A write-only field (a password) keeps its value in a column
		// only the engine reads, whatever its description says.
		f.Column = ColumnName(f.Name)
	}
	if f.Type == Many2one && stored {
		if f.OnDelete == "" {
			f.OnDelete = "set null"
			if f.Required {
				f.OnDelete = "restrict" // as Odoo: a required reference cannot be emptied
			}
		}
		if !onDeletes[f.OnDelete] {
			return nil, fmt.Errorf("ondelete %q: not one of set null, restrict, cascade", f.OnDelete)
		}
		if f.OnDelete == "set null" && f.Required {
			return nil, fmt.Errorf("ondelete set null on a required field")
		}
	} else if f.OnDelete != "" {
		return nil, fmt.Errorf("ondelete is for stored many2one fields")
	}
	if f.Size != 0 && !stored && described {
		f.Size = 0 // described as Odoo's related field is, with its size
	}
	if (f.Index || f.Size != 0) && !stored {
		return nil, fmt.Errorf("index and size are for stored fields")
	}
	def, err := staticDefault(f.Type, fd.Default)
	if err != nil {
		return nil, err
	}
	if fn := b.Defaults[f.Name]; fn != nil {
		if def != nil {
			return nil, fmt.Errorf("a static default and a Go default")
		}
		f.Default = fn
		used["default:"+f.Name] = true
	} else {
		f.DefaultValue = def
	}
	return f, nil
}

// staticDefault decodes a default of a declaration as a wire value of the
// field's type: an int64 for integers and ids, a float64 for numbers, a
// string or a bool. nil means no default.
func staticDefault(typ string, raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("default: %w", err)
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case float64:
		switch typ {
		case Float, Monetary:
			return x, nil
		case Integer, Many2one:
			if n, ok := py.Numbers(x).(int64); ok {
				return n, nil
			}
		}
	case string:
		if typ != Boolean && typ != Integer && typ != Float && typ != Monetary && typ != Many2one {
			return x, nil
		}
	case bool:
		if typ == Boolean {
			return x, nil
		}
	}
	return nil, fmt.Errorf("default %s does not suit a %s field", raw, typ)
}

// Check verifies what no single declaration can: that every relation names
// a registered model, every one2many the many2one it follows, every
// related field a field of the model it delegates to, every delegation a
// required many2one, and that two fields sharing a link table agree on it.
func (r *Registry) Check() error {
	links := map[string][2]string{} // link table -> its two columns, sorted
	for _, name := range r.Names() {
		m := r.models[name]
		for _, fname := range m.FieldOrder {
			f := m.Fields[fname]
			if magicFields[fname] {
				continue // the engine's own, whose relation is the users model
			}
			if err := r.checkField(m, f, links); err != nil {
				return fmt.Errorf("model %s: field %s: %w", m.Name, f.Name, err)
			}
		}
		for co, via := range m.Inherits {
			f := m.Fields[via]
			if f == nil || f.Type != Many2one || f.Relation != co || !f.Required {
				return fmt.Errorf("model %s: inherits %s through %s, which is not a required many2one to it", m.Name, co, via)
			}
		}
	}
	r.companyRefs = companyRefs(r)
	if r.orders != nil {
		r.orders.forget()
		r.orders.checked.Store(true)
	}
	return nil
}

func (r *Registry) checkField(m *Model, f *Field, links map[string][2]string) error {
	if f.Relation != "" && r.models[f.Relation] == nil {
		return fmt.Errorf("relation %s is no model", f.Relation)
	}
	if err := r.checkDomain(f); err != nil {
		return err
	}
	switch {
	case f.valueless(), f.Related != nil:
	case f.Type == One2many:
		inv := r.models[f.Relation].Fields[f.InverseName]
		follows := inv != nil && (inv.Type == Many2one && inv.Relation == m.Name || inv.Type == Many2oneReference)
		if !follows && f.Described != nil {
			// A described one2many whose inverse the engine cannot
			// follow is described and has no value. Only the first check
			// writes: an extended registry shares its fields with the
			// registry it extends, which other requests read.
			if f.InverseName != "" {
				f.InverseName = ""
			}
		} else if !follows {
			return fmt.Errorf("relation_field %s is no many2one of %s to %s", f.InverseName, f.Relation, m.Name)
		}
	case f.Type == Many2many:
		cols := [2]string{f.RelCol, f.RelOther}
		slices.Sort(cols[:])
		if seen, ok := links[f.RelTable]; ok && seen != cols {
			return fmt.Errorf("link table %s has columns %v elsewhere", f.RelTable, seen)
		}
		links[f.RelTable] = cols
	}
	if f.SelectionRecords != nil {
		if err := r.checkSelectionRecords(f); err != nil {
			return err
		}
	}
	if f.ResizedFrom != "" {
		if src := m.Fields[f.ResizedFrom]; src == nil || src.Type != Binary || !(src.hasColumn() || src.Attachment) {
			return fmt.Errorf("related %s: no stored binary field of that name", f.ResizedFrom)
		}
	}
	if f.Type == Many2oneReference {
		if mf := m.Fields[f.ModelField]; mf == nil || mf.Type != Char && mf.Type != Selection {
			return fmt.Errorf("model_field %s: no char field of that name", f.ModelField)
		}
	}
	if f.Related != nil {
		if err := r.checkRelated(m, f); err != nil {
			if f.Described == nil {
				return err
			}
			// A described field whose path the engine cannot follow (a
			// path through a field godoo only describes) is described
			// and has no value.
			f.Related = nil
		}
	}
	return nil
}

// checkRelated verifies that f's related path is one the engine follows:
// a stored many2one, then a field of the same type on its comodel that
// has a value.
func (r *Registry) checkRelated(m *Model, f *Field) error {
	via := m.Fields[f.Related[0]]
	if via == nil || via.Type != Many2one || !via.Stored() {
		return fmt.Errorf("related %s: %s is no many2one", strings.Join(f.Related, "."), f.Related[0])
	}
	target := r.models[via.Relation].Fields[f.Related[1]]
	if target == nil || target.Type != f.Type || target.valueless() {
		return fmt.Errorf("related %s: no %s field %s on %s", strings.Join(f.Related, "."), f.Type, f.Related[1], via.Relation)
	}
	return nil
}

// reservedWords are the words SQLite or PostgreSQL refuse as a column name
// without quotes. Odoo has fields so named (ir.model's order, an action's
// limit); their columns get a trailing underscore, so that the engine's SQL
// never needs to quote a name.
var reservedWords = map[string]bool{"all": true, "analyse": true, "analyze": true, "and": true, "any": true,
	"array": true, "as": true, "asc": true, "asymmetric": true, "both": true, "case": true, "cast": true, "check": true,
	"collate": true, "column": true, "constraint": true, "create": true, "current_catalog": true, "current_date": true,
	"current_role": true, "current_time": true, "current_timestamp": true, "current_user": true, "default": true,
	"deferrable": true, "desc": true, "distinct": true, "do": true, "else": true, "end": true, "except": true,
	"false": true, "fetch": true, "for": true, "foreign": true, "from": true, "grant": true, "group": true,
	"having": true, "in": true, "index": true, "initially": true, "intersect": true, "into": true, "lateral": true,
	"leading": true, "limit": true, "localtime": true, "localtimestamp": true, "not": true, "nothing": true,
	"null": true, "offset": true, "on": true, "only": true, "or": true, "order": true, "placing": true,
	"primary": true, "references": true, "returning": true, "select": true, "session_user": true, "some": true,
	"symmetric": true, "table": true, "then": true, "to": true, "trailing": true, "true": true, "union": true,
	"unique": true, "user": true, "using": true, "variadic": true, "when": true, "where": true, "window": true,
	"with": true,
	// PostgreSQL's words reserved but as function or type names.
	"authorization": true, "binary": true, "collation": true, "concurrently": true, "cross": true,
	"current_schema": true, "freeze": true, "full": true, "ilike": true, "inner": true, "is": true, "isnull": true,
	"join": true, "left": true, "like": true, "natural": true, "notnull": true, "outer": true, "overlaps": true,
	"right": true, "similar": true, "tablesample": true, "verbose": true}

// ColumnName is the column of a stored field: its name, with an underscore
// after a reserved word.
func ColumnName(field string) string {
	if reservedWords[field] {
		return field + "_"
	}
	return field
}
