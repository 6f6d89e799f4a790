package models

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The schema the declarations call for: one table per model (tables two
// models share are merged), its columns (stored fields and the model's
// Columns), foreign keys with their ondelete, unique constraints and
// indexes, and the link tables of many2many fields. EnsureSchema creates
// it, the same way for the base models when a database is opened and for
// models declared at runtime.

// tableSpec is what a model's table must have.
type tableSpec struct {
	name    string
	columns []columnSpec // id first
	uniques []SQLConstraint
	indexes []Index
	idSeq   string // the sequence of ids shared with other tables; "" for none
}

// columnSpec is one column of a tableSpec.
type columnSpec struct {
	name     string
	typ      string // a field type
	size     int
	notNull  bool
	def      any    // a static default, nil for none
	ref      string // the table a foreign key references, "" for none
	onDelete string
	// perCompany marks a company-dependent field's JSON column, and
	// companyCol names the column of the company a record's value
	// belonged to before the field was one ("" for the main company).
	perCompany bool
	companyCol string
}

// linkSpec is the link table of many2many fields: two columns, each a
// foreign key to a model's table, deleted with either record.
type linkSpec struct {
	name       string
	cols, refs [2]string
}

// schemaSpec is the whole schema of a registry.
type schemaSpec struct {
	tables []*tableSpec
	links  []linkSpec
}

// schema derives the schema the registry's models need.
func (r *Registry) schema() schemaSpec {
	var s schemaSpec
	byName := map[string]*tableSpec{}
	linked := map[string]bool{}
	for _, name := range r.Names() {
		m := r.models[name]
		if m.Abstract {
			continue
		}
		t := byName[m.Table]
		if t == nil {
			t = &tableSpec{name: m.Table, columns: []columnSpec{{name: "id", typ: Integer, notNull: true}}}
			byName[m.Table] = t
			s.tables = append(s.tables, t)
		}
		if m.IDSequence != "" {
			t.idSeq = m.IDSequence
		}
		for _, fname := range m.FieldOrder {
			f := m.Fields[fname]
			switch {
			case f.Type == Many2many && f.RelTable != "" && !linked[f.RelTable]:
				linked[f.RelTable] = true
				s.links = append(s.links, linkSpec{name: f.RelTable, cols: [2]string{f.RelCol, f.RelOther},
					refs: [2]string{m.Table, r.models[f.Relation].Table}})
			case f.hasColumn() && f.CompanyDependent:
				c := columnSpec{name: f.Column, typ: JSON, perCompany: true}
				if cf := m.Fields["company_id"]; cf != nil && cf.Type == Many2one && cf.Relation == "res.company" && cf.hasColumn() && !cf.CompanyDependent {
					c.companyCol = cf.Column
				}
				t.add(c)
			case f.hasColumn() && f.Column != "id":
				c := columnSpec{name: f.Column, typ: f.Type, size: f.Size, notNull: f.Required && !f.NullColumn, def: f.DefaultValue}
				if f.UnsizedColumn {
					c.size = 0
				}
				if f.Type == Many2one && !magicFields[f.Name] && !r.models[f.Relation].Abstract {
					// The log columns (create_uid, write_uid) have no
					// foreign key: godoo's schema never had one.
					c.ref, c.onDelete = r.models[f.Relation].Table, f.OnDelete
					if c.onDelete == "" {
						c.onDelete = "set null"
					}
				}
				t.add(c)
				if f.Index {
					t.index(Index{Name: m.Table + "_" + f.Column + "_index", Columns: []string{f.Column}})
				}
			}
		}
		for _, col := range m.Columns {
			t.add(columnSpec{name: col.Name, typ: col.Type, size: col.Size, notNull: col.Required, def: col.Default})
			if col.Index {
				t.index(Index{Name: m.Table + "_" + col.Name + "_index", Columns: []string{col.Name}})
			}
		}
		for _, c := range m.Constraints {
			if !slices.ContainsFunc(t.uniques, func(u SQLConstraint) bool { return slices.Equal(u.Columns, c.Columns) }) {
				t.uniques = append(t.uniques, c)
			}
		}
		for _, ix := range m.Indexes {
			t.index(ix)
		}
	}
	for _, t := range s.tables {
		for i := range t.columns {
			if t.columns[i].typ == Boolean {
				// A boolean is never NULL: false unless its default says
				// otherwise, as every boolean of godoo's schema has been.
				t.columns[i].notNull = true
				if t.columns[i].def == nil {
					t.columns[i].def = false
				}
			}
		}
	}
	return s
}

// add adds c unless the table has a column of that name already (two
// models on one table).
func (t *tableSpec) add(c columnSpec) {
	if !slices.ContainsFunc(t.columns, func(x columnSpec) bool { return x.name == c.name }) {
		t.columns = append(t.columns, c)
	}
}

// index adds ix unless the table has an index on the same columns.
func (t *tableSpec) index(ix Index) {
	if !slices.ContainsFunc(t.indexes, func(x Index) bool { return slices.Equal(x.Columns, ix.Columns) && x.Using == ix.Using }) {
		t.indexes = append(t.indexes, ix)
	}
}

// sqlType is the column type of a field type in dialect ("sqlite" or
// "pg"), as godoo's schema has always written it.
func sqlType(dialect, typ string, size int) string {
	switch typ {
	case Char, Selection, Reference:
		if size > 0 {
			return "VARCHAR(" + strconv.Itoa(size) + ")"
		}
		return "VARCHAR"
	case Text, HTML, Binary:
		return "TEXT"
	case Integer, Many2one, Many2oneReference:
		return "INTEGER"
	case JSON:
		if dialect == "pg" {
			return "JSONB"
		}
		return "TEXT"
	case Float:
		if dialect == "pg" {
			return "DOUBLE PRECISION"
		}
		return "REAL"
	case Monetary:
		return "NUMERIC"
	case Boolean:
		return "BOOLEAN"
	case Date:
		return "DATE"
	case Datetime:
		return "TIMESTAMP"
	}
	return "TEXT"
}

// sqlLiteral renders a static default as SQL. Declarations give defaults
// of the field's own type only (see staticDefault).
func sqlLiteral(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	}
	return "NULL"
}

