package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// recordedModule is a row of the modules recording's installed.json.
type recordedModule struct {
	Name        string   `json:"name"`
	Version     string   `json:"latest_version"`
	AutoInstall bool     `json:"auto_install"`
	Application bool     `json:"application"`
	Depends     []string `json:"depends"`
}

// manifest is what a module folder's manifest.json says of it: Odoo's
// __manifest__ keys that the recording gives.
type manifest struct {
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Depends     []string `json:"depends"`
	AutoInstall bool     `json:"auto_install"`
	// AutoInstallOn are the dependencies whose presence installs the
	// module, when not all of them (Odoo's auto_install as a list).
	AutoInstallOn []string `json:"auto_install_on,omitempty"`
	Application   bool     `json:"application"`
	Category      string   `json:"category,omitempty"`
	Summary       string   `json:"summary,omitempty"`
}

// autoInstallOn are the modules whose manifest's auto_install is a list
// of dependencies rather than true (Odoo's __manifest__.py files, which
// the recording does not hold): installing those installs the module and
// the rest of what it depends on.
var autoInstallOn = map[string][]string{
	"spreadsheet_dashboard_account": {"account"},
	"spreadsheet_dashboard_sale":    {"sale"},
}

// moduleModel is a row of the modules recording's ir_model.json.
type moduleModel struct {
	recordedModel
	Modules string `json:"modules"`
	InBase  bool   `json:"in_base_corpus"`
}

// extension is what the recording tells of a base model that modules
// extend: the fields they add (with the modules defining each) and the
// attributes they change.
type extension struct {
	Added   map[string]string          `json:"added_fields"`
	Removed []string                   `json:"removed_fields"`
	Changed map[string]json.RawMessage `json:"changed_fields"`
	Modules string                     `json:"model_modules"`
}

// pack is one module folder being built.
type pack struct {
	manifest
	models   map[string]*declaration // new models
	inherits map[string]*declaration // fields added to (or replacing those of) models of other modules
	groups   []map[string]any
	access   []map[string]any
	rules    []map[string]any
	// modelRefs are the models the module touches, which Odoo gives an
	// external id <module>.model_<model> each ("new" for a model base
	// does not have).
	modelRefs []map[string]any
}

// moduleGraph orders the recorded modules so that each comes after what
// it depends on, and tells what each needs.
type moduleGraph struct {
	order   []string
	rank    map[string]int
	closure map[string]map[string]bool
}

