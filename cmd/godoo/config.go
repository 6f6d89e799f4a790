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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/godoo/godoo/auth"
)

// setting is one configuration value with its three sources. Precedence:
// command-line flag, then GODOO_* environment variable, then the [options]
// section of the config file (Odoo's odoo.conf keys), then the default. An
// empty value, or Odoo's False or None for a setting that is not a boolean,
// leaves the setting to the next source.
type setting struct {
	key  string // odoo.conf key
	flag string // command-line flag, "" when there is none
	env  string
	def  string
	kind kind
	// choices are the values of a kindChoice setting, and the values a
	// completion offers for a boolean.
	choices []string
	lo, hi  int64 // bounds of a kindInt setting
	arg     string
	// bare makes a boolean's flag one that stands alone: --metrics means
	// True, --metrics=False turns it off.
	bare bool
	// defDoc is the default as help shows it, when def is not it.
	defDoc string
	help   string // one line, for --help
	doc    string // Markdown for the configuration reference; help when ""
}

// kind is the type of a setting's value, which every source is checked
// against before a command runs.
type kind int

const (
	kindText kind = iota
	kindBool
	kindInt
	kindSeconds
	kindChoice
)

// boolWords are the spellings of booleans that odoo.conf files, Odoo's
// command line and environment variables use, in any case.
var boolWords = map[string]bool{"true": true, "false": false, "1": true, "0": false, "yes": true, "no": false,
	"on": true, "off": false, "t": true, "f": false, "y": true, "n": false}

var boolChoices = []string{"True", "False"}

