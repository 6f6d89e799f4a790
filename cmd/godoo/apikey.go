package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/services"
)

var apikeyCreateCommand = &command{path: "apikey create",
	synopsis: "--user LOGIN --name NAME [--db NAME] [--kind native|header] [--scope SCOPE] [--expires DATE|DATETIME|DURATION] [--allow MODEL:METHODS]... [--read-only] [--from CIDR]...",
	summary:  "Makes an API key and prints it, once.",
	help:     apikeyHelp,
	define:   func(fs *flag.FlagSet) action { return defineAPIKey(fs, "create") }}

var apikeyListCommand = &command{path: "apikey list", synopsis: "[--db NAME] [--kind native|header] [--user LOGIN] [--name NAME]",
	summary: "Lists API keys, never their secrets.",
	help:    apikeyHelp,
	define:  func(fs *flag.FlagSet) action { return defineAPIKey(fs, "list") }}

var apikeyRevokeCommand = &command{path: "apikey revoke", args: [2]int{0, -1},
	synopsis: "[ID...] [--name NAME] [--db NAME] [--kind native|header] [--user LOGIN]",
	summary:  "Revokes API keys by id or by name.",
	help:     apikeyHelp,
	define:   func(fs *flag.FlagSet) action { return defineAPIKey(fs, "revoke") }}

var apikeyRotateCommand = &command{path: "apikey rotate", args: [2]int{1, 1},
	synopsis: "ID [--overlap DURATION] [--db NAME]",
	summary:  "Replaces a native key with a new one of the same name and restrictions, and prints it, once.",
	help:     apikeyHelp,
	define:   defineAPIKeyRotate}

var apikeyAuditCommand = &command{path: "apikey audit",
	synopsis: "[--key ID] [--since DURATION] [--db NAME]",
	summary:  "Prints the API key audit: changes to keys, failed attempts and refused calls.",
	help: `
Prints the key audit (auth.key.audit), oldest first, one tab-separated line
per event, never a secret: time (UTC), event, kind, key id, key name, user
id, source address, protocol, model, method, user agent ("-" for none).
Events: created, revoked, rotated, restricted, archived, failed (a wrong
secret on a known key) and refused (a call the key's restrictions refuse,
with its model and method).
`,
	define: defineAPIKeyAudit}

var apikeyHashCommand = &command{path: "apikey hash",
	synopsis: "< KEY",
	summary:  "Prints the key_hash of a configuration key read from standard input.",
	help: `
Reads a header key from standard input (one line; the line break is not
part of the key) and prints the value of key_hash for its [api_key_<name>]
section of the configuration file, so that the file need not hold the key
in clear:

    [api_key_shop]
    key_hash = sha256$...
    key_groups = shop
`,
	define: defineAPIKeyHash}

const apikeyHelp = `
Native keys (res.users.apikeys) go in the password slot of login,
authenticate, execute and execute_kw; header keys (auth.api.key) go in the
API-KEY header of the routes that accept it. create prints the clear key
alone on its last line, once: only its hash is stored. list prints one line
per key, tab-separated: id, kind, name, user, scope, expiration, last used,
state and restrictions ("-" for none; times are UTC). revoke removes keys of
one kind (native unless --kind header) by id or by name. rotate replaces a
native key with a new one of the same user, name, scope, expiry and
restrictions; the old key keeps working for --overlap (none by default).

Restrictions only narrow what the key's user may do: --allow MODEL:METHODS
(repeatable; res.partner:read,search_read, sale.order:* or *:read) lists
the methods the key may call, --read-only allows only the methods that
never write, --from CIDR (repeatable) the source addresses it may be used
from (the forwarded address with proxy_mode).
`

// nowFunc is the clock of relative --expires values; tests replace it.
var nowFunc = time.Now

