// Command modelgen writes the declarations of models/base from the
// recording of a real Odoo 18 (the model/ folder of the conformance
// corpus: ir_model.json and fields/<model>.json) merged with godoo's
// overlays (models/base/overlay/<model>.json).
//
// The recording gives every model of Odoo's base and web modules with
// every field and every fields_get attribute but help; an overlay gives
// what fields_get does not tell and godoo needs (tables, constraints,
// indexes, link tables of many2many fields, defaults, help texts of
// godoo's own words, the names of Go computes and hooks) and the few
// attributes where godoo knowingly differs from Odoo. A model only an
// overlay declares (one from an OCA module) is written as it is.
//
// It runs from models/base through go generate; the recording is read
// from GODOO_CONFORMANCE_DIR, or ../shared/conformance/odoo18 beside the
// repository.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

func main() {
	root, err := repoRoot()
	if err != nil {
		fail(err)
	}
	rec := os.Getenv("GODOO_CONFORMANCE_DIR")
	if rec == "" {
		rec = filepath.Join(root, "..", "shared", "conformance", "odoo18")
	}
	out := filepath.Join(root, "models", "base")
	if len(os.Args) > 1 && os.Args[1] == "modules" {
		// go generate ./models/modules: the module folders, from the
		// recording of an Odoo with business modules installed, over the
		// base declarations generated before.
		modules := os.Getenv("GODOO_MODULES_DIR")
		if modules == "" {
			modules = filepath.Join(root, "..", "shared", "conformance", "odoo18-modules")
		}
		if err := generateModules(modules, out, filepath.Join(root, "models", "modules")); err != nil {
			fail(err)
		}
		return
	}
	if err := generate(filepath.Join(rec, "model"), filepath.Join(out, "overlay"), out); err != nil {
		fail(err)
	}
	if err := generateData(filepath.Join(rec, "model"), filepath.Join(out, "data")); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "modelgen:", err)
	os.Exit(1)
}

// repoRoot is the folder of go.mod above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// recordedModel is a row of the recording's ir_model.json.
type recordedModel struct {
	Model     string `json:"model"`
	Name      string `json:"name"`
	Transient bool   `json:"transient"`
	Order     string `json:"order"`
}

// field is one field: its name and attributes.
type field struct {
	name  string
	attrs map[string]json.RawMessage
}

// declaration is a model's declaration being built: its keys but fields,
// and its fields in order.
type declaration struct {
	keys   map[string]json.RawMessage
	fields []*field
}

