package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Meta describes the run a report comes from.
type Meta struct {
	// Command is the command line that made the report.
	Command string `json:"command"`
	// Store is "PostgreSQL" or "SQLite", StoreVersion the server's version.
	Store        string `json:"store"`
	StoreVersion string `json:"store_version"`
	// Server says which godoo the scenarios called.
	Server string `json:"server"`
	// Partners is the number of res.partner rows seeded; Matching those
	// the search_read domain finds (active companies).
	Partners int `json:"partners"`
	Matching int `json:"matching"`
	// Keys is the number of native API keys in the table.
	Keys      int           `json:"keys"`
	Clients   []int         `json:"clients"`
	Duration  time.Duration `json:"duration_ns"`
	Warmup    time.Duration `json:"warmup_ns"`
	Pairs     int           `json:"pairs"`
	CPUs      int           `json:"cpus"`
	GoVersion string        `json:"go_version"`
	Platform  string        `json:"platform"`
	Started   time.Time     `json:"started"`
	// LoadBefore and LoadAfter are the machine's 1-minute load average
	// when the runs started and ended ("" when unknown).
	LoadBefore string `json:"load_average_before,omitempty"`
	LoadAfter  string `json:"load_average_after,omitempty"`
}

// Report is the outcome of godoo bench: the run's description, one result
// per scenario and number of clients, and the comparisons drawn from them.
type Report struct {
	Meta        Meta         `json:"meta"`
	Results     []Result     `json:"results"`
	Comparisons []Comparison `json:"comparisons"`
	// Soak is the soak run, when there was one.
	Soak *SoakResult `json:"soak,omitempty"`
}

// Comparison is the throughput of one scenario divided by another's, at the
// same number of clients, or of one scenario at two numbers of clients.
type Comparison struct {
	What string `json:"what"`
	// Clients is the number of clients, or "128/32" for a scaling measure.
	Clients string `json:"clients"`
	// Value is the quotient of the median calls/s; OK is false, and Why
	// says why, when either side had errors.
	Value float64 `json:"value"`
	OK    bool    `json:"ok"`
	Why   string  `json:"why,omitempty"`
	// Normalised is the quotient of the two scenarios' ratios to SQL:
	// scenarios measured minutes apart on a busy machine compare better so,
	// since each ratio comes from runs interleaved with its own yardstick.
	// NormalisedOK is false when either has no ratio, and for scaling
	// measures.
	Normalised   float64 `json:"normalised,omitempty"`
	NormalisedOK bool    `json:"normalised_ok"`
}

// comparisons are the quotients the report derives: each names two
// scenarios, the measured one first.
var comparisons = []struct{ what, a, b string }{
	{"XML-RPC search_read: valid key ÷ auth off", "xml-key", "xml-noauth"},
	{"JSON-RPC search_read: valid key ÷ auth off", "json-key", "json-noauth"},
	{"XML-RPC search_read: password ÷ key", "xml-password", "xml-key"},
	{"XML-RPC search_read: restricted key ÷ unrestricted", "xml-key-restricted", "xml-key"},
	{"XML-RPC search_read: key caches emptied ÷ warm", "xml-key-cold", "xml-key"},
	{"XML-RPC search_read: during a wrong-key flood ÷ without", "flood", "xml-key"},
}

// scaling are the scenarios whose throughput is compared between
// successive numbers of clients.
var scaling = []string{"xml-key", "json-key"}

// NewReport builds the report of results, with its comparisons.
func NewReport(meta Meta, results []Result) Report {
	return Report{Meta: meta, Results: results, Comparisons: compare(results)}
}

func compare(results []Result) []Comparison {
	find := func(id string, clients int) *Result {
		for i := range results {
			if results[i].Scenario == id && results[i].Clients == clients {
				return &results[i]
			}
		}
		return nil
	}
	var clients []int
	for _, r := range results {
		if len(clients) == 0 || clients[len(clients)-1] != r.Clients {
			clients = append(clients, r.Clients)
		}
	}
	quotient := func(what, label string, a, b *Result) Comparison {
		c := Comparison{What: what, Clients: label}
		switch {
		case a.Errors > 0 || b.Errors > 0 || a.FloodErrors > 0 || b.FloodErrors > 0:
			c.Why = "errors"
		case b.Rate.Median == 0:
			c.Why = "no calls"
		default:
			c.Value, c.OK = a.Rate.Median/b.Rate.Median, true
		}
		return c
	}
	normalise := func(c Comparison, a, b *Result) Comparison {
		if c.OK && a.Ratio.OK && b.Ratio.OK && b.Ratio.Median > 0 {
			c.Normalised, c.NormalisedOK = a.Ratio.Median/b.Ratio.Median, true
		}
		return c
	}
	var out []Comparison
	for _, cmp := range comparisons {
		for _, n := range clients {
			a, b := find(cmp.a, n), find(cmp.b, n)
			if a != nil && b != nil {
				out = append(out, normalise(quotient(cmp.what, fmt.Sprint(n), a, b), a, b))
			}
		}
	}
	for _, id := range scaling {
		for i := 1; i < len(clients); i++ {
			a, b := find(id, clients[i]), find(id, clients[i-1])
			if a != nil && b != nil {
				out = append(out, quotient(a.Title+": more clients", fmt.Sprintf("%d/%d", clients[i], clients[i-1]), a, b))
			}
		}
	}
	return out
}

