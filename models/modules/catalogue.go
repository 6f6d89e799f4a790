package modules

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/base"
)

// Manifest is a module's manifest.json: Odoo's __manifest__ keys that
// matter to installing it.
type Manifest struct {
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Depends     []string `json:"depends"`
	AutoInstall bool     `json:"auto_install"`
	// AutoInstallOn are the dependencies whose presence installs an
	// auto-install module (with the rest of what it needs), when not all
	// of them.
	AutoInstallOn []string `json:"auto_install_on"`
	Application   bool     `json:"application"`
	Category      string   `json:"category"`
	Summary       string   `json:"summary"`
}

// Module is one module folder, read: its manifest, declarations and data.
type Module struct {
	Manifest
	// Models are the models the module adds.
	Models []*models.Declaration
	// Inherits add fields to models of the modules it depends on, or
	// replace fields of theirs (Odoo's _inherit), by model.
	Inherits []*models.Declaration
	Groups   []Group
	Access   []base.Access
	Rules    []Rule
	// Records are the module's data records (records.json, beside the
	// generated folders): Odoo's data files' records that scripts rely
	// on (units of measure, subtypes, categories), in creation order.
	Records []Record
	// ModelRefs are the models the module touches (data/models.json),
	// each of which Odoo gives an external id <module>.model_<model>.
	ModelRefs []ModelRef
}

// ModelRef is a model a module touches. New is a model base does not
// have: its ir.model record has no external id of base's in Odoo.
type ModelRef struct {
	Model string `json:"model"`
	New   bool   `json:"new"`
}

// Record is a data record a module creates, with its external id. A
// value {"ref": "module.name"} is the id of the record of that external
// id, a list of them a list of ids.
type Record struct {
	XMLID  string         `json:"xmlid"`
	Model  string         `json:"model"`
	Values map[string]any `json:"values"`
}

// Group is a group a module adds, or (Extend) the groups it makes an
// existing group imply.
type Group struct {
	base.Group
	Extend bool `json:"extend"`
	// CategoryName is the name of the group's category (Category), which
	// the install creates when the database has none of that external
	// id: a category of the module's own.
	CategoryName string `json:"category_name,omitempty"`
	// Admin gives the group to the administrator and the superuser, as
	// Odoo's data does for the groups of a module's main features.
	Admin bool `json:"admin"`
}

// Rule is a record rule a module adds (Odoo's ir.rule).
type Rule struct {
	XMLID       string   `json:"xmlid"`
	Name        string   `json:"name"`
	Model       string   `json:"model"`
	Groups      []string `json:"groups"`
	DomainForce string   `json:"domain_force"`
	Global      bool     `json:"global"`
	Read        bool     `json:"perm_read"`
	Write       bool     `json:"perm_write"`
	Create      bool     `json:"perm_create"`
	Unlink      bool     `json:"perm_unlink"`
}

// Catalogue is a set of modules by name.
type Catalogue map[string]*Module

// fieldOrder is Odoo's order of the fields of the models several modules
// declare, by model.
var fieldOrder = sync.OnceValue(func() map[string][]string {
	var out map[string][]string
	if err := json.Unmarshal(orderJSON, &out); err != nil {
		panic("modules: order.json: " + err.Error())
	}
	return out
})

// Load reads the module folders of fsys (one per module, each with its
// manifest.json).
func Load(fsys fs.FS) (Catalogue, error) {
	manifests, err := fs.Glob(fsys, "*/manifest.json")
	if err != nil {
		return nil, err
	}
	c := Catalogue{}
	for _, p := range manifests {
		m, err := loadModule(fsys, path.Dir(p))
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", path.Dir(p), err)
		}
		c[m.Name] = m
	}
	return c, nil
}

func loadModule(fsys fs.FS, dir string) (*Module, error) {
	m := &Module{}
	if err := readJSON(fsys, path.Join(dir, "manifest.json"), &m.Manifest); err != nil {
		return nil, err
	}
	if m.Name != dir {
		return nil, fmt.Errorf("manifest names %q", m.Name)
	}
	var err error
	if m.Models, err = loadDecls(fsys, path.Join(dir, "models")); err != nil {
		return nil, err
	}
	if m.Inherits, err = loadDecls(fsys, path.Join(dir, "inherit")); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		into any
	}{{"data/groups.json", &m.Groups}, {"data/access.json", &m.Access}, {"data/rules.json", &m.Rules}, {"data/models.json", &m.ModelRefs},
		{"records.json", &m.Records}} {
		if err := readJSON(fsys, path.Join(dir, f.name), f.into); err != nil && !isNotExist(err) {
			return nil, err
		}
	}
	return m, nil
}

func loadDecls(fsys fs.FS, dir string) ([]*models.Declaration, error) {
	decls, err := models.LoadDeclarations(fsys, dir)
	if isNotExist(err) {
		return nil, nil
	}
	return decls, err
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

func readJSON(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

var known = sync.OnceValues(func() (Catalogue, error) { return Load(packs) })

// Known are the modules godoo carries (embedded), beside base and web.
// Their declarations are shared: a registry copies what it changes.
func Known() Catalogue {
	c, err := known()
	if err != nil {
		panic(err) // the embedded folders are checked by this package's tests
	}
	return c
}

// Names are the catalogue's modules by name.
func (c Catalogue) Names() []string {
	out := make([]string, 0, len(c))
	for n := range c {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Available are the rows ir.module.module shows for the modules godoo
// carries before they are installed. It reads their manifests alone: a
// new database lists the modules without paying for their declarations.
func Available() []base.ModuleInfo {
	return available()
}

var available = sync.OnceValue(func() []base.ModuleInfo {
	paths, err := fs.Glob(packs, "*/manifest.json")
	if err != nil {
		panic(err)
	}
	sort.Strings(paths)
	out := make([]base.ModuleInfo, 0, len(paths))
	for _, p := range paths {
		var m Manifest
		if err := readJSON(packs, p, &m); err != nil {
			panic(err) // the embedded folders are checked by this package's tests
		}
		out = append(out, m.info())
	}
	return out
})

// info is the ir.module.module row of the module of m, uninstalled.
func (m Manifest) info() base.ModuleInfo {
	return base.ModuleInfo{Name: m.Name, Version: m.Version, Depends: m.Depends, AutoInstall: m.AutoInstall,
		Application: m.Application}
}

// With is c and more's modules together, for a server that serves modules
// of its own (a modules path) beside those godoo carries. A module of more
// named as one of c, or as base or web, is an error; each module of more
// must be declarable with the modules it depends on.
func (c Catalogue) With(more Catalogue) (Catalogue, error) {
	out := make(Catalogue, len(c)+len(more))
	for n, m := range c {
		out[n] = m
	}
	for _, n := range more.Names() {
		if builtin[n] || c[n] != nil {
			return nil, fmt.Errorf("module %s: godoo has a module of that name already", n)
		}
		out[n] = more[n]
	}
	for _, n := range more.Names() {
		closure, err := out.Closure([]string{n})
		if err != nil {
			return nil, err
		}
		if err := out.Register(models.NewRegistry(), closure); err != nil {
			return nil, fmt.Errorf("module %s: %w", n, err)
		}
	}
	return out, nil
}

// Infos are the rows ir.module.module shows for c's modules before they
// are installed, by name.
func (c Catalogue) Infos() []base.ModuleInfo {
	out := make([]base.ModuleInfo, 0, len(c))
	for _, n := range c.Names() {
		out = append(out, c[n].info())
	}
	return out
}