var settings = []setting{
	{key: "data_dir", flag: "data-dir", env: "GODOO_DATA_DIR", arg: "DIR", defDoc: "~/.local/share/godoo",
		help: "directory of the embedded SQLite databases",
		doc:  "directory of the SQLite databases (`db/<name>.sqlite`); the default is `$XDG_DATA_HOME/godoo` when that is set"},
	{key: "filestore_dir", flag: "filestore-dir", env: "GODOO_FILESTORE_DIR", arg: "DIR", defDoc: "DATA_DIR/filestore",
		help: "directory of the attachments' files, one folder per database (shared by every process serving the same databases)",
		doc: "directory of the attachments' files (Odoo's `data_dir/filestore`): `<dir>/<db>/<ab>/<sha1>`, one file per content; " +
			"with PostgreSQL and several godoo processes, a directory they all share; the system parameter " +
			"`ir_attachment.location = db` keeps contents in the database instead"},
	{key: "models_path", flag: "models-path", env: "GODOO_MODELS_PATH", arg: "DIR",
		help: "directory of model declarations to serve beside the base models (written by godoo model import)",
		doc: "directory of model declarations (`<model_with_underscores>.json`, as `godoo model import` writes them) " +
			"that serve adds to the base models, with the generic methods (create, read, write, search, unlink, ...) " +
			"and access for administrators (`base.group_system`) only"},
	{key: "modules_path", flag: "modules-path", env: "GODOO_MODULES_PATH", arg: "DIR",
		help: "directory of module folders to offer beside godoo's modules (written by godoo model import --module)",
		doc: "directory of module folders (`<name>/manifest.json`, `models/`, `inherit/`, `data/`, as `godoo model import " +
			"--module` writes them, in the shape of godoo's own modules) that every database lists in `ir.module.module`, " +
			"uninstalled, and installs with `button_immediate_install`, `godoo module install` or `godoo db create --modules`; " +
			"every process serving the database needs the same folders"},
	{key: "db_url", flag: "db-url", env: "GODOO_DB_URL", arg: "URL",
		help: "PostgreSQL server URL (postgres://user:pass@host:port/maintenance_db); selects PostgreSQL instead of SQLite",
		doc:  "PostgreSQL server URL, `postgres://user:pass@host:port/maintenance_db?sslmode=...`; selects PostgreSQL instead of SQLite"},
	{key: "db_host", env: "GODOO_DB_HOST", help: "PostgreSQL host (Odoo's db_host); used when db_url is not set",
		doc: "PostgreSQL host (Odoo's `db_host`); selects PostgreSQL when `db_url` is not set"},
	{key: "db_port", env: "GODOO_DB_PORT", def: "5432", kind: kindInt, lo: 1, hi: 65535, help: "PostgreSQL port (Odoo's db_port)"},
	{key: "db_user", env: "GODOO_DB_USER", help: "PostgreSQL user (Odoo's db_user)"},
	{key: "db_password", env: "GODOO_DB_PASSWORD", help: "PostgreSQL password (Odoo's db_password)"},
	{key: "db_replica_url", flag: "db-replica-url", env: "GODOO_DB_REPLICA_URL", arg: "URL",
		help: "PostgreSQL streaming replica URL: read-only calls run there, the rest on db_url",
		doc: "URL of a streaming replica of the PostgreSQL server (a hot standby), as `db_url`: the calls of read-only methods " +
			"(search, read, search_read, read_group, fields_get, ...) run there on every protocol, and again on the primary when the " +
			"replica refuses a write or does not answer; credentials are always checked on the primary"},
	{key: "db_replica_host", env: "GODOO_DB_REPLICA_HOST", help: "PostgreSQL replica host (Odoo's db_replica_host); used when db_replica_url is not set",
		doc: "PostgreSQL replica host (Odoo's `db_replica_host`): the replica is the primary's URL with this host; used when `db_replica_url` is not set"},
	{key: "db_replica_port", env: "GODOO_DB_REPLICA_PORT", kind: kindInt, lo: 1, hi: 65535, defDoc: "db_port",
		help: "PostgreSQL replica port (Odoo's db_replica_port), with db_replica_host"},
	{key: "db_replica_read_your_writes", flag: "db-replica-read-your-writes", env: "GODOO_DB_REPLICA_READ_YOUR_WRITES", def: "2",
		kind: kindSeconds, arg: "SECONDS",
		help: "seconds the reads of a user who wrote stay on the primary (0 for none), so that a client reads what it wrote",
		doc: "seconds the read-only calls of a user who wrote (through a session, a key or a password) stay on the primary " +
			"rather than the replica, so that a client reads what it has just written whatever the replica's lag; `0` turns it off. " +
			"The window is kept by each instance: a client that writes on one instance and reads at once on another may read from the replica"},
	{key: "db_listen_url", flag: "db-listen-url", env: "GODOO_DB_LISTEN_URL", arg: "URL", defDoc: "db_url",
		help: "PostgreSQL URL of the LISTEN connections, directly to the server when db_url goes through a pooler",
		doc: "PostgreSQL server URL of the LISTEN connections that carry the notices of credential changes, as `db_url`; it must " +
			"reach the server directly when `db_url` goes through a connection pooler in transaction mode, which cannot carry LISTEN"},
	{key: "http_addr", flag: "http-addr", env: "GODOO_HTTP_ADDR", arg: "HOST:PORT", defDoc: "127.0.0.1:8069",
		help: "listen address; when unset, http_interface:http_port"},
	{key: "http_interface", env: "GODOO_HTTP_INTERFACE", def: "127.0.0.1", help: "listen interface (Odoo's http_interface), used when http_addr is not set"},
	{key: "http_port", env: "GODOO_HTTP_PORT", def: "8069", kind: kindInt, lo: 0, hi: 65535,
		help: "listen port (Odoo's http_port), used when http_addr is not set"},
	{key: "admin_passwd", flag: "master-password", env: "GODOO_MASTER_PASSWORD", arg: "PW",
		help: "master password of the db service (Odoo's admin_passwd), clear or a $pbkdf2-sha512$ hash",
		doc: "master password of the `db` service (Odoo's `admin_passwd`), clear or a `$pbkdf2-sha512$` hash; unset, the `db` " +
			"service refuses every protected method; `db.change_admin_password` writes the new hash into the `--config` file, " +
			"which it leaves (or creates) with mode 0600"},
	{key: "list_db", flag: "list-db", env: "GODOO_LIST_DB", def: "True", kind: kindBool, choices: boolChoices, arg: "BOOL",
		help: "allow listing and managing databases over RPC (Odoo's list_db)"},
	{key: "dbfilter", flag: "dbfilter", env: "GODOO_DBFILTER", arg: "REGEXP",
		help: "regular expression of the databases the web routes may use (Odoo's dbfilter)",
		doc: "regular expression of the databases the web routes may use (`/web/session/authenticate`, " +
			"`/web/database/list`, sessions); `%h` is the host name, `%d` its first label"},
	{key: "proxy_mode", flag: "proxy-mode", env: "GODOO_PROXY_MODE", def: "False", kind: kindBool, choices: boolChoices, arg: "BOOL",
		help: "take the client address from the last X-Forwarded-For hop, the one the proxy added (Odoo's proxy_mode; only behind a trusted proxy)"},
	{key: "json2_key_groups", flag: "json2-key-groups", env: "GODOO_JSON2_KEY_GROUPS", arg: "CODES",
		help: "comma-separated key group codes (auth.api.key.group): JSON-2 accepts only the header keys (API-KEY) of these groups; empty accepts every key"},
	{key: "whoami_key_groups", flag: "whoami-key-groups", env: "GODOO_WHOAMI_KEY_GROUPS", arg: "CODES",
		help: "comma-separated key group codes: /auth/whoami/api_key and /auth/whoami/basic_api_key accept only the header keys of these groups; empty accepts every key"},
	{key: "max_body_bytes", flag: "max-body-bytes", env: "GODOO_MAX_BODY_BYTES", def: "134217728", kind: kindInt, lo: 1, hi: 1 << 40, arg: "BYTES",
		help: "largest accepted request body in bytes",
		doc:  "largest request body; larger ones get HTTP 413, before any of it is read when the request declares its length"},
	{key: "max_depth", flag: "max-depth", env: "GODOO_MAX_DEPTH", def: "64", kind: kindInt, lo: 1, hi: 1 << 20, arg: "N",
		help: "deepest accepted nesting of arrays and structs in a request"},
	{key: "request_timeout", flag: "request-timeout", env: "GODOO_REQUEST_TIMEOUT", def: "300", kind: kindInt, lo: 1, hi: 1e6, arg: "SECONDS",
		help: "seconds one call may take"},
	{key: "body_read_timeout", flag: "body-read-timeout", env: "GODOO_BODY_READ_TIMEOUT", def: "30", kind: kindSeconds, arg: "SECONDS",
		help: "seconds a client may take to send a request body (decimals allowed)",
		doc: "seconds a client may take to send a request body once its headers are in (decimals allowed); a slower one " +
			"gets HTTP 408 and its connection is closed"},
	{key: "server_version", flag: "server-version", env: "GODOO_SERVER_VERSION", def: "18.0", arg: "VERSION",
		help: "Odoo version godoo reports (17.0, 18.0+e, ...)"},
	{key: "log_format", flag: "log-format", env: "GODOO_LOG_FORMAT", def: "text", kind: kindChoice, arg: "FORMAT",
		choices: []string{"text", "json"},
		help:    "format of the log on standard error: text (key=value lines) or json (one JSON object per line)",
		doc:     "format of the log on standard error, from Go's `log/slog` handlers: `text` writes `key=value` lines, `json` one JSON object per line"},
	{key: "access_log", flag: "access-log", env: "GODOO_ACCESS_LOG", def: "True", kind: kindBool, choices: boolChoices, bare: true,
		help: "log one line per request at info level (--access-log=False turns it off)",
		doc: "log one line per request at info level: time, request id, client address, protocol, database, uid, model, method, " +
			"outcome, status, duration and bytes, never a password, key, session id or argument value; `--access-log=False` turns it off"},
	{key: "metrics", flag: "metrics", env: "GODOO_METRICS", def: "False", kind: kindBool, choices: boolChoices, bare: true,
		help: "serve Prometheus metrics at GET /metrics, on the listen address or on metrics_addr",
		doc: "serve Prometheus metrics at `GET /metrics` (requests, latencies, authentications, refusals, pools, gates, caches, " +
			"LISTEN feeds, Go runtime and process), on the listen address, or on `metrics_addr` when that is set"},
	{key: "metrics_addr", flag: "metrics-addr", env: "GODOO_METRICS_ADDR", arg: "HOST:PORT",
		help: "serve /metrics on this address of its own instead of the listen address (with metrics)",
		doc:  "serve `/metrics` on this address of its own instead of the listen address, for a scraper on a private network (with `metrics`)"},
	{key: "log_level", flag: "log-level", env: "GODOO_LOG_LEVEL", def: "info", kind: kindChoice, arg: "LEVEL",
		choices: []string{"debug", "debug_rpc", "debug_rpc_answer", "debug_sql", "info", "warn", "warning", "error", "critical"},
		help:    "least important log records written (Odoo's log_level; its debug_rpc, debug_rpc_answer and debug_sql are debug here, critical is error)"},
}

