package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// setting is one configuration value with its three sources. Precedence:
// command-line flag, then GODOO_* environment variable, then the [options]
// section of the config file (Odoo's odoo.conf keys), then the default.
type setting struct {
	key  string // odoo.conf key
	flag string // command-line flag, "" when there is none
	env  string
	def  string
	help string
}

var settings = []setting{
	{"data_dir", "data-dir", "GODOO_DATA_DIR", "", "directory of the embedded SQLite databases (default ~/.local/share/godoo)"},
	{"db_url", "db-url", "GODOO_DB_URL", "", "PostgreSQL server URL (postgres://user:pass@host:port/maintenance_db); selects PostgreSQL instead of SQLite"},
	{"db_host", "", "GODOO_DB_HOST", "", "PostgreSQL host (Odoo's db_host); used when db_url is not set"},
	{"db_port", "", "GODOO_DB_PORT", "5432", "PostgreSQL port (Odoo's db_port)"},
	{"db_user", "", "GODOO_DB_USER", "", "PostgreSQL user (Odoo's db_user)"},
	{"db_password", "", "GODOO_DB_PASSWORD", "", "PostgreSQL password (Odoo's db_password)"},
	{"http_addr", "http-addr", "GODOO_HTTP_ADDR", "", "listen address HOST:PORT (default 127.0.0.1:8069, or http_interface:http_port)"},
	{"http_interface", "", "GODOO_HTTP_INTERFACE", "127.0.0.1", "listen interface (Odoo's http_interface)"},
	{"http_port", "", "GODOO_HTTP_PORT", "8069", "listen port (Odoo's http_port)"},
	{"admin_passwd", "master-password", "GODOO_MASTER_PASSWORD", "", "master password of the db service (Odoo's admin_passwd), clear or $pbkdf2-sha512$ hash"},
	{"list_db", "list-db", "GODOO_LIST_DB", "True", "allow listing and managing databases over RPC (Odoo's list_db)"},
	{"dbfilter", "dbfilter", "GODOO_DBFILTER", "", "regular expression of visible databases for the web routes (Odoo's dbfilter)"},
	{"proxy_mode", "proxy-mode", "GODOO_PROXY_MODE", "False", "trust the last X-Forwarded-For hop, the one the proxy added, as the client address (Odoo's proxy_mode)"},
	{"max_body_bytes", "max-body-bytes", "GODOO_MAX_BODY_BYTES", "134217728", "largest accepted request body in bytes"},
	{"max_depth", "max-depth", "GODOO_MAX_DEPTH", "64", "deepest accepted nesting of arrays and structs in a request"},
	{"request_timeout", "request-timeout", "GODOO_REQUEST_TIMEOUT", "300", "seconds one call may take"},
	{"body_read_timeout", "body-read-timeout", "GODOO_BODY_READ_TIMEOUT", "30", "seconds a client may take to send a request body (decimals allowed)"},
	{"server_version", "server-version", "GODOO_SERVER_VERSION", "18.0", "Odoo version godoo reports (e.g. 17.0, 18.0+e)"},
	{"log_level", "log-level", "GODOO_LOG_LEVEL", "info", "debug, info, warn or error (Odoo's log_level)"},
}

// config holds the resolved values by key, and what the config file's
// other sections hold.
type config struct {
	values map[string]string
	file   string
	// headerKeys are the [api_key_<name>] sections: key name to key.
	headerKeys map[string]string
	// basicUsers is the [basic_users] section: login to password hash.
	basicUsers map[string]string
}

func (c *config) get(key string) string { return c.values[key] }

func (c *config) bool(key string) bool {
	switch strings.ToLower(strings.TrimSpace(c.values[key])) {
	case "1", "true", "t", "yes", "y", "on":
		return true
	}
	return false
}

func (c *config) int(key string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(c.values[key]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not an integer", key, c.values[key])
	}
	return n, nil
}

// seconds reads a positive number of seconds, decimals allowed.
func (c *config) seconds(key string) (time.Duration, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(c.values[key]), 64)
	if err != nil || !(f > 0) || f > 1e6 {
		return 0, fmt.Errorf("%s: %q is not a positive number of seconds", key, c.values[key])
	}
	return time.Duration(f * float64(time.Second)), nil
}