// onDeleteSQL is the ON DELETE clause of a policy.
func onDeleteSQL(policy string) string { return " ON DELETE " + strings.ToUpper(policy) }

// fkName is the name of the foreign key of table.column, PostgreSQL's own
// naming, which the engine's messages repeat on both stores.
func fkName(table, column string) string { return table + "_" + column + "_fkey" }

// columnDDL is a column's definition: its type, NOT NULL when notNull, and
// its default; the foreign key is inlineFK's or addFKDDL's.
func columnDDL(dialect string, c columnSpec, notNull bool) string {
	s := c.name + " " + sqlType(dialect, c.typ, c.size)
	if notNull {
		s += " NOT NULL"
	}
	if c.def != nil {
		s += " DEFAULT " + sqlLiteral(c.def)
	}
	return s
}

// createTableDDL is the CREATE TABLE of t.
func createTableDDL(dialect string, t *tableSpec) string {
	parts := make([]string, 0, len(t.columns)+len(t.uniques))
	for _, c := range t.columns {
		if c.name == "id" {
			if dialect == "pg" {
				parts = append(parts, "id SERIAL PRIMARY KEY")
			} else {
				parts = append(parts, "id INTEGER PRIMARY KEY AUTOINCREMENT")
			}
			continue
		}
		parts = append(parts, columnDDL(dialect, c, c.notNull)+inlineFK(dialect, t.name, c))
	}
	for _, u := range t.uniques {
		parts = append(parts, "CONSTRAINT "+u.Name+" UNIQUE ("+strings.Join(u.Columns, ", ")+")")
	}
	return "CREATE TABLE " + t.name + " (\n    " + strings.Join(parts, ",\n    ") + "\n)"
}

// inlineFK is the foreign key clause of c within its column definition,
// on SQLite, which checks references when rows are written and so accepts
// one to a table created later.
func inlineFK(dialect, table string, c columnSpec) string {
	if c.ref == "" || dialect != "sqlite" {
		return ""
	}
	return " CONSTRAINT " + fkName(table, c.name) + " REFERENCES " + c.ref + "(id)" + onDeleteSQL(c.onDelete)
}

// addFKDDL adds the foreign key of table.c on PostgreSQL.
func addFKDDL(table string, c columnSpec) string {
	return "ALTER TABLE " + table + " ADD CONSTRAINT " + fkName(table, c.name) + " FOREIGN KEY (" + c.name + ") REFERENCES " +
		c.ref + "(id)" + onDeleteSQL(c.onDelete)
}

// createLinkDDL creates a link table and the index that finds the links
// of a record of its second model.
func createLinkDDL(l linkSpec) []string {
	col := func(i int) string {
		return l.cols[i] + " INTEGER NOT NULL REFERENCES " + l.refs[i] + "(id)" + onDeleteSQL("cascade")
	}
	return []string{
		"CREATE TABLE " + l.name + " (\n    " + col(0) + ",\n    " + col(1) + ",\n    PRIMARY KEY (" + l.cols[0] + ", " + l.cols[1] + ")\n)",
		"CREATE INDEX " + l.name + "_" + l.cols[1] + "_index ON " + l.name + " (" + l.cols[1] + ")",
	}
}

// uniqueDDL adds a unique constraint to an existing table: a constraint on
// PostgreSQL, a unique index on SQLite (which cannot add constraints), which
// reports a violation the same way.
func uniqueDDL(dialect, table string, u SQLConstraint) string {
	if dialect == "pg" {
		return "ALTER TABLE " + table + " ADD CONSTRAINT " + u.Name + " UNIQUE (" + strings.Join(u.Columns, ", ") + ")"
	}
	return "CREATE UNIQUE INDEX " + u.Name + " ON " + table + " (" + strings.Join(u.Columns, ", ") + ")"
}

// indexDDL creates an index.
func indexDDL(table string, ix Index) string {
	if ix.Using == IndexTrigram {
		return "CREATE INDEX " + ix.Name + " ON " + table + " USING gin (" + ix.Columns[0] + " gin_trgm_ops)"
	}
	return "CREATE INDEX " + ix.Name + " ON " + table + " (" + strings.Join(ix.Columns, ", ") + ")"
}

// LinkTableNames are the link table and columns Odoo gives by default to a
// many2many of model to relation (Odoo's canonical naming): the tables of
// both models in name order with _rel, and each table with _id, the
// model's first. A table name longer than PostgreSQL's 63 bytes is the
// caller's to refuse, as Odoo does.
func LinkTableNames(model, relation string) (table, column1, column2 string) {
	t1, t2 := strings.ReplaceAll(model, ".", "_"), strings.ReplaceAll(relation, ".", "_")
	tables := []string{t1, t2}
	sort.Strings(tables)
	return tables[0] + "_" + tables[1] + "_rel", t1 + "_id", t2 + "_id"
}