func newModuleGraph(mods []recordedModule) (*moduleGraph, error) {
	deps := map[string][]string{}
	for _, m := range mods {
		deps[m.Name] = m.Depends
	}
	g := &moduleGraph{rank: map[string]int{}, closure: map[string]map[string]bool{}}
	var visit func(name string, path []string) error
	visit = func(name string, path []string) error {
		if _, ok := g.closure[name]; ok {
			return nil
		}
		if slices.Contains(path, name) {
			return fmt.Errorf("modules depend on each other: %v", append(path, name))
		}
		c := map[string]bool{name: true}
		ds := slices.Clone(deps[name])
		sort.Strings(ds)
		for _, d := range ds {
			if _, ok := deps[d]; !ok {
				return fmt.Errorf("module %s depends on %s, which the recording does not have", name, d)
			}
			if err := visit(d, append(path, name)); err != nil {
				return err
			}
			for x := range g.closure[d] {
				c[x] = true
			}
		}
		g.closure[name] = c
		g.rank[name] = len(g.order)
		g.order = append(g.order, name)
		return nil
	}
	names := make([]string, 0, len(deps))
	for n := range deps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := visit(n, nil); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// earliest is the first of mods in dependency order.
func (g *moduleGraph) earliest(mods []string) string {
	best := ""
	for _, m := range mods {
		if _, ok := g.rank[m]; ok && (best == "" || g.rank[m] < g.rank[best]) {
			best = m
		}
	}
	return best
}

// latest is the last of mods in dependency order.
func (g *moduleGraph) latest(mods []string) string {
	best := ""
	for _, m := range mods {
		if _, ok := g.rank[m]; ok && (best == "" || g.rank[m] > g.rank[best]) {
			best = m
		}
	}
	return best
}

// first is the earliest module, from start on in dependency order, whose
// dependencies hold every module of need: the first that can declare what
// needs them all.
func (g *moduleGraph) first(start string, need map[string]bool) string {
	for _, m := range g.order[g.rank[start]:] {
		ok := true
		for n := range need {
			if !g.closure[m][n] {
				ok = false
				break
			}
		}
		if ok {
			return m
		}
	}
	return ""
}

func splitModules(s string) []string {
	var out []string
	for _, m := range strings.Split(s, ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}

// generateModules writes one folder per recorded module but base and web
// (which models/base holds) into out: its manifest, the declarations of
// the models it adds, the fields it adds to models of the modules it
// depends on, and its groups, access rows and record rules.
//
// The recording tells which modules touch a model, and for the base
// models which modules define each added field; it does not tell which
// module adds a field to a model of another module. A model belongs to
// the first of its modules in dependency order; a field to the first
// module (from its model's on) that depends on everything the field
// needs: its model, the model it relates to, and the inverse of a
// one2many. A field attribute a module changes on a base model goes to
// the last of the model's modules, so that it holds once every module
// extending the model is installed.
func generateModules(recording, baseDir, out string) error {
	var mods []recordedModule
	if err := readJSON(filepath.Join(recording, "installed.json"), &mods); err != nil {
		return fmt.Errorf("the modules recording is needed (set GODOO_MODULES_DIR): %w", err)
	}
	g, err := newModuleGraph(mods)
	if err != nil {
		return err
	}
	packs := map[string]*pack{}
	for _, m := range mods {
		if m.Name == "base" || m.Name == "web" {
			continue
		}
		deps := slices.Clone(m.Depends)
		sort.Strings(deps)
		packs[m.Name] = &pack{manifest: manifest{Name: m.Name, Version: m.Version, Depends: deps, AutoInstall: m.AutoInstall,
			AutoInstallOn: autoInstallOn[m.Name], Application: m.Application}, models: map[string]*declaration{},
			inherits: map[string]*declaration{}}
	}
	model := filepath.Join(recording, "model")
	var recorded []moduleModel
	if err := readJSON(filepath.Join(model, "ir_model.json"), &recorded); err != nil {
		return err
	}
	var ext struct {
		Extended map[string]extension `json:"extended"`
	}
	if err := readJSON(filepath.Join(model, "extended.json"), &ext); err != nil {
		return err
	}
	decls := map[string]*declaration{} // every model as it is with every module installed
	owner := map[string]string{}       // model -> module declaring it
	fieldOwner := map[string]string{}  // model.field -> module declaring it
	var newModels []string
	for _, rm := range recorded {
		if rm.InBase {
			d, err := readDeclaration(filepath.Join(baseDir, FileName(rm.Model)))
			if err != nil {
				return err
			}
			decls[rm.Model] = d
			owner[rm.Model] = "base"
			continue
		}
		d, err := fromRecording(model, rm.recordedModel)
		if err != nil {
			return err
		}
		decls[rm.Model] = d
		owner[rm.Model] = g.earliest(splitModules(rm.Modules))
		newModels = append(newModels, rm.Model)
	}
	for _, rm := range recorded {
		for _, mod := range splitModules(rm.Modules) {
			if p := packs[mod]; p != nil {
				ref := map[string]any{"model": rm.Model}
				if !rm.InBase {
					ref["new"] = true
				}
				p.modelRefs = append(p.modelRefs, ref)
			}
		}
	}
	sort.Strings(newModels)
	if err := concreteModels(model, decls, newModels); err != nil {
		return err
	}
	for _, name := range newModels {
		for _, f := range decls[name].fields {
			fieldOwner[name+"."+f.name] = owner[name]
		}
	}
	// The fields the modules add to base models, from the base model's
	// recording with every module installed.
	added := map[string][]*field{}
	fieldOrder := map[string][]string{} // Odoo's order of the fields of models several modules declare
	changed := map[string][]*field{}
	for _, name := range sortedKeys(ext.Extended) {
		e := ext.Extended[name]
		if len(e.Removed) > 0 && name != "res.users" {
			return fmt.Errorf("%s: modules remove fields %v, which the generator does not know how to", name, e.Removed)
		}
		now, err := fromRecording(model, recordedModelOf(recorded, name))
		if err != nil {
			return err
		}
		base := decls[name]
		fieldOrder[name] = fieldNames(now)
		for _, f := range now.fields {
			if mods, ok := e.Added[f.name]; ok {
				fieldOwner[name+"."+f.name] = g.earliest(splitModules(mods))
				if mods == "" {
					// A field of the model it delegates to (res.users'
					// of res.partner) has no row of its own: the module
					// adding it to that model adds it here too.
					fieldOwner[name+"."+f.name] = delegatedOwner(base, ext.Extended, g, f.name)
				}
				added[name] = append(added[name], f)
				continue
			}
			if _, ok := e.Changed[f.name]; ok {
				bf := base.field(f.name)
				merged := &field{name: f.name, attrs: map[string]json.RawMessage{}}
				for k, v := range bf.attrs {
					merged.attrs[k] = v
				}
				for k, v := range f.attrs {
					if k != "default" {
						merged.attrs[k] = v
					}
				}
				changed[name] = append(changed[name], merged)
			}
		}
		base.fields = append(base.fields, added[name]...)
	}
	// Fields that need a model or field of a later module move there, until
	// nothing moves.
	for moved := true; moved; {
		moved = false
		for _, name := range sortedKeys(decls) {
			for _, f := range decls[name].fields {
				key := name + "." + f.name
				cur, ok := fieldOwner[key]
				if !ok {
					continue // a base field
				}
				need := map[string]bool{cur: true}
				for m := range fieldNeeds(decls, owner, fieldOwner, name, f) {
					need[m] = true
				}
				if m := g.first(cur, need); m != "" && m != cur {
					fieldOwner[key] = m
					moved = true
				} else if m == "" {
					return fmt.Errorf("%s: no module depends on all of %v", key, need)
				}
			}
		}
	}
	nameLinkTables(decls)
	if err := linkTables(decls); err != nil {
		return err
	}
	for _, name := range newModels {
		d := decls[name]
		mod := owner[name]
		own := &declaration{keys: d.keys}
		for _, f := range d.fields {
			if fo := fieldOwner[name+"."+f.name]; fo == mod {
				own.fields = append(own.fields, f)
			} else {
				packs[fo].inherit(name).fields = append(packs[fo].inherit(name).fields, f)
			}
		}
		packs[mod].models[name] = own
		if len(own.fields) < len(d.fields) {
			fieldOrder[name] = fieldNames(d)
		}
	}
	for _, name := range sortedKeys(ext.Extended) {
		for _, f := range added[name] {
			fo := fieldOwner[name+"."+f.name]
			packs[fo].inherit(name).fields = append(packs[fo].inherit(name).fields, f)
		}
		if len(changed[name]) > 0 {
			mod := g.latest(splitModules(ext.Extended[name].Modules))
			if packs[mod] == nil {
				// Only base changes it (ir.filters' selection of the
				// models): what changes is the registry, not a module.
				continue
			}
			packs[mod].inherit(name).fields = append(packs[mod].inherit(name).fields, changed[name]...)
		}
	}
	if err := moduleData(model, packs); err != nil {
		return err
	}
	if err := adminGroups(model, packs); err != nil {
		return err
	}
	if err := writeOrder(filepath.Join(out, "order.json"), fieldOrder); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(out, "*", "manifest.json"))
	if err != nil {
		return err
	}
	// A module folder's generated parts are made anew; its Go files (the
	// module's behaviour) and records.json, written by hand, stay.
	for _, p := range old {
		for _, part := range []string{"manifest.json", "models", "inherit", "data"} {
			if err := os.RemoveAll(filepath.Join(filepath.Dir(p), part)); err != nil {
				return err
			}
		}
	}
	for _, name := range sortedKeys(packs) {
		if err := packs[name].write(filepath.Join(out, name)); err != nil {
			return fmt.Errorf("module %s: %w", name, err)
		}
	}
	return nil
}

// concreteModels makes the new models without a creation date that
// have access rows (Odoo's models with _log_access False, such as
// mail.followers, and its reports) models with records rather than
// abstract ones.
func concreteModels(recording string, decls map[string]*declaration, names []string) error {
	var access []struct{ Model string }
	if err := readJSON(filepath.Join(recording, "ir_model_access.json"), &access); err != nil {
		return err
	}
	for _, name := range names {
		d := decls[name]
		var abstract bool
		json.Unmarshal(d.keys["abstract"], &abstract)
		if abstract && slices.ContainsFunc(access, func(a struct{ Model string }) bool { return a.Model == name }) {
			delete(d.keys, "abstract")
		}
	}
	return nil
}

// fieldNeeds are the modules that declare what field f of model needs:
// the model it relates to, and the field a one2many is the inverse of.
func fieldNeeds(decls map[string]*declaration, owner, fieldOwner map[string]string, model string, f *field) map[string]bool {
	need := map[string]bool{}
	var relation, inverse string
	json.Unmarshal(f.attrs["relation"], &relation)
	json.Unmarshal(f.attrs["relation_field"], &inverse)
	if relation == "" {
		return need
	}
	if m, ok := owner[relation]; ok && m != "base" {
		need[m] = true
	}
	if inverse != "" {
		if m, ok := fieldOwner[relation+"."+inverse]; ok {
			need[m] = true
		}
	}
	return need
}

func fieldNames(d *declaration) []string {
	out := make([]string, len(d.fields))
	for i, f := range d.fields {
		out[i] = f.name
	}
	return out
}

// writeOrder writes the order of the fields of each model several modules
// declare, one model a line: a registry orders them so once they are
// laid together, as Odoo's fields_get answers them.
func writeOrder(path string, order map[string][]string) error {
	var b strings.Builder
	b.WriteString("{\n")
	for i, name := range sortedKeys(order) {
		line, err := json.Marshal(order[name])
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "  %q: %s", name, line)
		if i < len(order)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// delegatedOwner is the module adding field name to a model d delegates
// to (Odoo's _inherits), as the recording of that model tells.
func delegatedOwner(d *declaration, ext map[string]extension, g *moduleGraph, name string) string {
	var inherits map[string]string
	json.Unmarshal(d.keys["inherits"], &inherits)
	for parent := range inherits {
		if mods := ext[parent].Added[name]; mods != "" {
			return g.earliest(splitModules(mods))
		}
	}
	return ""
}

func recordedModelOf(recorded []moduleModel, name string) recordedModel {
	for _, rm := range recorded {
		if rm.Model == name {
			return rm.recordedModel
		}
	}
	return recordedModel{Model: name}
}

// inherit is the pack's declaration of the fields it adds to model.
func (p *pack) inherit(model string) *declaration {
	d := p.inherits[model]
	if d == nil {
		d = &declaration{keys: map[string]json.RawMessage{}}
		d.set("model", model)
		p.inherits[model] = d
	}
	return d
}

// moduleData sorts the recorded groups, access rows and record rules into
// the packs of the modules their external ids belong to.
func moduleData(recording string, packs map[string]*pack) error {
	var groups, access, rules []map[string]any
	for _, f := range []struct {
		name string
		into *[]map[string]any
	}{{"res_groups.json", &groups}, {"ir_model_access.json", &access}, {"ir_rule.json", &rules}} {
		if err := readJSON(filepath.Join(recording, f.name), f.into); err != nil {
			return err
		}
	}
	moduleOf := func(row map[string]any) (string, string) {
		x, _ := row["xmlid"].(string)
		mod, _, _ := strings.Cut(x, ".")
		return mod, x
	}
	for _, g := range groups {
		mod, x := moduleOf(g)
		if mod == "base" {
			// A base group the modules changed: each implies the groups
			// of the modules that add an implication.
			base := map[string]bool{}
			for _, bg := range odooBaseGroups(recording, x) {
				base[bg] = true
			}
			imp, _ := g["implied"].([]any)
			for _, i := range imp {
				s, _ := i.(string)
				im, _, _ := strings.Cut(s, ".")
				if base[s] || packs[im] == nil {
					continue
				}
				packs[im].groups = append(packs[im].groups, map[string]any{"xmlid": x, "implied": []string{s}, "extend": true})
			}
			continue
		}
		p := packs[mod]
		if p == nil {
			return fmt.Errorf("group %s of no recorded module", x)
		}
		row := map[string]any{"xmlid": x, "name": g["name"], "implied": g["implied"], "share": g["share"],
			"api_key_duration": g["api_key_duration"]}
		// Its category (with the name a category the module brings is
		// created with), which decides the group's field on res.users.
		if c, _ := g["category"].(string); c != "" {
			row["category"], row["category_name"] = c, g["category_name"]
		}
		if row["implied"] == nil {
			row["implied"] = []string{}
		}
		p.groups = append(p.groups, row)
	}
	for _, a := range access {
		mod, x := moduleOf(a)
		if a["active"] == false || packs[mod] == nil {
			continue
		}
		perms := ""
		for _, p := range []struct{ key, letter string }{{"perm_read", "r"}, {"perm_write", "w"}, {"perm_create", "c"}, {"perm_unlink", "u"}} {
			if a[p.key] == true {
				perms += p.letter
			}
		}
		packs[mod].access = append(packs[mod].access, map[string]any{"xmlid": x, "name": a["name"], "model": a["model"],
			"group": a["group"], "perms": perms})
	}
	for _, r := range rules {
		mod, _ := moduleOf(r)
		if r["active"] == false || packs[mod] == nil {
			continue
		}
		s, _ := r["domain_force"].(string)
		domain, err := pyDomainJSON(s)
		if err != nil {
			continue // an expression godoo's rules cannot name
		}
		r["domain_force"] = domain
		if _, ok := r["name"].(string); !ok {
			r["name"] = "" // Odoo's rules without a name
		}
		delete(r, "active")
		packs[mod].rules = append(packs[mod].rules, r)
	}
	return nil
}

// adminGroups marks the module groups the administrator belongs to, which
// the recording tells by the fields it shows them (fields_get leaves out
// the fields of groups the user is not in): for a field none of whose
// groups the administrator has yet, the first group of a module named.
// The administrator starts with godoo's base groups (internal user,
// access rights, settings) and what they imply, modules' implications
// included.
func adminGroups(recording string, packs map[string]*pack) error {
	var groups []struct {
		XMLID   string   `json:"xmlid"`
		Implied []string `json:"implied"`
	}
	if err := readJSON(filepath.Join(recording, "res_groups.json"), &groups); err != nil {
		return err
	}
	implied := map[string][]string{}
	for _, bg := range []string{"base.group_user", "base.group_erp_manager", "base.group_system"} {
		implied[bg] = odooBaseGroups(recording, bg)
	}
	for _, g := range groups {
		implied[g.XMLID] = append(implied[g.XMLID], g.Implied...)
	}
	admin := map[string]bool{}
	var join func(g string)
	join = func(g string) {
		if admin[g] {
			return
		}
		admin[g] = true
		for _, i := range implied[g] {
			join(i)
		}
	}
	for _, g := range []string{"base.group_user", "base.group_erp_manager", "base.group_system"} {
		join(g)
	}
	paths, err := filepath.Glob(filepath.Join(recording, "fields", "*.json"))
	if err != nil {
		return err
	}
	sort.Strings(paths)
	chosen := map[string]bool{}
	for _, p := range paths {
		var fields map[string]struct {
			Groups string `json:"groups"`
		}
		if err := readJSON(p, &fields); err != nil {
			return err
		}
		for _, name := range sortedKeys(fields) {
			var first string
			in := false
			for _, g := range splitModules(fields[name].Groups) {
				if strings.HasPrefix(g, "!") {
					continue
				}
				in = in || admin[g]
				if first == "" && !strings.HasPrefix(g, "base.") {
					first = g
				}
			}
			if !in && first != "" {
				chosen[first] = true
				join(first)
			}
		}
	}
	for _, g := range adminByData {
		chosen[g] = true
	}
	for _, p := range packs {
		for _, g := range p.groups {
			if x, _ := g["xmlid"].(string); chosen[x] && g["extend"] == nil {
				g["admin"] = true
			}
		}
	}
	return nil
}

// adminByData are groups Odoo's data gives the administrator that no
// field shows (their fields are those of groups they imply):
// sales_team's security data makes the administrator and the superuser
// sales managers, who may delete orders (sale.order's unlink right).
var adminByData = []string{"sales_team.group_sale_manager"}

// odooBaseGroups are the groups a base group implies in the base
// recording beside this one.
func odooBaseGroups(modulesRecording, xmlid string) []string {
	var groups []struct {
		XMLID   string   `json:"xmlid"`
		Implied []string `json:"implied"`
	}
	p := filepath.Join(filepath.Dir(filepath.Dir(modulesRecording)), "odoo18", "model", "res_groups.json")
	if readJSON(p, &groups) != nil {
		return nil
	}
	for _, g := range groups {
		if g.XMLID == xmlid {
			return g.Implied
		}
	}
	return nil
}

// write writes the pack's folder: manifest.json, and models/, inherit/
// and data/ when it has some.
func (p *pack) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	m, err := json.MarshalIndent(p.manifest, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), append(m, '\n'), 0o644); err != nil {
		return err
	}
	for sub, decls := range map[string]map[string]*declaration{"models": p.models, "inherit": p.inherits} {
		if len(decls) > 0 {
			if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
				return err
			}
		}
		for name, d := range decls {
			data, err := d.encode()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if err := os.WriteFile(filepath.Join(dir, sub, FileName(name)), data, 0o644); err != nil {
				return err
			}
		}
	}
	for name, rows := range map[string][]map[string]any{"groups.json": p.groups, "access.json": p.access, "rules.json": p.rules,
		"models.json": p.modelRefs} {
		if len(rows) == 0 {
			continue
		}
		if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
			return err
		}
		if err := writeLines(filepath.Join(dir, "data", name), rows); err != nil {
			return err
		}
	}
	return nil
}

func readDeclaration(path string) (*declaration, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseDeclaration(data)
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