// defineAPIKey registers the flags of apikey sub and returns its action.
func defineAPIKey(fs *flag.FlagSet, sub string) action {
	resolve := addFlags(fs, storeKeys...)
	dbName := fs.String("db", "", "database `NAME` (default: the only database)")
	var user, name *string
	var kind *string
	if sub == "create" {
		user = fs.String("user", "", "the `LOGIN` of the key's user (required)")
		name = fs.String("name", "", "the key's `NAME` (required)")
		kind = choiceFlag(fs, "kind", services.KeyNative, "native (res.users.apikeys) or header (auth.api.key)", services.KeyNative, services.KeyHeader)
	} else {
		user = fs.String("user", "", "only the keys of the user of this `LOGIN`")
		name = fs.String("name", "", "only the keys of this `NAME`")
		what := "the keys of one kind only: native (res.users.apikeys) or header (auth.api.key)"
		if sub == "revoke" {
			what = "the kind of the keys to revoke: native (res.users.apikeys) or header (auth.api.key)"
		}
		kind = choiceFlag(fs, "kind", "", what, services.KeyNative, services.KeyHeader)
	}
	var scope, expires *string
	var allow, from *[]string
	var readOnly *bool
	if sub == "create" {
		scope = fs.String("scope", "", "`SCOPE` of a native key (default: global, which RPC and bearer routes accept)")
		expires = fs.String("expires", "", "expiry of the key: a date YYYY-MM-DD (the end of that day, UTC), a UTC datetime YYYY-MM-DD HH:MM[:SS], or a duration such as 30d, 2w or 12h; none makes a persistent key")
		allow = listFlag(fs, "allow", "a `MODEL:METHODS` pattern the key may call (repeatable): res.partner:read,search_read, sale.order:*, *:read; none allows every method")
		readOnly = boolFlag(fs, "read-only", "allow only the methods that never write (read, search*, name_search, fields_get, read_group, ...)")
		from = listFlag(fs, "from", "a source address range `CIDR` the key may be used from (repeatable); none allows every address")
	}
	return func(inv *invocation) error {
		var ids []int64
		if sub == "revoke" {
			for _, p := range inv.pos {
				id, err := strconv.ParseInt(p, 10, 64)
				if err != nil || id <= 0 {
					return usageError{fmt.Sprintf("%q is not a key id", p)}
				}
				ids = append(ids, id)
			}
			if len(ids) == 0 && *name == "" {
				return usageError{"name the keys to revoke: key ids, or --name\nUsage: " + lookupCommand("apikey revoke").usageLine()}
			}
		}
		var opts services.KeyOptions
		if sub == "create" {
			if *user == "" || *name == "" {
				return usageError{"--user and --name are required\nUsage: " + lookupCommand("apikey create").usageLine()}
			}
			opts = services.KeyOptions{Kind: *kind, Login: *user, Name: *name, Scope: *scope,
				Limits: services.KeyLimits{Allow: *allow, ReadOnly: *readOnly, From: *from}}
			if opts.Kind == services.KeyHeader && *scope != "" {
				return usageError{"--scope applies to native keys only"}
			}
			var err error
			if opts.Expires, err = parseExpiry(*expires, nowFunc()); err != nil {
				return usageError{err.Error()}
			}
		}

		return withDatabase(resolve, inv, *dbName, func(set *services.Set, db string) error {
			return runAPIKey(inv.stdout, set, db, sub, opts, services.KeyFilter{Kind: *kind, Login: *user, Name: *name, IDs: ids})
		})
	}
}

// withDatabase opens the database the command names (or the only one) and
// runs fn on it.
func withDatabase(resolve func() (*config, error), inv *invocation, dbName string, fn func(set *services.Set, db string) error) error {
	c, err := resolve()
	if err != nil {
		return err
	}
	store, set, db, err := openDatabase(c, inv.stderr, dbName)
	if err != nil {
		return err
	}
	defer store.Close()
	return fn(set, db)
}

