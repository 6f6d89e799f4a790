package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/services"
)

var modelImportCommand = &command{path: "model import",
	synopsis: "(--url URL --db NAME --user LOGIN [--api-key KEY] | --from-file FILE) --models M1,M2 [--out DIR]",
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
`,
	define: func(fs *flag.FlagSet) action {
		from := fs.String("from-file", "", "the saved fields_get answer, a JSON `FILE`")
		url := fs.String("url", "", "the `URL` of the Odoo to read the models from")
		db := fs.String("db", "", "the `NAME` of its database")
		user := fs.String("user", "", "the `LOGIN` to read them as")
		key := fs.String("api-key", "", "the API `KEY` (or password) of that login; without it, standard input's first line")
		names := fs.String("models", "", "the models to import, separated by commas")
		out := fs.String("out", ".", "the `DIR` to write the declarations into")
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
		var b bytes.Buffer
		description := descriptions[name]
		if description == "" {
			description = name
		}
		fmt.Fprintf(&b, "{\n  \"model\": %s,\n  \"description\": %s,\n  \"fields\": {\n",
			mustJSON(name), mustJSON(description))
		var kept []string
		for _, f := range fields {
			var typ, relation string
			_ = json.Unmarshal(f.Attrs["type"], &typ)
			_ = json.Unmarshal(f.Attrs["relation"], &relation)
			if relation != "" && !known[relation] {
				fmt.Fprintf(note, "%s.%s left out: its relation %s is neither imported nor godoo's\n", name, f.Name, relation)
				continue
			}
			if typ == models.Many2many && f.Attrs["relation_table"] == nil {
				if relation == name {
					fmt.Fprintf(note, "%s.%s left out: a many2many to its own model needs its link table named\n", name, f.Name)
					continue
				}
				linkTable(f, name, relation)
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
		decls = append(decls, d)
		files = append(files, b.Bytes())
	}
	if err := services.CheckDeclarations(decls); err != nil {
		return nil, nil, err
	}
	return decls, files, nil
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
// two tables in name order with _rel, a column for each.
func linkTable(f models.RawField, model, relation string) {
	t1, t2 := strings.ReplaceAll(model, ".", "_"), strings.ReplaceAll(relation, ".", "_")
	tables := []string{t1, t2}
	sort.Strings(tables)
	f.Attrs["relation_table"] = mustJSON(tables[0] + "_" + tables[1] + "_rel")
	f.Attrs["column1"] = mustJSON(t1 + "_id")
	f.Attrs["column2"] = mustJSON(t2 + "_id")
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
