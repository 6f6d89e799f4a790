package main

import (
	"context"
	"flag"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/godoo/godoo/services"
)

var apikeyCreateCommand = &command{path: "apikey create",
	synopsis: "--user LOGIN --name NAME [--db NAME] [--kind native|header] [--scope SCOPE] [--expires DATE|DATETIME|DURATION]",
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

const apikeyHelp = `
Native keys (res.users.apikeys) go in the password slot of login,
authenticate, execute and execute_kw; header keys (auth.api.key) go in the
API-KEY header of the routes that accept it. create prints the clear key
alone on its last line, once: only its hash is stored. list prints one line
per key, tab-separated: id, kind, name, user, scope, expiration, last used,
state ("-" for none; times are UTC). revoke removes keys of one kind (native
unless --kind header) by id or by name.
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
	if sub == "create" {
		scope = fs.String("scope", "", "`SCOPE` of a native key (default: global, which RPC and bearer routes accept)")
		expires = fs.String("expires", "", "expiry of a native key: a date YYYY-MM-DD (the end of that day, UTC), a UTC datetime YYYY-MM-DD HH:MM[:SS], or a duration such as 30d, 2w or 12h; none makes a persistent key")
	}
	return func(inv *invocation) error {
		stdout := inv.stdout
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
			opts = services.KeyOptions{Kind: *kind, Login: *user, Name: *name, Scope: *scope}
			if opts.Kind == services.KeyHeader && (*scope != "" || *expires != "") {
				return usageError{"--scope and --expires apply to native keys only"}
			}
			var err error
			if opts.Expires, err = parseExpiry(*expires, nowFunc()); err != nil {
				return usageError{err.Error()}
			}
		}

		c, err := resolve()
		if err != nil {
			return err
		}
		store, set, db, err := openDatabase(c, inv.stderr, *dbName)
		if err != nil {
			return err
		}
		defer store.Close()
		ctx := context.Background()
		filter := services.KeyFilter{Kind: *kind, Login: *user, Name: *name, IDs: ids}
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
					dash(k.Scope), dash(k.Expires), dash(k.LastUsed), k.State}, "\t"))
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
}

func describeKey(k services.KeyInfo) string {
	if k.Kind == services.KeyHeader {
		return "for the API-KEY header"
	}
	scope := "global scope"
	if k.Scope != "" {
		scope = "scope " + k.Scope
	}
	if k.Expires == "" {
		return scope + ", persistent"
	}
	return scope + ", expires " + k.Expires + " UTC"
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
	if m := durationRE.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return time.Time{}, fmt.Errorf("--expires %q: %v", s, err)
		}
		days := n
		if m[2] == "w" {
			days *= 7
		}
		t = now.AddDate(0, 0, days)
	} else if d, err := time.ParseDuration(s); err == nil {
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
