package integration_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The Odoo 18 corpus is read where it lies, never copied into the
// repository: its README describes the layout read here.

// corpusDir is GODOO_CONFORMANCE_DIR, by default ../shared/conformance/odoo18
// beside the repository; a relative directory is taken from the repository
// root, one level above this package's directory (the tests' working
// directory).
func corpusDir() string {
	dir := os.Getenv("GODOO_CONFORMANCE_DIR")
	if dir == "" {
		dir = filepath.Join("..", "shared", "conformance", "odoo18")
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", dir)
	}
	return dir
}

// confCase is one recorded exchange.
type confCase struct {
	ID       string
	Area     string // the file, without .json: "read", "x2many"
	Protocol string // xmlrpc, xmlrpc-legacy, jsonrpc, web
	As       string // admin, user, manager, portal, anonymous
	Model    string
	Bind     string
	// Binds are the symbols of a case that binds a list element-wise
	// (["@sol1", "@sol2"]): the modules flow's.
	Binds    []string
	Session  string
	Mask     []string
	KeyOrder []string
	Request  *object
	Expect   *object
	Raw      *object // Odoo's un-normalised answer, when it was short
}

// corpus is the whole recording: the seed and the cases in replay order.
type corpus struct {
	dir   string
	total int
	areas []string
	cases []*confCase
	seed  seedData
	// symbols are the names seed records and binding cases give.
	symbols map[string]bool
}

// seedData is seed.json: the role users and the records to create.
type seedData struct {
	roles   map[string]roleUser
	records []seedRecord
}

type roleUser struct{ login, password string }

// seedRecord is one record to create as admin, bound to name.
type seedRecord struct {
	model, name string
	// partnerName, for res.users, is bound to the new user's partner.
	partnerName string
	values      *object
}

func loadCorpus(dir string) (*corpus, error) {
	var index struct {
		ReplayOrder []struct {
			File  string `json:"file"`
			Cases int    `json:"cases"`
		} `json:"replay_order"`
		Total int `json:"total"`
	}
	if err := readJSONFile(filepath.Join(dir, "cases", "index.json"), &index); err != nil {
		return nil, err
	}
	c := &corpus{dir: dir, total: index.Total}
	for _, f := range index.ReplayOrder {
		area := strings.TrimSuffix(filepath.Base(f.File), ".json")
		cases, err := loadCases(filepath.Join(dir, f.File), area)
		if err != nil {
			return nil, err
		}
		if len(cases) != f.Cases {
			return nil, fmt.Errorf("%s: %d cases, index.json says %d", f.File, len(cases), f.Cases)
		}
		c.areas = append(c.areas, area)
		c.cases = append(c.cases, cases...)
	}
	if len(c.cases) != c.total {
		return nil, fmt.Errorf("corpus: %d cases, index.json says %d", len(c.cases), c.total)
	}
	seed, err := loadSeed(filepath.Join(dir, "seed.json"))
	if err != nil {
		return nil, err
	}
	c.seed = seed
	c.symbols = map[string]bool{}
	for _, r := range seed.records {
		c.symbols[r.name] = true
		if r.partnerName != "" {
			c.symbols[r.partnerName] = true
		}
	}
	c.addCaseSymbols()
	return c, nil
}

// addCaseSymbols adds the symbols the cases bind to c.symbols.
func (c *corpus) addCaseSymbols() {
	if c.symbols == nil {
		c.symbols = map[string]bool{}
	}
	for _, cs := range c.cases {
		if cs.Bind != "" {
			c.symbols[cs.Bind] = true
		}
		for _, s := range cs.Binds {
			c.symbols[s] = true
		}
	}
}

func readJSONFile(path string, into any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func readOrderedFile(path string) (any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := decodeJSON(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

func loadCases(path, area string) ([]*confCase, error) {
	v, err := readOrderedFile(path)
	if err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a list of cases", path)
	}
	out := make([]*confCase, 0, len(list))
	for i, e := range list {
		o, ok := e.(*object)
		if !ok {
			return nil, fmt.Errorf("%s: case %d is not an object", path, i)
		}
		c := &confCase{Area: area, ID: str(o, "id"), Protocol: str(o, "protocol"), As: str(o, "as"),
			Model: str(o, "model"), Bind: str(o, "bind"), Binds: strs(o, "bind"), Session: str(o, "session"),
			Mask: strs(o, "mask"), KeyOrder: strs(o, "key_order")}
		c.Request, _ = o.vals["request"].(*object)
		c.Expect, _ = o.vals["expect"].(*object)
		c.Raw, _ = o.vals["raw"].(*object)
		if c.ID == "" || c.Request == nil || c.Expect == nil {
			return nil, fmt.Errorf("%s: case %d lacks an id, a request or an expect", path, i)
		}
		out = append(out, c)
	}
	return out, nil
}

func loadSeed(path string) (seedData, error) {
	v, err := readOrderedFile(path)
	if err != nil {
		return seedData{}, err
	}
	root, ok := v.(*object)
	if !ok {
		return seedData{}, fmt.Errorf("%s: not an object", path)
	}
	s := seedData{roles: map[string]roleUser{}}
	if users, ok := root.vals["users"].(*object); ok {
		for _, role := range users.keys {
			u, _ := users.vals[role].(*object)
			if u != nil {
				s.roles[role] = roleUser{login: str(u, "login"), password: str(u, "password")}
			}
		}
	}
	records, _ := root.vals["records"].([]any)
	for i, e := range records {
		o, ok := e.(*object)
		if !ok {
			return seedData{}, fmt.Errorf("%s: record %d is not an object", path, i)
		}
		r := seedRecord{model: str(o, "model"), name: str(o, "name"), partnerName: str(o, "partner_name")}
		r.values, _ = o.vals["values"].(*object)
		if r.model == "" || r.name == "" || r.values == nil {
			return seedData{}, fmt.Errorf("%s: record %d lacks a model, a name or values", path, i)
		}
		s.records = append(s.records, r)
	}
	return s, nil
}

// str is the string member key of o, empty when absent or not a string.
func str(o *object, key string) string {
	s, _ := o.vals[key].(string)
	return s
}

// strs is the list of strings member key of o.
func strs(o *object, key string) []string {
	list, _ := o.vals[key].([]any)
	var out []string
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// loadCorpusOrSkip loads the corpus, or skips where it is absent.
func loadCorpusOrSkip(t *testing.T) *corpus {
	t.Helper()
	dir := corpusDir()
	if _, err := os.Stat(filepath.Join(dir, "cases", "index.json")); err != nil {
		t.Skipf("the Odoo 18 conformance corpus is not at %s (set GODOO_CONFORMANCE_DIR to its folder): %v", dir, err)
	}
	corp, err := loadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	return corp
}
