package pgstore

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/lib/pq"
)

// params are libpq connection parameters (host, port, user, sslmode, …).
type params map[string]string

// parseDSN reads a postgres:// or postgresql:// URL or a libpq key=value
// string. An empty string is valid: every parameter then takes its default.
func parseDSN(dsn string) (params, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		kv, err := pq.ParseURL(dsn)
		if err != nil {
			return nil, err
		}
		dsn = kv
	}
	return parseKV(dsn)
}

// parseKV parses libpq's key=value syntax: values are bare words or single
// quoted, and a backslash escapes the next character in both.
func parseKV(s string) (params, error) {
	p := params{}
	r := []rune(s)
	i := 0
	skip := func() {
		for i < len(r) && unicode.IsSpace(r[i]) {
			i++
		}
	}
	for {
		skip()
		if i == len(r) {
			return p, nil
		}
		start := i
		for i < len(r) && r[i] != '=' && !unicode.IsSpace(r[i]) {
			i++
		}
		key := string(r[start:i])
		skip()
		if i == len(r) || r[i] != '=' {
			return nil, fmt.Errorf("missing \"=\" after %q in connection string", key)
		}
		i++
		skip()
		var val []rune
		quoted := i < len(r) && r[i] == '\''
		if quoted {
			i++
		}
		for ; i < len(r); i++ {
			c := r[i]
			if quoted && c == '\'' {
				break
			}
			if !quoted && unicode.IsSpace(c) {
				break
			}
			if c == '\\' {
				i++
				if i == len(r) {
					return nil, fmt.Errorf("missing character after backslash in connection string")
				}
				c = r[i]
			}
			val = append(val, c)
		}
		if quoted {
			if i == len(r) {
				return nil, fmt.Errorf("unterminated quoted value in connection string")
			}
			i++
		}
		p[key] = string(val)
	}
}

// withDB returns the key=value connection string of p for database name.
func (p params) withDB(name string) string {
	q := maps.Clone(p)
	q["dbname"] = name
	esc := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k + "='" + esc.Replace(q[k]) + "'")
	}
	return b.String()
}