// runAPIKey runs apikey create, list or revoke on db.
func runAPIKey(stdout io.Writer, set *services.Set, db, sub string, opts services.KeyOptions, filter services.KeyFilter) error {
	ctx := context.Background()
	switch sub {
	case "create":
		k, err := set.Database.CreateAPIKey(ctx, db, opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s API key %d %q for %s in %s (%s)\n", k.Kind, k.ID, k.Name, k.Login, db, describeKey(k.KeyInfo))
		fmt.Fprintln(stdout, "It is shown only this once; only its hash is stored. The key:")
		fmt.Fprintln(stdout, k.Clear)
		return nil
	case "list":
		keys, err := set.Database.ListAPIKeys(ctx, db, filter)
		if err != nil {
			return err
		}
		for _, k := range keys {
			fmt.Fprintln(stdout, strings.Join([]string{strconv.FormatInt(k.ID, 10), k.Kind, k.Name, k.Login,
				dash(k.Scope), dash(k.Expires), dash(k.LastUsed), k.State, dash(describeLimits(k.Limits))}, "\t"))
		}
		return nil
	default: // revoke
		keys, err := set.Database.RevokeAPIKeys(ctx, db, filter)
		if err != nil {
			return err
		}
		for _, k := range keys {
			fmt.Fprintf(stdout, "revoked %s API key %d %q of %s\n", k.Kind, k.ID, k.Name, k.Login)
		}
		return nil
	}
}

func describeKey(k services.KeyInfo) string {
	scope := "global scope"
	if k.Scope != "" {
		scope = "scope " + k.Scope
	}
	if k.Kind == services.KeyHeader {
		scope = "for the API-KEY header"
	}
	out := scope + ", persistent"
	if k.Expires != "" {
		out = scope + ", expires " + k.Expires + " UTC"
	}
	if l := describeLimits(k.Limits); l != "" {
		out += ", " + l
	}
	return out
}

// describeLimits shows a key's restrictions in one field: "read-only",
// "allow" and "from" followed by their lists, separated by "; ".
func describeLimits(l services.KeyLimits) string {
	var parts []string
	if l.ReadOnly {
		parts = append(parts, "read-only")
	}
	if len(l.Allow) > 0 {
		parts = append(parts, "allow "+strings.Join(l.Allow, " "))
	}
	if len(l.From) > 0 {
		parts = append(parts, "from "+strings.Join(l.From, " "))
	}
	return strings.Join(parts, "; ")
}

// defineAPIKeyRotate registers the flags of apikey rotate.
func defineAPIKeyRotate(fs *flag.FlagSet) action {
	resolve := addFlags(fs, storeKeys...)
	dbName := fs.String("db", "", "database `NAME` (default: the only database)")
	overlap := fs.String("overlap", "", "how long the old key keeps working, a `DURATION` such as 30d, 2w, 12h or 90m (default: none, it stops at once)")
	return func(inv *invocation) error {
		id, err := strconv.ParseInt(inv.pos[0], 10, 64)
		if err != nil || id <= 0 {
			return usageError{fmt.Sprintf("%q is not a key id", inv.pos[0])}
		}
		var d time.Duration
		if *overlap != "" {
			if d, err = parseDuration(*overlap); err != nil || d < 0 {
				return usageError{fmt.Sprintf("--overlap %q: expected a duration such as 30d, 2w, 12h or 90m", *overlap)}
			}
		}
		return withDatabase(resolve, inv, *dbName, func(set *services.Set, db string) error {
			k, err := set.Database.RotateAPIKey(context.Background(), db, id, d)
			if err != nil {
				return err
			}
			until := "the old key is revoked"
			if d > 0 {
				until = "the old key works for " + d.String() + " more (not past its own expiry)"
			}
			fmt.Fprintf(inv.stdout, "rotated native API key %d %q of %s in %s: new key %d (%s); %s\n", id, k.Name, k.Login, db, k.ID, describeKey(k.KeyInfo), until)
			fmt.Fprintln(inv.stdout, "It is shown only this once; only its hash is stored. The key:")
			fmt.Fprintln(inv.stdout, k.Clear)
			return nil
		})
	}
}

// defineAPIKeyAudit registers the flags of apikey audit.
func defineAPIKeyAudit(fs *flag.FlagSet) action {
	resolve := addFlags(fs, storeKeys...)
	dbName := fs.String("db", "", "database `NAME` (default: the only database)")
	key := fs.Int64("key", 0, "only the events of the key of this `ID`")
	since := fs.String("since", "", "only the events of the last `DURATION`, such as 7d, 2w or 12h")
	return func(inv *invocation) error {
		f := services.AuditFilter{KeyID: *key}
		if *since != "" {
			d, err := parseDuration(*since)
			if err != nil || d <= 0 {
				return usageError{fmt.Sprintf("--since %q: expected a duration such as 7d, 2w or 12h", *since)}
			}
			f.Since = nowFunc().Add(-d)
		}
		return withDatabase(resolve, inv, *dbName, func(set *services.Set, db string) error {
			rows, err := set.Database.KeyAudit(context.Background(), db, f)
			if err != nil {
				return err
			}
			for _, r := range rows {
				fmt.Fprintln(inv.stdout, strings.Join([]string{r.At, r.Event, r.Kind, strconv.FormatInt(r.KeyID, 10), dash(r.KeyName),
					strconv.FormatInt(r.UserID, 10), dash(r.IP), dash(r.Protocol), dash(r.Model), dash(r.Method), dash(r.UserAgent)}, "\t"))
			}
			return nil
		})
	}
}

// defineAPIKeyHash registers apikey hash, which needs no store.
func defineAPIKeyHash(fs *flag.FlagSet) action {
	return func(inv *invocation) error {
		line, err := bufio.NewReader(inv.stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		key := strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(key) == "" {
			return usageError{"give the key on standard input: godoo apikey hash < keyfile"}
		}
		fmt.Fprintln(inv.stdout, auth.ConfigKeyHash(key))
		return nil
	}
}

// parseDuration reads a duration of days (30d), weeks (2w) or anything
// time.ParseDuration reads (12h, 90m).
func parseDuration(s string) (time.Duration, error) {
	if m := durationRE.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return 0, err
		}
		if m[2] == "w" {
			n *= 7
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(strings.TrimSpace(s))
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

var durationRE = regexp.MustCompile(`^(\d+)([dw])$`)

// parseExpiry reads --expires: empty (or "never") for a persistent key, a
// date (valid to the end of that day, UTC), a UTC datetime, an RFC 3339
// time, or a duration from now (30d, 2w, 12h, 90m). The result must be in
// the future.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "never") || strings.EqualFold(s, "none") {
		return time.Time{}, nil
	}
	var t time.Time
	if d, err := parseDuration(s); err == nil {
		t = now.Add(d)
	} else if d, err := time.Parse("2006-01-02", s); err == nil {
		t = d.Add(24*time.Hour - time.Second)
	} else {
		for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", time.RFC3339} {
			if d, err := time.Parse(layout, s); err == nil {
				t = d
				break
			}
		}
		if t.IsZero() {
			return time.Time{}, fmt.Errorf("--expires %q: expected YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS] (UTC), RFC 3339, or a duration such as 30d, 2w, 12h", s)
		}
	}
	t = t.UTC().Truncate(time.Second)
	if !t.After(now) {
		return time.Time{}, fmt.Errorf("--expires %q is not in the future", s)
	}
	return t, nil
}