// generate writes one declaration per recorded model, and one per model
// only an overlay declares, into out, replacing the JSON files there.
func generate(recording, overlays, out string) error {
	var recorded []recordedModel
	if err := readJSON(filepath.Join(recording, "ir_model.json"), &recorded); err != nil {
		return fmt.Errorf("the recording is needed (set GODOO_CONFORMANCE_DIR): %w", err)
	}
	over, err := readOverlays(overlays)
	if err != nil {
		return err
	}
	decls := map[string]*declaration{}
	for _, rm := range recorded {
		d, err := fromRecording(recording, rm)
		if err != nil {
			return err
		}
		decls[rm.Model] = d
	}
	for name, o := range over {
		if d := decls[name]; d != nil {
			if err := merge(d, o); err != nil {
				return fmt.Errorf("overlay of %s: %w", name, err)
			}
		} else {
			decls[name] = o
		}
	}
	if err := linkTables(decls); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(out, "*.json"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	for name, d := range decls {
		data, err := d.encode()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(out, FileName(name)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// FileName is the declaration file of a model: its name with underscores.
func FileName(model string) string {
	return strings.ReplaceAll(model, ".", "_") + ".json"
}

// fromRecording builds a model's declaration from its recorded fields_get.
func fromRecording(recording string, rm recordedModel) (*declaration, error) {
	data, err := os.ReadFile(filepath.Join(recording, "fields", rm.Model+".json"))
	if err != nil {
		return nil, err
	}
	fields, err := orderedFields(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rm.Model, err)
	}
	d := &declaration{keys: map[string]json.RawMessage{}, fields: fields}
	d.set("model", rm.Model)
	d.set("description", rm.Name)
	d.set("order", rm.Order)
	if rm.Transient {
		d.set("transient", true)
	}
	// Odoo's abstract models keep no log of who wrote their records: they
	// have no records. The few models that have records but no log say so
	// in their overlay ("abstract": false), and get log_access false.
	if d.field("create_date") == nil {
		d.set("abstract", true)
		d.set("log_access", false)
	}
	kept := fields[:0]
	for _, f := range fields {
		if f.attrs["searchable"] == nil {
			// res.users' in_group_<id> and sel_groups_<ids> fields: Odoo
			// makes them from the groups of its database, by their ids,
			// which are not godoo's.
			continue
		}
		delete(f.attrs, "help") // the recording leaves it out; godoo writes its own
		kept = append(kept, f)
	}
	d.fields = kept
	if err := recordedDefaults(recording, d); err != nil {
		return nil, fmt.Errorf("%s: %w", rm.Model, err)
	}
	return d, nil
}

// defaultTypes are the types whose recorded defaults are static values a
// declaration can give; ids and x2many commands depend on the database.
var defaultTypes = map[string]bool{"char": true, "text": true, "selection": true, "boolean": true, "integer": true,
	"float": true, "monetary": true}

// randomDefaults are defaults Odoo draws at random (a tag's colour).
var randomDefaults = map[string]bool{"color": true}

// recordedDefaults gives d's fields the defaults Odoo's default_get gave
// for them, where the recording has default_get/<model>.json, when they
// are static values of the field's type. The language of a new partner is
// the user's, so it is left out too.
func recordedDefaults(recording string, d *declaration) error {
	var model string
	json.Unmarshal(d.keys["model"], &model)
	data, err := os.ReadFile(filepath.Join(recording, "default_get", model+".json"))
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		return err
	}
	var defaults map[string]json.RawMessage
	if err := json.Unmarshal(data, &defaults); err != nil {
		return err
	}
	for name, v := range defaults {
		f := d.field(name)
		if f == nil || randomDefaults[name] || name == "lang" {
			continue
		}
		var typ string
		var store bool
		json.Unmarshal(f.attrs["type"], &typ)
		json.Unmarshal(f.attrs["store"], &store)
		var value any
		json.Unmarshal(v, &value)
		if s, ok := value.(string); !defaultTypes[typ] || !store || value == false && typ != "boolean" || ok && strings.HasPrefix(s, "@") {
			continue
		}
		f.attrs["default"] = v
	}
	return nil
}

// readOverlays reads every overlay, by model name.
func readOverlays(dir string) (map[string]*declaration, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	out := map[string]*declaration{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		d, err := parseDeclaration(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		var name string
		if err := json.Unmarshal(d.keys["model"], &name); err != nil || name == "" {
			return nil, fmt.Errorf("%s: no model name", p)
		}
		if filepath.Base(p) != FileName(name) {
			return nil, fmt.Errorf("%s: declares %s, so it should be %s", p, name, FileName(name))
		}
		out[name] = d
	}
	return out, nil
}

// merge lays overlay o over d: its keys replace d's, its attributes
// replace the fields' recorded ones, and its fields Odoo does not have
// come after Odoo's.
func merge(d, o *declaration) error {
	for k, v := range o.keys {
		d.keys[k] = v
	}
	for _, of := range o.fields {
		f := d.field(of.name)
		if f == nil {
			d.fields = append(d.fields, of)
			continue
		}
		for k, v := range of.attrs {
			f.attrs[k] = v
		}
		var typ string
		if err := json.Unmarshal(f.attrs["type"], &typ); err != nil {
			return fmt.Errorf("field %s: %w", f.name, err)
		}
		if typ != "selection" && typ != "reference" || f.attrs["selection_records"] != nil {
			// An overlay made it another type, or reads its values from
			// records: the recorded ones are that database's.
			delete(f.attrs, "selection")
		}
	}
	return nil
}

// linkTables names the link table and columns of every stored many2many
// field that no overlay names, as Odoo does: the two tables in order and
// "_rel", and each table's name with "_id"; a many2many to its own model
// gets the table and field with "_rel", and id1 and id2.
func linkTables(decls map[string]*declaration) error {
	used := map[string]bool{}
	for _, d := range decls {
		for _, f := range d.fields {
			var table string
			if json.Unmarshal(f.attrs["relation_table"], &table) == nil && table != "" {
				used[d.model()+" "+table] = true
			}
		}
	}
	for _, name := range sortedKeys(decls) {
		d := decls[name]
		for _, f := range d.fields {
			var typ, relation string
			var store bool
			json.Unmarshal(f.attrs["type"], &typ)
			json.Unmarshal(f.attrs["relation"], &relation)
			json.Unmarshal(f.attrs["store"], &store)
			if typ != "many2many" || !store || f.attrs["relation_table"] != nil {
				continue
			}
			t1, t2 := decls[name].table(), decls[relation].table()
			if relation == name {
				// Odoo requires such a field to name its table; the
				// recording does not tell it, so the field names it.
				f.set("relation_table", t1+"_"+f.name+"_rel")
				f.set("column1", "id1")
				f.set("column2", "id2")
				continue
			}
			tables := []string{t1, t2}
			sort.Strings(tables)
			table := tables[0] + "_" + tables[1] + "_rel"
			if used[name+" "+table] {
				// A second many2many between the same models (mail.message's
				// partners, starred and notified ones) needs a table of
				// its own, which Odoo's field names and the recording
				// does not tell.
				table = tables[0] + "_" + f.name + "_rel"
			}
			used[name+" "+table] = true
			if len(table) > 63 {
				// Longer than PostgreSQL's names: Odoo's model names
				// its table instead (Odoo refuses the long one).
				table = fmt.Sprintf("%.52s_%s_rel", t1, f.name)
			}
			f.set("relation_table", table)
			f.set("column1", t1+"_id")
			f.set("column2", t2+"_id")
		}
	}
	return nil
}

// model is the declared model's name.
func (d *declaration) model() string {
	var model string
	json.Unmarshal(d.keys["model"], &model)
	return model
}

// table is the model's table.
func (d *declaration) table() string {
	var t string
	if json.Unmarshal(d.keys["table"], &t) == nil && t != "" {
		return t
	}
	var model string
	json.Unmarshal(d.keys["model"], &model)
	return strings.ReplaceAll(model, ".", "_")
}

func (d *declaration) field(name string) *field {
	for _, f := range d.fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

func (d *declaration) set(k string, v any) {
	b, _ := json.Marshal(v)
	d.keys[k] = b
}

func (f *field) set(k string, v any) {
	b, _ := json.Marshal(v)
	f.attrs[k] = b
}

// keyOrder is the order of a declaration's keys in its file.
var keyOrder = []string{"model", "description", "table", "order", "rec_name", "rec_names_search", "inherits", "abstract", "log_access", "id_sequence", "transient",
	"auth_cached", "constraints", "indexes", "columns"}

// encode writes the declaration with one line per key and per field, so
// that a change to the recording or an overlay shows as a change of the
// lines it concerns.
func (d *declaration) encode() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n")
	for _, k := range keyOrder {
		v, ok := d.keys[k]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "  %q: %s,\n", k, compact(v))
	}
	for k := range d.keys {
		if k != "fields" && !contains(keyOrder, k) {
			return nil, fmt.Errorf("unknown key %q", k)
		}
	}
	b.WriteString("  \"fields\": {\n")
	for i, f := range d.fields {
		attrs, err := json.Marshal(f.attrs) // in name order, which is Odoo's
		if err != nil {
			return nil, err
		}
		sep := ","
		if i == len(d.fields)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    %q: %s%s\n", f.name, noEscape(attrs), sep)
	}
	b.WriteString("  }\n}\n")
	return b.Bytes(), nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// compact is v on one line.
func compact(v json.RawMessage) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		return v
	}
	return noEscape(b.Bytes())
}

// noEscape undoes json.Marshal's escaping of <, > and &, which labels
// and domains hold.
func noEscape(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte(`\u003c`), []byte("<"))
	b = bytes.ReplaceAll(b, []byte(`\u003e`), []byte(">"))
	return bytes.ReplaceAll(b, []byte(`\u0026`), []byte("&"))
}