// settingByKey returns the setting of an odoo.conf key, nil for none.
func settingByKey(key string) *setting {
	for i := range settings {
		if settings[i].key == key {
			return &settings[i]
		}
	}
	return nil
}

// defaultText is the default as help and the reference show it.
func (s *setting) defaultText() string {
	if s.defDoc != "" {
		return s.defDoc
	}
	return s.def
}

// allowed describes the values s accepts, for errors and the reference.
func (s *setting) allowed() string {
	switch s.kind {
	case kindBool:
		return "True or False (in any case; also 1/0, yes/no, on/off)"
	case kindInt:
		return fmt.Sprintf("an integer from %d to %d", s.lo, s.hi)
	case kindSeconds:
		return "a positive number of seconds, decimals allowed"
	case kindChoice:
		return "one of " + strings.Join(s.choices, ", ")
	}
	return "any text"
}

// check reports whether v is a value of s.
func (s *setting) check(v string) bool {
	v = strings.TrimSpace(v)
	switch s.kind {
	case kindBool:
		_, ok := boolWords[strings.ToLower(v)]
		return ok
	case kindInt:
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && n >= s.lo && n <= s.hi
	case kindSeconds:
		f, err := strconv.ParseFloat(v, 64)
		return err == nil && f > 0 && f <= 1e6
	case kindChoice:
		return slices.Contains(s.choices, strings.ToLower(v))
	}
	return true
}

