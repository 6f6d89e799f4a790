package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/modules"
	"github.com/godoo/godoo/services"
)

var modelImportCommand = &command{path: "model import",
	synopsis: "(--url URL --db NAME --user LOGIN [--api-key KEY] | --from-file FILE) --models M1,M2 [--out DIR] [--module NAME [--depends A,B]]",
	summary:  "Writes godoo declarations of models read from a running Odoo or a saved fields_get answer.",
	help: `
With --url, import reads the models named by --models from a running Odoo
(16 to 19, or godoo) over XML-RPC, logged in to database NAME as LOGIN with
KEY, an API key or the password (without --api-key, the first line of
standard input): fields_get of each model, its description from ir.model
and the link tables of its many2many fields from ir.model.fields (these two
need an administrator; without them the declarations come from fields_get
alone).
With --from-file, FILE is a saved fields_get answer: an object of models,
each the object of its fields ({"x.fleet": {"name": {"type": "char", ...}}}),
or a single model's fields (then --models names that model).
import writes one declaration per model named by --models into DIR, which
godoo serve --models-path DIR (models_path) then serves with the generic
methods (create, read, write, search, unlink, ...), for administrators
only. A relational field to a model that is neither imported nor one of
godoo's is left out, and said so on standard error.
With --module, import writes the folder of module NAME into DIR instead, in
the shape of godoo's own modules: its manifest.json (depending on --depends,
base by default), models/ with the models named that neither base nor those
modules declare, inherit/ with the fields the others lack (Odoo's _inherit)
and data/access.json giving the new models to administrators. godoo serve,
db create and module install with --modules-path DIR (modules_path) list it
in ir.module.module and install it as godoo's own modules.
`,
	define: func(fs *flag.FlagSet) action {
		from := fs.String("from-file", "", "the saved fields_get answer, a JSON `FILE`")
		url := fs.String("url", "", "the `URL` of the Odoo to read the models from")
		db := fs.String("db", "", "the `NAME` of its database")
		user := fs.String("user", "", "the `LOGIN` to read them as")
		key := fs.String("api-key", "", "the API `KEY` (or password) of that login; without it, standard input's first line")
		names := fs.String("models", "", "the models to import, separated by commas")
		out := fs.String("out", ".", "the `DIR` to write the declarations (or the module's folder) into")
		module := fs.String("module", "", "write a module folder `NAME` (in DIR) rather than bare declarations")
		depends := fs.String("depends", "base", "with --module, the modules it depends on, separated by commas")
		return func(inv *invocation) error {
			if (*from == "") == (*url == "") || *names == "" {
				return usageError{"--models and one of --from-file and --url are needed"}
			}
			list := strings.Split(*names, ",")
			var data []byte
			var descriptions map[string]string
			if *url != "" {
				if *db == "" || *user == "" {
					return usageError{"--url needs --db and --user"}
				}
				secret := *key
				if secret == "" {
					line, err := bufio.NewReader(inv.stdin).ReadString('\n')
					if err != nil && line == "" {
						return fmt.Errorf("no --api-key, and standard input has no key: %w", err)
					}
					secret = strings.TrimRight(line, "\r\n")
				}
				remote, err := fetchModels(*url, *db, *user, secret, list, inv.stderr)
				if err != nil {
					return err
				}
				data, descriptions = remote.fieldsGet, remote.descriptions
			} else {
				var err error
				if data, err = os.ReadFile(*from); err != nil {
					return err
				}
			}
			if *module != "" {
				files, err := importModule(data, list, descriptions, *module, splitList(*depends), inv.stderr)
				if err != nil {
					return err
				}
				return writeFiles(inv.stdout, filepath.Join(*out, *module), files)
			}
			decls, files, err := importFieldsGet(data, list, descriptions, inv.stderr)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(*out, 0o755); err != nil {
				return err
			}
			for i, d := range decls {
				path := filepath.Join(*out, strings.ReplaceAll(d.Model, ".", "_")+".json")
				if err := os.WriteFile(path, files[i], 0o644); err != nil {
					return err
				}
				fmt.Fprintf(inv.stdout, "%s: %s\n", d.Model, path)
			}
			return nil
		}
	}}