// WriteJSON writes the report as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteMarkdown writes the report as Markdown: a description of the run, the
// results table, the comparisons and the first error of each failing row.
func (r Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	m := r.Meta
	fmt.Fprintf(&b, "godoo bench on %s %s: %d partners (%d match the search_read domain), %d API keys; ",
		m.Store, m.StoreVersion, m.Partners, m.Matching, m.Keys)
	if len(r.Results) > 0 {
		fmt.Fprintf(&b, "%d pairs of %s runs after a %s warm-up; ", m.Pairs, m.Duration, m.Warmup)
	}
	if r.Soak != nil {
		fmt.Fprintf(&b, "a soak of %s with %d clients; ", m.Duration, r.Soak.Clients)
	}
	fmt.Fprintf(&b, "%d CPUs, %s, %s; %s", m.CPUs, m.GoVersion, m.Platform, m.Started.UTC().Format("2006-01-02 15:04 UTC"))
	if m.LoadBefore != "" {
		fmt.Fprintf(&b, ", load average %s at the start and %s at the end", m.LoadBefore, m.LoadAfter)
	}
	b.WriteString(".\n")
	if m.Command != "" {
		fmt.Fprintf(&b, "Command: `%s`. ", m.Command)
	}
	fmt.Fprintf(&b, "Server: %s.\n", m.Server)
	plain, curves := splitCurves(r.Results)
	if len(plain) > 0 {
		b.WriteString("\n| scenario | clients | calls/s | p50 ms | p95 ms | p99 ms | max ms | errors | SQL calls/s | godoo ÷ SQL: median (min–max) | server peak RSS |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n")
	}
	var notes []string
	for _, res := range plain {
		errs := fmt.Sprint(res.Errors + res.FloodErrors)
		if res.SQLErrors > 0 {
			errs += fmt.Sprintf(" (SQL %d)", res.SQLErrors)
		}
		fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %s | %s | %s | %.0f | %s | %s |\n",
			res.Title, res.Clients, res.Rate.Median, msCell(res.Latency.P50), msCell(res.Latency.P95),
			msCell(res.Latency.P99), msCell(res.Latency.Max), errs, res.SQLRate.Median, ratioCell(res.Ratio), rssCell(res.PeakRSS))
		if res.FirstError != "" {
			notes = append(notes, fmt.Sprintf("%s, %d clients: %s", res.Title, res.Clients, oneLine(res.FirstError)))
		}
		if res.SQLFirstError != "" {
			notes = append(notes, fmt.Sprintf("%s, %d clients, SQL: %s", res.Title, res.Clients, oneLine(res.SQLFirstError)))
		}
		if res.FloodRate > 0 {
			notes = append(notes, fmt.Sprintf("%s, %d clients: the flood made %.0f refused calls/s", res.Title, res.Clients, res.FloodRate))
		}
	}
	writeCurves(&b, curves)
	for _, res := range curves {
		if res.FirstError != "" {
			notes = append(notes, fmt.Sprintf("%s, %d clients: %s", res.Title, res.Clients, oneLine(res.FirstError)))
		}
		if res.SQLFirstError != "" {
			notes = append(notes, fmt.Sprintf("%s, %d clients, SQL: %s", res.Title, res.Clients, oneLine(res.SQLFirstError)))
		}
	}
	if len(r.Comparisons) > 0 {
		b.WriteString("\n| comparison | clients | quotient of calls/s | quotient of the ratios to SQL |\n|---|---:|---:|---:|\n")
		for _, c := range r.Comparisons {
			v, n := "n/a ("+c.Why+")", "–"
			if c.OK {
				v = fmt.Sprintf("%.2f", c.Value)
			}
			if c.NormalisedOK {
				n = fmt.Sprintf("%.2f", c.Normalised)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.What, c.Clients, v, n)
		}
	}
	if len(notes) > 0 {
		b.WriteString("\n")
		for _, n := range notes {
			b.WriteString("- " + n + "\n")
		}
	}
	if r.Soak != nil {
		writeSoak(&b, r.Soak)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSoak writes the soak's verdict, its memory samples and its calls by
// kind.
func writeSoak(b *strings.Builder, s *SoakResult) {
	verdict := "pass"
	if !s.OK {
		verdict = "FAIL: " + s.Why
	}
	fmt.Fprintf(b, "\nSoak, %d clients for %s: %d calls (%.0f/s), %d errors, p50 %s ms, p99 %s ms, max %s ms; server RSS %s after the first sample, %s at the end (%+.1f%%). Verdict: %s.\n",
		s.Clients, s.Elapsed.Round(time.Second), s.Calls, s.Rate(), s.Errors, msCell(s.Latency.P50), msCell(s.Latency.P99), msCell(s.Latency.Max),
		rssCell(s.FirstRSS), rssCell(s.EndRSS), 100*s.Growth, verdict)
	if len(s.Samples) > 0 {
		b.WriteString("\nServer RSS:")
		for i, sm := range s.Samples {
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(b, "%s %s %s", sep, sm.At.Round(time.Second), rssCell(sm.RSS))
		}
		b.WriteString(".\n")
	}
	b.WriteString("\n| soak call | calls | errors | first error |\n|---|---:|---:|---|\n")
	for _, op := range s.Ops {
		fmt.Fprintf(b, "| %s | %d | %d | %s |\n", op.Name, op.Calls, op.Errors, oneLine(op.FirstError))
	}
}

func msCell(d time.Duration) string {
	return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond))
}

