package base

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/godoo/godoo/models"
)

// dataLoader inserts data records in batches, straight into their tables,
// and keeps the ids of the external ids it gave. Reference data has no
// hooks or stored computes, and every test database installs its few
// thousand rows: the engine's create, one record at a time, would cost
// seconds.
type dataLoader struct {
	env *models.Env
	ctx context.Context
	// ids are the records of the external ids installed so far.
	ids map[string]int64
}

// load inserts the records of model. A record naming an external id that
// is not installed is an error, unless skipUnknown: then it is left out
// (a record rule of a model godoo does not have).
func (l *dataLoader) load(model string, records []DataRecord, skipUnknown bool) error {
	m := l.env.Registry.Model(model)
	if m == nil {
		return fmt.Errorf("no model %s", model)
	}
	var cols, rels []*models.Field
	for _, name := range m.FieldOrder {
		f := m.Fields[name]
		used := slices.ContainsFunc(records, func(r DataRecord) bool { _, ok := r.Values[name]; return ok })
		switch {
		case !used:
		case f.Type == "many2many":
			rels = append(rels, f)
		case f.Column != "":
			cols = append(cols, f)
		default:
			return fmt.Errorf("%s.%s is not stored", model, name)
		}
	}
	var batch []DataRecord
	var rows [][]any
	inBatch := map[string]bool{}
	for _, r := range records {
		if slices.ContainsFunc(cols, func(f *models.Field) bool { return f.Type == "many2one" && inBatch[r.str(f.Name)] }) {
			// It points at a record of this batch: insert those first.
			if err := l.flush(m, cols, rels, batch, rows); err != nil {
				return err
			}
			batch, rows, inBatch = nil, nil, map[string]bool{}
		}
		row, ok, err := l.row(r, cols)
		if err != nil {
			return fmt.Errorf("%s %s: %w", model, r.XMLID, err)
		}
		if !ok {
			if skipUnknown {
				continue
			}
			return fmt.Errorf("%s %s names an external id that is not installed", model, r.XMLID)
		}
		batch, rows = append(batch, r), append(rows, row)
		inBatch[r.XMLID] = true
	}
	return l.flush(m, cols, rels, batch, rows)
}

// row is the column values of r; ok is false when a many2one names an
// external id that is not installed.
func (l *dataLoader) row(r DataRecord, cols []*models.Field) ([]any, bool, error) {
	row := make([]any, len(cols))
	for i, f := range cols {
		v, set := r.Values[f.Name]
		switch {
		case !set:
			row[i] = nil // a false value, left out of the file: empty
		case f.Type == "many2one":
			id, err := l.id(r.str(f.Name))
			if err != nil || id == 0 {
				return nil, false, err
			}
			row[i] = id
		case f.Type == "reference":
			model, xmlid, _ := strings.Cut(r.str(f.Name), ",")
			id, err := l.id(xmlid)
			if err != nil || id == 0 {
				return nil, false, err
			}
			row[i] = fmt.Sprintf("%s,%d", model, id)
		case f.Type == "integer":
			n, _ := v.(float64) // JSON's number
			row[i] = int64(n)
		default:
			row[i] = v
		}
	}
	return row, true, nil
}

// id is the record of an external id: one this loader installed, or one
// the database has already.
func (l *dataLoader) id(xmlid string) (int64, error) {
	if id, ok := l.ids[xmlid]; ok {
		return id, nil
	}
	id, err := l.env.XMLID(l.ctx, xmlid)
	if err == nil && id != 0 {
		l.ids[xmlid] = id
	}
	return id, err
}

// flush inserts a batch of records, their many2many links and their
// external ids. A batch's rows are inserted in order into a table whose
// ids only grow, so the new ids, read in order, are the records'.
func (l *dataLoader) flush(m *models.Model, cols, rels []*models.Field, batch []DataRecord, rows [][]any) error {
	if len(batch) == 0 {
		return nil
	}
	var last int64
	if _, err := l.env.Scalar(l.ctx, &last, "SELECT COALESCE(MAX(id), 0) FROM "+m.Table); err != nil {
		return err
	}
	names := make([]string, len(cols))
	for i, f := range cols {
		names[i] = f.Column
	}
	if err := insertRows(l.ctx, l.env, m.Table, names, rows); err != nil {
		return fmt.Errorf("install %s: %w", m.Name, err)
	}
	ids, err := l.env.Int64s(l.ctx, "SELECT id FROM "+m.Table+" WHERE id > ? ORDER BY id", last)
	if err != nil {
		return err
	}
	if len(ids) != len(batch) {
		return fmt.Errorf("install %s: %d rows inserted, %d found", m.Name, len(batch), len(ids))
	}
	var data [][]any
	for i, r := range batch {
		l.ids[r.XMLID] = ids[i]
		module, name, _ := strings.Cut(r.XMLID, ".")
		data = append(data, []any{module, name, m.Name, ids[i], r.Noupdate})
	}
	for _, f := range rels {
		var links [][]any
		for i, r := range batch {
			others, _ := r.Values[f.Name].([]any)
			for _, x := range others {
				other, err := l.id(fmt.Sprint(x))
				if err != nil {
					return err
				}
				if other == 0 {
					// A rule's group left out would make it everyone's.
					return fmt.Errorf("install %s %s: no record %v", m.Name, r.XMLID, x)
				}
				links = append(links, []any{ids[i], other})
			}
		}
		if err := insertPlainRows(l.ctx, l.env, f.RelTable, []string{f.RelCol, f.RelOther}, links); err != nil {
			return err
		}
	}
	return insertRows(l.ctx, l.env, "ir_model_data", []string{"module", "name", "model", "res_id", "noupdate"}, data)
}

