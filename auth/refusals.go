package auth

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"
)

// Reasons of refused attempts, as the aggregated log line counts them.
const (
	ReasonPassword = "password" // a wrong password, login or uid
	ReasonKey      = "key"      // a wrong API key in the password slot
	ReasonCooldown = "cooldown" // refused unchecked: the address is cooled down
	ReasonHeader   = "header_key"
	ReasonBearer   = "bearer_key"
	// ReasonKeyAddress is a right key used from outside its allowed
	// networks.
	ReasonKeyAddress = "key_address"
)

// refusalLog gathers refused attempts and writes one line per source address
// and minute, with their count, instead of one line per attempt: a flood of
// 2 000 guesses wrote 4 500 lines before. A minute's lines are written when
// the first refusal of a later minute arrives, or when FlushRefusals runs
// (every few seconds in a serving process, and at its end).
//
// The lines name the source, the databases, the logins tried (a few of
// each) and how many attempts each reason refused; never a secret.
type refusalLog struct {
	mu     sync.Mutex
	minute time.Time
	by     map[string]*refusals
	// other gathers the sources beyond maxRefusalSources in one minute, so
	// that a flood from ever new addresses costs bounded memory and lines.
	other *refusals
}

// refusals are one source's refused attempts in one minute.
type refusals struct {
	count   int
	reasons map[string]int
	dbs     []string
	logins  []string
	sources int // for the line of the other sources
}

// maxRefusalSources bounds the sources of one minute that get a line each.
const maxRefusalSources = 10000

// maxListed bounds the databases and logins a line names; maxLoginLen the
// length of a login as written.
const (
	maxListed   = 5
	maxLoginLen = 64
)

// note counts a refused attempt from source at now. It returns the lines of
// the previous minute when now starts a new one.
func (l *refusalLog) note(now time.Time, source, dbname, login, reason string) []refusalLine {
	minute := now.UTC().Truncate(time.Minute)
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []refusalLine
	if !minute.Equal(l.minute) {
		out = l.drain()
		l.minute = minute
	}
	if l.by == nil {
		l.by = map[string]*refusals{}
	}
	r := l.by[source]
	if r == nil {
		if len(l.by) >= maxRefusalSources {
			if l.other == nil {
				l.other = &refusals{}
			}
			r = l.other
			r.sources++
		} else {
			r = &refusals{}
			l.by[source] = r
		}
	}
	r.count++
	if r.reasons == nil {
		r.reasons = map[string]int{}
	}
	r.reasons[reason]++
	r.dbs = addListed(r.dbs, dbname)
	if len(login) > maxLoginLen {
		login = login[:maxLoginLen]
	}
	if login != "" {
		r.logins = addListed(r.logins, login)
	}
	return out
}

// flush returns the lines of the minute in progress when it ended before
// now, or whatever the minute is when all is true.
func (l *refusalLog) flush(now time.Time, all bool) []refusalLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !all && !now.UTC().Truncate(time.Minute).After(l.minute) {
		return nil
	}
	return l.drain()
}

// drain empties the minute and returns its lines, sorted by source. The
// caller holds l.mu.
func (l *refusalLog) drain() []refusalLine {
	out := make([]refusalLine, 0, len(l.by)+1)
	for src, r := range l.by {
		out = append(out, refusalLine{minute: l.minute, source: src, r: *r})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].source < out[j].source })
	if l.other != nil {
		out = append(out, refusalLine{minute: l.minute, r: *l.other})
	}
	l.by, l.other = nil, nil
	return out
}

func addListed(list []string, s string) []string {
	if len(list) > maxListed {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	if len(list) == maxListed {
		return append(list, "…")
	}
	return append(list, s)
}

// refusalLine is one line to write.
type refusalLine struct {
	minute time.Time
	source string // empty for the line of the other sources
	r      refusals
}

func (ln refusalLine) write(log *slog.Logger) {
	level := slog.LevelInfo
	if ln.r.reasons[ReasonCooldown] > 0 {
		level = slog.LevelWarn // as Odoo warns of a login attempt during a cool-down
	}
	attrs := make([]slog.Attr, 0, 8)
	if ln.source != "" {
		attrs = append(attrs, slog.String("source", ln.source))
	} else {
		attrs = append(attrs, slog.Int("other_sources", ln.r.sources))
	}
	attrs = append(attrs, slog.Time("minute", ln.minute), slog.Int("count", ln.r.count),
		slog.String("db", strings.Join(ln.r.dbs, ",")))
	if len(ln.r.logins) > 0 {
		attrs = append(attrs, slog.String("login", strings.Join(ln.r.logins, ",")))
	}
	reasons := make([]string, 0, len(ln.r.reasons))
	for k := range ln.r.reasons {
		reasons = append(reasons, k)
	}
	sort.Strings(reasons)
	for _, k := range reasons {
		attrs = append(attrs, slog.Int(k, ln.r.reasons[k]))
	}
	log.LogAttrs(context.Background(), level, "refused attempts", attrs...)
}

// Refused counts a refused attempt from source (the client address) on
// database dbname for login (empty when there is none) in the aggregated
// log: one line per source and minute. Callers outside auth use it for the
// refusals they decide themselves; reason is a short word, never a secret.
func (a *Authenticator) Refused(source, dbname, login, reason string) {
	for _, ln := range a.refusals.note(a.Now(), source, dbname, login, reason) {
		ln.write(a.Log)
	}
}

// FlushRefusals writes the aggregated lines of a minute that is over, or of
// the minute in progress too when final is true (at shutdown).
func (a *Authenticator) FlushRefusals(final bool) {
	for _, ln := range a.refusals.flush(a.Now(), final) {
		ln.write(a.Log)
	}
}
