package models

import (
	"context"
	"database/sql"
	"slices"

	"github.com/godoo/godoo/models/py"
)

// Table is the answer of read and search_read: the records as rows of
// values under one list of names, which also carries the order of their
// keys. When every field asked for is a column read as it is stored,
// search_read scans its rows straight into a Table, without a map per
// record: building, filling and walking 80 maps of 9 keys was most of the
// Go time of a search_read; a Table costs one slice.
//
// A Table and the []Record of the same read hold the same keys and values;
// Records converts.
type Table struct {
	// Names are the keys of every record in the order of the answer:
	// "id" first, then the fields in the order asked, as Odoo's read
	// builds its dicts. The wire encoders write the members of every
	// record in this order.
	Names []string
	// Values holds the records one after the other, each with one value per
	// name, in the order of Names.
	Values []any
}

// Len is the number of records.
func (t *Table) Len() int {
	if len(t.Names) == 0 {
		return 0
	}
	return len(t.Values) / len(t.Names)
}

// Row returns the values of record i, in the order of Names.
func (t *Table) Row(i int) []any {
	n := len(t.Names)
	return t.Values[i*n : (i+1)*n : (i+1)*n]
}

// Records returns the records as maps.
func (t *Table) Records() []Record {
	out := make([]Record, t.Len())
	for i := range out {
		r := make(Record, len(t.Names))
		for j, v := range t.Row(i) {
			r[t.Names[j]] = v
		}
		out[i] = r
	}
	return out
}

// tableColumns returns the columns a read of fields makes into a Table, in
// select order, or nil when the read needs the general path: a field that
// is computed, related, one2many or many2many, write-only, display_name, a
// many2one whose name load asks for, a binary while bin_size is on, or a
// field named twice.
func (env *Env) tableColumns(m *Model, fields []string, load bool) []*Field {
	for _, name := range fields {
		if f := m.Fields[name]; f == nil || !f.Stored() && name != "id" {
			return nil // computed: its columns are what it is made of
		}
	}
	cols := fetchColumns(m, fields)
	want := len(fields) + 1
	if contains(fields, "id") {
		want--
	}
	if len(cols) != want {
		return nil // helper columns, or a field named twice
	}
	binSize := py.Truthy(env.Context["bin_size"])
	for _, f := range cols {
		switch {
		case f.Compute != nil, f.Related != nil, f.WriteOnly,
			f.Type == One2many, f.Type == Many2many,
			f.Type == Many2one && load,
			f.Type == Binary && binSize:
			return nil
		}
	}
	return cols
}

// scanTable reads rows of cols into a Table and closes rows. size is a
// capacity hint in records.
func (env *Env) scanTable(rows *sql.Rows, cols []*Field, size int) (*Table, error) {
	defer rows.Close()
	n := len(cols)
	// The columns are id and then the fields as asked (tableColumns), the
	// order of the answer's keys.
	t := &Table{Names: make([]string, n)}
	for i, f := range cols {
		t.Names[i] = f.Name
	}
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	// Rows go into pieces of a fixed size, joined once at the end into a
	// slice of the exact length: growing one slice by doubling allocated
	// some three times the values of a large answer and kept the last two
	// copies alive together.
	piece := max(size, 1) * n
	cur := make([]any, 0, piece)
	var full [][]any
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		if cap(cur)-len(cur) < n {
			full = append(full, cur)
			cur = make([]any, 0, max(piece, tablePiece/n*n))
		}
		for i, f := range cols {
			cur = append(cur, f.fromDB(vals[i]))
		}
	}
	t.Values = joinPieces(full, cur)
	if err := rows.Err(); err != nil {
		return nil, env.Classify(err)
	}
	return t, nil
}

// tablePiece is the size in values of the pieces scanTable reads a large
// answer into after the first.
const tablePiece = 8192

// joinPieces is the values of full followed by those of last, in one
// slice of their length: last itself when full is empty.
func joinPieces(full [][]any, last []any) []any {
	if len(full) == 0 {
		return last
	}
	n := len(last)
	for _, p := range full {
		n += len(p)
	}
	out := make([]any, 0, n)
	for _, p := range full {
		out = append(out, p...)
	}
	return append(out, last...)
}

// searchReadAnswer is SearchRead as the search_read method answers it: a
// *Table when every field is a plain column, a []Record otherwise.
func (env *Env) searchReadAnswer(ctx context.Context, m *Model, domain any, o SearchOptions, fields []string, load bool) (any, error) {
	fields, err := env.readFields(ctx, m, fields)
	if err != nil {
		return nil, err
	}
	cols := env.tableColumns(m, fields, load)
	if cols == nil {
		recs, err := env.searchRead(ctx, m, domain, o, fields, load)
		if err != nil {
			return nil, err
		}
		return rowsAnswer(recs, fields), nil
	}
	sel, err := env.selectList(ctx, cols)
	if err != nil {
		return nil, err
	}
	q, args, err := env.searchQuery(ctx, m, domain, o, sel)
	if err != nil {
		return nil, err
	}
	rows, err := env.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return env.scanTable(rows, cols, int(min(max(o.Limit, 0), 1000)))
}

// rowNames are the keys of the records of a read of fields, in Odoo's
// order: id first, then each field once, in the order asked.
func rowNames(fields []string) []string {
	names := make([]string, 1, len(fields)+1)
	names[0] = "id"
	for _, f := range fields {
		if !slices.Contains(names, f) {
			names = append(names, f)
		}
	}
	return names
}

// rowsAnswer is the answer of a read of fields that gave recs: a Table
// whose names are in Odoo's order. A record lacking one of the keys (which
// the read paths do not make) turns the answer into a list of Dicts, each
// with the keys it has in that order.
func rowsAnswer(recs []Record, fields []string) any {
	names := rowNames(fields)
	t := &Table{Names: names, Values: make([]any, 0, len(recs)*len(names))}
	for _, r := range recs {
		for _, name := range names {
			v, ok := r[name]
			if !ok {
				return dictRows(recs, names)
			}
			t.Values = append(t.Values, v)
		}
	}
	return t
}

// dictRows is each record as a Dict of its keys among names, in that
// order.
func dictRows(recs []Record, names []string) []any {
	out := make([]any, len(recs))
	for i, r := range recs {
		d := NewDict(len(names))
		for _, name := range names {
			if v, ok := r[name]; ok {
				d.Set(name, v)
			}
		}
		out[i] = d
	}
	return out
}

// byIDs lists recs, read for ids, once per id asked: Odoo's read answers
// an id given twice twice, where the records read hold it once. Ids not
// found stay out.
func byIDs(recs []Record, ids []int64) []Record {
	if len(recs) == len(ids) {
		return recs // every id found, so none repeated
	}
	byID := make(map[int64]Record, len(recs))
	for _, r := range recs {
		id, _ := r["id"].(int64)
		byID[id] = r
	}
	out := make([]Record, 0, len(ids))
	for _, id := range ids {
		if r := byID[id]; r != nil {
			out = append(out, r)
		}
	}
	return out
}