// config holds the resolved values by key, and what the config file's
// other sections hold.
type config struct {
	values map[string]string
	file   string
	// headerKeys are the [api_key_<name>] sections: key name to key.
	headerKeys map[string]auth.ConfigKey
	// basicUsers is the [basic_users] section: login to password hash.
	basicUsers map[string]string
}

func (c *config) get(key string) string { return c.values[key] }

// bool, int and seconds read values that resolve has checked.
func (c *config) bool(key string) bool {
	return boolWords[strings.ToLower(strings.TrimSpace(c.values[key]))]
}

func (c *config) int(key string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(c.values[key]), 10, 64)
	return n
}

func (c *config) seconds(key string) time.Duration {
	f, _ := strconv.ParseFloat(strings.TrimSpace(c.values[key]), 64)
	return time.Duration(f * float64(time.Second))
}

// settingValue is the flag of a setting. Its value is checked with the
// other sources' when the configuration is resolved.
type settingValue struct {
	s   *setting
	val string
}

func (v *settingValue) String() string     { return v.val }
func (v *settingValue) Set(s string) error { v.val = s; return nil }

// IsBoolFlag lets a bare boolean's flag stand alone (see setting.bare).
func (v *settingValue) IsBoolFlag() bool { return v.s.bare }

// addFlags registers the flags of the named settings (all when none) plus
// --config on fs, and returns a function that resolves the configuration
// once fs has parsed: every value, from whichever source, must be one the
// setting allows, and the config file may hold only known keys.
func addFlags(fs *flag.FlagSet, keys ...string) func() (*config, error) {
	flagVals := map[string]*settingValue{}
	for i := range settings {
		s := &settings[i]
		if s.flag == "" || len(keys) > 0 && !slices.Contains(keys, s.key) {
			continue
		}
		flagVals[s.key] = &settingValue{s: s}
		fs.Var(flagVals[s.key], s.flag, s.help)
	}
	cfgFile := fs.String("config", "", "odoo.conf-style configuration `FILE` (also GODOO_CONFIG)")
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
			for k := range fileVals {
				if settingByKey(k) == nil {
					return nil, usageError{fmt.Sprintf("config file %s: unknown key %q in [options]; the keys are %s",
						c.file, k, strings.Join(settingKeys(), ", "))}
				}
			}
			if c.headerKeys, err = headerKeys(c.file, sections); err != nil {
				return nil, err
			}
			if c.basicUsers, err = basicUsers(c.file, sections); err != nil {
				return nil, err
			}
		}
		for i := range settings {
			s := &settings[i]
			v, from := s.def, ""
			given := func(val string) bool { return val != "" && (s.kind == kindBool || !unset(val)) }
			if fv, ok := fileVals[s.key]; ok && given(fv) {
				v, from = fv, s.key+" in "+c.file
			}
			if ev := os.Getenv(s.env); given(ev) {
				v, from = ev, s.env
			}
			if p := flagVals[s.key]; p != nil && set[s.flag] && given(p.val) {
				v, from = p.val, "--"+s.flag
			}
			if from != "" && !s.check(v) {
				// Secrets are text, which check never refuses, so v is
				// never a password.
				return nil, usageError{fmt.Sprintf("%s: %q is not a valid %s: it must be %s", from, v, s.key, s.allowed())}
			}
			c.values[s.key] = strings.TrimSpace(v)
		}
		return c, nil
	}
}