func ratioCell(r Ratio) string {
	if !r.OK {
		return "n/a (" + r.Why + ")"
	}
	return fmt.Sprintf("%.2f (%.2f–%.2f)", r.Median, r.Min, r.Max)
}

func rssCell(n int64) string {
	if n <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// oneLine keeps an error message on one table-friendly line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// MarshalJSON writes the percentiles in milliseconds.
func (l Latency) MarshalJSON() ([]byte, error) {
	f := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return json.Marshal(map[string]float64{"p50_ms": f(l.P50), "p95_ms": f(l.P95), "p99_ms": f(l.P99), "max_ms": f(l.Max)})
}

// splitCurves separates the growth scenarios' results from the others.
func splitCurves(results []Result) (plain, curves []Result) {
	for _, r := range results {
		if r.Size > 0 {
			curves = append(curves, r)
		} else {
			plain = append(plain, r)
		}
	}
	return plain, curves
}

// writeCurves writes one table per growth measure and number of clients:
// each size with its calls/s, time per unit (per record of the answer for
// grow-records, per call otherwise), that time divided by the reference
// size's (refOf),
// the ratio to SQL and the server's peak memory.
func writeCurves(b *strings.Builder, curves []Result) {
	type key struct {
		curve   string
		clients int
	}
	var order []key
	byKey := map[key][]Result{}
	for _, r := range curves {
		k := key{r.Curve, r.Clients}
		if byKey[k] == nil {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], r)
	}
	for _, k := range order {
		rs := byKey[k]
		fmt.Fprintf(b, "\n%s (%s), %d clients:\n\n", k.curve, rs[0].Scenario, k.clients)
		fmt.Fprintf(b, "| size | calls/s | time per %s | ÷ size %d | p50 ms | errors | SQL calls/s | godoo ÷ SQL: median (min–max) | server peak RSS |\n", rs[0].Unit, refOf(rs).Size)
		b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---|---:|\n")
		first := UnitTime(refOf(rs))
		for _, r := range rs {
			t := UnitTime(r)
			rel := "–"
			if first > 0 && t > 0 {
				rel = fmt.Sprintf("%.2f", float64(t)/float64(first))
			}
			fmt.Fprintf(b, "| %d | %.0f | %s | %s | %s | %d | %.0f | %s | %s |\n", r.Size, r.Rate.Median, unitCell(t), rel,
				msCell(r.Latency.P50), r.Errors, r.SQLRate.Median, ratioCell(r.Ratio), rssCell(r.PeakRSS))
		}
	}
}

// RefSizes are the sizes the targets compare a growth scenario's times
// with, when measured: a search_read of 80 records for grow-records and
// custom-50. The others compare with their first size.
var RefSizes = map[string]int{"grow-records": SearchReadLimit, "custom-50": SearchReadLimit}

// refOf is the result of rs, one curve, that the others are compared with.
func refOf(rs []Result) Result {
	for _, r := range rs {
		if r.Size == RefSizes[r.Scenario] {
			return r
		}
	}
	return rs[0]
}

// UnitTime is a growth result's time per unit: one call divided by its
// records for grow-records, one call otherwise; 0 without calls.
func UnitTime(r Result) time.Duration {
	if r.Rate.Median <= 0 {
		return 0
	}
	per := float64(time.Second) / r.Rate.Median
	if r.Unit == "record" && r.Size > 0 {
		per /= float64(r.Size)
	}
	return time.Duration(per)
}

// unitCell writes a time per unit in the unit that keeps it readable.
func unitCell(d time.Duration) string {
	switch {
	case d <= 0:
		return "n/a"
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
	}
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}