// firstRecords are the reference records a new Odoo database has before
// its data files load (base_data.sql): the US dollar is currency 1.
var firstRecords = []string{"base.USD"}

// firstRecordsFirst is records with those of firstRecords moved to the
// front, the others kept in order.
func firstRecordsFirst(records []DataRecord) []DataRecord {
	out := make([]DataRecord, 0, len(records))
	for _, x := range firstRecords {
		if i := slices.IndexFunc(records, func(r DataRecord) bool { return r.XMLID == x }); i >= 0 {
			out = append(out, records[i])
		}
	}
	for _, r := range records {
		if !slices.Contains(firstRecords, r.XMLID) {
			out = append(out, r)
		}
	}
	return out
}

// installReference installs Odoo's reference data (ReferenceModels) and
// returns the ids of its external ids. Only en_US is active among the
// languages, and lang when it is another.
func (in *installer) installReference(lang string) map[string]int64 {
	l := &dataLoader{env: in.env, ctx: in.ctx, ids: map[string]int64{}}
	if in.err != nil {
		return l.ids
	}
	for _, model := range ReferenceModels {
		if err := l.load(model, firstRecordsFirst(referenceData()[model]), false); err != nil {
			in.err = err
			return l.ids
		}
	}
	if lang != "en_US" {
		if _, err := in.env.Exec(in.ctx, "UPDATE res_lang SET active = ? WHERE code = ?", true, lang); err != nil {
			in.err = err
		}
	}
	return l.ids
}

// installUI installs the user interface records of Odoo's base module
// (UIModels).
func (in *installer) installUI() {
	if in.err != nil {
		return
	}
	in.err = loadUI(in.ctx, in.env, func(DataRecord) bool { return true }, false)
}

// loadUI installs the records of UIModels that want keeps, in order; a
// scheduled action is first due when it is installed. With skipUnknown, a
// record naming an external id the database lacks is left out.
func loadUI(ctx context.Context, env *models.Env, want func(DataRecord) bool, skipUnknown bool) error {
	l := &dataLoader{env: env, ctx: ctx, ids: map[string]int64{}}
	for _, model := range UIModels {
		var records []DataRecord
		for _, r := range referenceData()[model] {
			if !want(r) {
				continue
			}
			if model == "ir.cron" {
				r.Values = maps.Clone(r.Values)
				r.Values["nextcall"] = env.NowText()
			}
			records = append(records, r)
		}
		if err := l.load(model, records, skipUnknown); err != nil {
			return err
		}
	}
	return nil
}

// UpgradeUI creates, in a database an older godoo made, the user interface
// records of UIModels its install did not make (the views window actions
// open, client, URL and report actions): those whose external id the
// database lacks, as a new database has them. What it has is left as it
// is. It does so once, when migration 0019 asked for it (a row in
// godoo_ui_upgrade), so that a record one deletes later stays deleted, as
// it does in Odoo until its module is updated.
func UpgradeUI(ctx context.Context, env *models.Env) error {
	// The delete is the claim: of two processes opening the database at
	// once, the one whose delete removed the row does the work.
	res, err := env.Exec(ctx, "DELETE FROM godoo_ui_upgrade")
	if err != nil {
		return err
	}
	if asked, err := res.RowsAffected(); err != nil || asked == 0 {
		return err
	}
	rows, err := env.Query(ctx, "SELECT name FROM ir_model_data WHERE module = 'base' AND model IN ("+models.Placeholders(len(UIModels))+")",
		anys(UIModels)...)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		have["base."+name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return loadUI(ctx, env, func(r DataRecord) bool { return !have[r.XMLID] }, true)
}

// anys is list as arguments of a query.
func anys(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}