// settingKeys are the odoo.conf keys godoo knows, sorted.
func settingKeys() []string {
	var out []string
	for _, s := range settings {
		out = append(out, s.key)
	}
	slices.Sort(out)
	return out
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
// auth_api_key_server_env style: a section [api_key_<name>] for the
// auth.api.key named <name>, whose database value it replaces, with either
// key_hash = sha256$<hex> (what godoo apikey hash prints) or, kept for
// compatibility, the clear key = ...; key_groups = code1,code2 assigns the
// key to those key groups.
func headerKeys(path string, sections map[string]map[string]string) (map[string]auth.ConfigKey, error) {
	out := map[string]auth.ConfigKey{}
	for section, vals := range sections {
		name, ok := strings.CutPrefix(section, "api_key_")
		if !ok {
			continue
		}
		key, hash := vals["key"], vals["key_hash"]
		if name == "" || unset(key) == unset(hash) {
			return nil, fmt.Errorf("config file %s: section [%s] needs a key name after api_key_ and one of key_hash = sha256$... (godoo apikey hash) or key = ...", path, section)
		}
		k := auth.ConfigKey{}
		if unset(key) {
			if _, ok := auth.ParseConfigKeyHash(hash); !ok {
				return nil, fmt.Errorf("config file %s: section [%s]: key_hash must be sha256$ and 64 lowercase hex digits, as godoo apikey hash prints it", path, section)
			}
			k.Hash = hash
		} else {
			k.Key = key
		}
		k.Groups = splitCodes(vals["key_groups"])
		out[name] = k
	}
	return out, nil
}

// codes reads a comma-separated list of key group codes; nil when unset.
func (c *config) codes(key string) []string {
	return splitCodes(c.get(key))
}

// splitCodes reads a comma-separated list of codes; nil when unset.
func splitCodes(v string) []string {
	if unset(v) {
		return nil
	}
	var out []string
	for _, code := range strings.Split(v, ",") {
		if code = strings.TrimSpace(code); code != "" {
			out = append(out, code)
		}
	}
	return out
}

// clearHeaderKeys names the configured header keys given in clear (key =)
// rather than hashed, in order, for the warning serve logs.
func clearHeaderKeys(keys map[string]auth.ConfigKey) []string {
	var out []string
	for name, k := range keys {
		if k.Key != "" {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
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

// filestoreDir returns the directory of the attachments' files.
func (c *config) filestoreDir() string {
	if d := c.get("filestore_dir"); !unset(d) {
		return d
	}
	return filepath.Join(c.dataDir(), "filestore")
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

// replicaURL returns the URL of the PostgreSQL replica, or "" for none:
// db_replica_url, else the primary's URL with db_replica_host and
// db_replica_port (Odoo's).
func (c *config) replicaURL() string {
	if u := c.get("db_replica_url"); !unset(u) {
		return u
	}
	host := c.get("db_replica_host")
	primary := c.postgresURL()
	if unset(host) || primary == "" {
		return ""
	}
	port := c.get("db_replica_port")
	if unset(port) {
		port = c.get("db_port")
	}
	u, err := url.Parse(primary)
	if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return primary + " host=" + host + " port=" + port
	}
	u.Host = net.JoinHostPort(host, port)
	return u.String()
}

// listenURL returns the URL of the LISTEN connections, "" for db_url's.
func (c *config) listenURL() string {
	if u := c.get("db_listen_url"); !unset(u) {
		return u
	}
	return ""
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