// importModule turns a fields_get answer into the files of module name,
// depending on depends, by path in its folder: its manifest, a declaration
// (models/) of each model named that neither base nor those modules
// declare, an _inherit declaration (inherit/) of the fields a model of
// theirs lacks, and access rows giving the new models to administrators
// (data/access.json). The folder is checked the way a modules path is read.
func importModule(data []byte, names []string, descriptions map[string]string, name string, depends []string, note io.Writer) (map[string][]byte, error) {
	byModel, err := fieldsByModel(data, names)
	if err != nil {
		return nil, err
	}
	if len(depends) == 0 {
		depends = []string{"base"}
	}
	cat := modules.Known()
	closure, err := cat.Closure(slices.DeleteFunc(slices.Clone(depends), func(d string) bool { return d == "base" || d == "web" }))
	if err != nil {
		return nil, err
	}
	reg := models.NewRegistry()
	if err := cat.Register(reg, closure); err != nil {
		return nil, err
	}
	known := func(m string) bool { return reg.Model(m) != nil || slices.Contains(names, m) }
	files := map[string][]byte{}
	type access struct {
		XMLID string `json:"xmlid"`
		Name  string `json:"name"`
		Model string `json:"model"`
		Group string `json:"group"`
		Perms string `json:"perms"`
	}
	var rows []access
	for _, model := range names {
		fields, err := models.RawFields(byModel[model])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", model, err)
		}
		file := strings.ReplaceAll(model, ".", "_") + ".json"
		if have := reg.Model(model); have != nil {
			fields = slices.DeleteFunc(fields, func(f models.RawField) bool { return have.Field(f.Name) != nil })
			if len(fields) == 0 {
				fmt.Fprintf(note, "%s left out: it has no field that %s lack\n", model, strings.Join(depends, ", "))
				continue
			}
			_, b, err := declarationFile(model, "", fields, known, note)
			if err != nil {
				return nil, err
			}
			files["inherit/"+file] = b
			continue
		}
		description := descriptions[model]
		if description == "" {
			description = model
		}
		_, b, err := declarationFile(model, description, fields, known, note)
		if err != nil {
			return nil, err
		}
		files["models/"+file] = b
		under := strings.ReplaceAll(model, ".", "_")
		rows = append(rows, access{XMLID: name + ".access_" + under + "_admin", Name: model + ".admin", Model: model,
			Group: "base.group_system", Perms: "rwcu"})
	}
	manifest, err := json.MarshalIndent(modules.Manifest{Name: name, Version: "18.0.1.0", Depends: depends}, "", "  ")
	if err != nil {
		return nil, err
	}
	files["manifest.json"] = append(manifest, '\n')
	if len(rows) > 0 {
		b, err := json.MarshalIndent(rows, "", "  ")
		if err != nil {
			return nil, err
		}
		files["data/access.json"] = append(b, '\n')
	}
	folder := fstest.MapFS{}
	for p, b := range files {
		folder[name+"/"+p] = &fstest.MapFile{Data: b}
	}
	mods, err := modules.Load(folder)
	if err != nil {
		return nil, err
	}
	if err := services.CheckModules(mods); err != nil {
		return nil, err
	}
	return files, nil
}

// writeFiles writes files (by path under dir) and names each on out.
func writeFiles(out io.Writer, dir string, files map[string][]byte) error {
	paths := slices.Sorted(maps.Keys(files))
	for _, p := range paths {
		path := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, files[p], 0o644); err != nil {
			return err
		}
		fmt.Fprintln(out, path)
	}
	return nil
}

// importFieldsGet turns a fields_get answer into the declarations of the
// models named, and their files' content, with the descriptions given (the
// model's name where none is). Both are checked the way serve will read
// them, so that what import writes serve accepts. note receives the fields
// left out.
func importFieldsGet(data []byte, names []string, descriptions map[string]string, note io.Writer) ([]*models.Declaration, [][]byte, error) {
	byModel, err := fieldsByModel(data, names)
	if err != nil {
		return nil, nil, err
	}
	known := map[string]bool{}
	for _, n := range services.BaseModels() {
		known[n] = true
	}
	for _, n := range names {
		if known[n] {
			return nil, nil, fmt.Errorf("%s: godoo declares this model already", n)
		}
	}
	for _, n := range names {
		known[n] = true
	}
	var decls []*models.Declaration
	var files [][]byte
	for _, name := range names {
		fields, err := models.RawFields(byModel[name])
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		description := descriptions[name]
		if description == "" {
			description = name
		}
		d, file, err := declarationFile(name, description, fields, func(m string) bool { return known[m] }, note)
		if err != nil {
			return nil, nil, err
		}
		decls = append(decls, d)
		files = append(files, file)
	}
	if err := services.CheckDeclarations(decls); err != nil {
		return nil, nil, err
	}
	return decls, files, nil
}