// addFlags registers the flags of the named settings (all when none) plus
// --config on fs, and returns a function that resolves the configuration
// once fs has parsed.
func addFlags(fs *flag.FlagSet, keys ...string) func() (*config, error) {
	flagVals := map[string]*string{}
	for _, s := range settings {
		if s.flag == "" || len(keys) > 0 && !contains(keys, s.key) {
			continue
		}
		flagVals[s.key] = fs.String(s.flag, "", s.help)
	}
	cfgFile := fs.String("config", "", "odoo.conf-style configuration file (also GODOO_CONFIG)")
	fs.StringVar(cfgFile, "c", "", "shorthand for --config")
	return func() (*config, error) {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		c := &config{values: map[string]string{}, file: *cfgFile}
		if c.file == "" {
			c.file = os.Getenv("GODOO_CONFIG")
		}
		var fileVals map[string]string
		if c.file != "" {
			sections, err := readINI(c.file)
			if err != nil {
				return nil, err
			}
			fileVals = sections["options"]
			if c.headerKeys, err = headerKeys(c.file, sections); err != nil {
				return nil, err
			}
			if c.basicUsers, err = basicUsers(c.file, sections); err != nil {
				return nil, err
			}
		}
		for _, s := range settings {
			v := s.def
			if fv, ok := fileVals[s.key]; ok {
				v = fv
			}
			if ev, ok := os.LookupEnv(s.env); ok {
				v = ev
			}
			if p := flagVals[s.key]; p != nil && set[s.flag] {
				v = *p
			}
			c.values[s.key] = v
		}
		return c, nil
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readINI reads the sections of an odoo.conf-style file: section name to
// key to value. Odoo's "False" for unset values is kept as given; callers
// interpret it. Lines before the first section are ignored.
func readINI(path string) (map[string]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	out := map[string]map[string]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' && line[len(line)-1] == ']' {
			section = strings.TrimSpace(line[1 : len(line)-1])
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			k, v, ok = strings.Cut(line, ":")
		}
		if !ok {
			return nil, fmt.Errorf("config file %s line %d: expected key = value", path, n)
		}
		if section == "" {
			continue
		}
		if out[section] == nil {
			out[section] = map[string]string{}
		}
		out[section][strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, sc.Err()
}

// headerKeys collects the API-KEY header keys of the config file, OCA
// auth_api_key_server_env style: a section [api_key_<name>] with key=...
// for the auth.api.key named <name>, whose database value it replaces.
func headerKeys(path string, sections map[string]map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for section, vals := range sections {
		name, ok := strings.CutPrefix(section, "api_key_")
		if !ok {
			continue
		}
		key := vals["key"]
		if name == "" || unset(key) {
			return nil, fmt.Errorf("config file %s: section [%s] needs a key name after api_key_ and a key = value", path, section)
		}
		out[name] = key
	}
	return out, nil
}

// basicUsers collects the [basic_users] section: login = $pbkdf2-sha512$
// hash, the HTTP Basic users of basic_api_key routes. Clear passwords are
// refused: the file must never hold them.
func basicUsers(path string, sections map[string]map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for login, hash := range sections["basic_users"] {
		if !strings.HasPrefix(hash, "$pbkdf2-sha512$") {
			return nil, fmt.Errorf("config file %s: [basic_users] %s: the password must be a $pbkdf2-sha512$ hash, not clear text", path, login)
		}
		out[login] = hash
	}
	return out, nil
}

// unset reports Odoo's way of leaving a value empty in odoo.conf.
func unset(v string) bool {
	return v == "" || strings.EqualFold(v, "false") || strings.EqualFold(v, "none")
}

// dataDir returns the SQLite data directory.
func (c *config) dataDir() string {
	if d := c.get("data_dir"); !unset(d) {
		return d
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "godoo")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ".godoo"
	}
	return filepath.Join(home, ".local", "share", "godoo")
}

// postgresURL returns the PostgreSQL server URL, or "" for SQLite. db_url
// wins; otherwise Odoo's db_host/db_port/db_user/db_password build one.
func (c *config) postgresURL() string {
	if u := c.get("db_url"); !unset(u) {
		return u
	}
	host := c.get("db_host")
	if unset(host) {
		return ""
	}
	u := &url.URL{Scheme: "postgres", Host: net.JoinHostPort(host, c.get("db_port")), Path: "/postgres", RawQuery: "sslmode=disable"}
	if user := c.get("db_user"); !unset(user) {
		if pw := c.get("db_password"); !unset(pw) {
			u.User = url.UserPassword(user, pw)
		} else {
			u.User = url.User(user)
		}
	}
	return u.String()
}

// httpAddr is the listen address.
func (c *config) httpAddr() string {
	if a := c.get("http_addr"); !unset(a) {
		return a
	}
	return net.JoinHostPort(c.get("http_interface"), c.get("http_port"))
}

// masterPassword returns admin_passwd, empty when unset.
func (c *config) masterPassword() string {
	if v := c.get("admin_passwd"); !unset(v) {
		return v
	}
	return ""
}

// setOption writes key = value into the [options] section of an
// odoo.conf-style file, replacing the key's line or adding it, and keeps
// every other line as it was; a missing file is created. The file holds
// the master password's hash, so it is left readable by its owner only
// (mode 0600) whatever its mode was. It is written whole to a new
// temporary file of its own, made 0600 from the start, and renamed over
// the old one, so a crash never leaves half a configuration and no other
// file's mode is ever reused.
func setOption(path, key, value string) error {
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("config file: %w", err)
	}
	lines := strings.Split(string(b), "\n")
	if len(b) == 0 {
		lines = nil
	}
	section, done, optionsAt := "", false, -1
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			section = strings.TrimSpace(t[1 : len(t)-1])
			if section == "options" && optionsAt < 0 {
				optionsAt = i
			}
			continue
		}
		k, _, ok := strings.Cut(t, "=")
		if ok && section == "options" && strings.TrimSpace(k) == key && !done {
			lines[i] = key + " = " + value
			done = true
		}
	}
	if !done {
		if optionsAt < 0 {
			lines = append([]string{"[options]", key + " = " + value}, lines...)
		} else {
			lines = append(lines[:optionsAt+1], append([]string{key + " = " + value}, lines[optionsAt+1:]...)...)
		}
	}
	if len(b) == 0 {
		lines = append(lines, "")
	}
	return replaceFile(path, []byte(strings.Join(lines, "\n")))
}

// replaceFile writes data to path through a temporary file in the same
// directory, mode 0600, synced before it is renamed over path.
func replaceFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	tmp := f.Name()
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("config file: %w", err)
	}
	return nil
}