// parseDeclaration reads a declaration file keeping its fields' order.
func parseDeclaration(data []byte) (*declaration, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, err
	}
	d := &declaration{keys: keys}
	if raw, ok := keys["fields"]; ok {
		fields, err := orderedFields(raw)
		if err != nil {
			return nil, err
		}
		d.fields = fields
		delete(keys, "fields")
	}
	return d, nil
}

// orderedFields decodes an object of fields in its order.
func orderedFields(data []byte) ([]*field, error) {
	raws, err := models.RawFields(data)
	if err != nil {
		return nil, err
	}
	out := make([]*field, len(raws))
	for i, r := range raws {
		out[i] = &field{name: r.Name, attrs: r.Attrs}
	}
	return out, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// generateData writes the groups and access rights of the recording into
// out: data/groups.json and data/access.json, in the recording's order.
func generateData(recording, out string) error {
	var groups []base.Group
	if err := readJSON(filepath.Join(recording, "res_groups.json"), &groups); err != nil {
		return err
	}
	var rows []struct {
		XMLID, Name, Model, Group string
		Read                      bool `json:"perm_read"`
		Write                     bool `json:"perm_write"`
		Create                    bool `json:"perm_create"`
		Unlink                    bool `json:"perm_unlink"`
		Active                    bool `json:"active"`
	}
	if err := readJSON(filepath.Join(recording, "ir_model_access.json"), &rows); err != nil {
		return err
	}
	var access []base.Access
	for _, r := range rows {
		if !r.Active {
			continue
		}
		perms := ""
		for _, p := range []struct {
			on     bool
			letter string
		}{{r.Read, "r"}, {r.Write, "w"}, {r.Create, "c"}, {r.Unlink, "u"}} {
			if p.on {
				perms += p.letter
			}
		}
		access = append(access, base.Access{XMLID: r.XMLID, Name: r.Name, Model: r.Model, Group: r.Group, Perms: perms})
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeLines(filepath.Join(out, "groups.json"), groups); err != nil {
		return err
	}
	if err := writeLines(filepath.Join(out, "access.json"), access); err != nil {
		return err
	}
	if err := generateRules(recording, out); err != nil {
		return err
	}
	if err := generateReferenceData(recording, out); err != nil {
		return err
	}
	return generateUIData(recording, out)
}

// writeLines writes a list as a JSON array with one element a line.
func writeLines[T any](path string, list []T) error {
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, x := range list {
		line, err := json.Marshal(x)
		if err != nil {
			return err
		}
		b.Write(noEscape(line))
		if i < len(list)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}