// declarationFile is the declaration of model name with fields (those
// whose relation known does not have left out, and said so to note), and
// its file's content; an empty description makes an _inherit declaration,
// which adds fields to a model declared elsewhere.
func declarationFile(name, description string, fields []models.RawField, known func(string) bool, note io.Writer) (*models.Declaration, []byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  \"model\": %s,\n", mustJSON(name))
	if description != "" {
		fmt.Fprintf(&b, "  \"description\": %s,\n", mustJSON(description))
	}
	b.WriteString("  \"fields\": {\n")
	var kept []string
	for _, f := range fields {
		var typ, relation string
		_ = json.Unmarshal(f.Attrs["type"], &typ)
		_ = json.Unmarshal(f.Attrs["relation"], &relation)
		if relation != "" && !known(relation) {
			fmt.Fprintf(note, "%s.%s left out: its relation %s is neither imported nor godoo's\n", name, f.Name, relation)
			continue
		}
		if typ == models.Many2many && f.Attrs["relation_table"] == nil {
			if relation == name {
				fmt.Fprintf(note, "%s.%s left out: a many2many to its own model needs its link table named\n", name, f.Name)
				continue
			}
			if err := linkTable(f, name, relation); err != nil {
				return nil, nil, err
			}
		}
		attrs, err := json.Marshal(f.Attrs) // in name order, which is Odoo's
		if err != nil {
			return nil, nil, err
		}
		kept = append(kept, fmt.Sprintf("    %s: %s", mustJSON(f.Name), attrs))
	}
	b.WriteString(strings.Join(kept, ",\n"))
	b.WriteString("\n  }\n}\n")
	d, err := models.ParseDeclaration(b.Bytes())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return d, b.Bytes(), nil
}

func mustJSON(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

// fieldsByModel reads the fields_get answer of each named model: data is
// either an object of models or, with one name, that model's fields alone
// (whose values are fields, each with a string "type").
func fieldsByModel(data []byte, names []string) (map[string]json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("a fields_get answer must be a JSON object: %w", err)
	}
	single := len(top) > 0
	for _, v := range top {
		var f struct {
			Type any `json:"type"`
		}
		if json.Unmarshal(v, &f) != nil {
			single = false
			break
		}
		if _, ok := f.Type.(string); !ok {
			single = false
			break
		}
	}
	if single {
		if len(names) != 1 {
			return nil, errors.New("the file is one model's fields: --models names that model alone")
		}
		return map[string]json.RawMessage{names[0]: data}, nil
	}
	for _, n := range names {
		if top[n] == nil {
			return nil, fmt.Errorf("%s: not in the file", n)
		}
	}
	return top, nil
}

// linkTable names a many2many's link table as Odoo does by default: the
// two tables in name order with _rel, a column for each table, its name
// with _id. Odoo refuses a name longer than PostgreSQL's 63 bytes (the
// field must then name its table), and so does import.
func linkTable(f models.RawField, model, relation string) error {
	table, col1, col2 := models.LinkTableNames(model, relation)
	if len(table) > 63 {
		return fmt.Errorf("%s.%s: Table name %q is too long: name its link table (relation_table)", model, f.Name, table)
	}
	f.Attrs["relation_table"] = mustJSON(table)
	f.Attrs["column1"] = mustJSON(col1)
	f.Attrs["column2"] = mustJSON(col2)
	return nil
}

// loadModelsPath reads the declarations of models_path, if set, and checks
// that they may be served.
func loadModelsPath(c *config) ([]*models.Declaration, error) {
	dir := c.get("models_path")
	if unset(dir) {
		return nil, nil
	}
	decls, err := models.LoadDeclarations(os.DirFS(dir), ".")
	if err != nil {
		return nil, fmt.Errorf("models_path %s: %w", dir, err)
	}
	if err := services.CheckDeclarations(decls); err != nil {
		return nil, fmt.Errorf("models_path %s: %w", dir, err)
	}
	return decls, nil
}

// loadModulesPath reads the module folders of modules_path, if set, and
// checks that they may be served beside godoo's modules.
func loadModulesPath(c *config) (modules.Catalogue, error) {
	dir := c.get("modules_path")
	if unset(dir) {
		return nil, nil
	}
	cat, err := modules.Load(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("modules_path %s: %w", dir, err)
	}
	if err := services.CheckModules(cat); err != nil {
		return nil, fmt.Errorf("modules_path %s: %w", dir, err)
	}
	return cat, nil
}
