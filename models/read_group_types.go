package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/godoo/godoo/models/py"
)

// Grouping by each field type, as Odoo 18's read_group does it: a date or
// datetime by a granularity (its groups labelled as the en_US locale
// labels them, with the domain and the __range of the period), a many2many
// by each linked record (a record is in the group of each of its links,
// and in the False group when it has none), any other stored field by its
// value.

// granularities are the periods a date or datetime is grouped by.
var granularities = map[string]bool{"hour": true, "day": true, "week": true, "month": true, "quarter": true, "year": true}

// numberGranularities group a date or datetime by one of its parts, an
// integer (the parts a domain path such as birthday.month_number reads).
var numberGranularities = map[string]bool{"year_number": true, "quarter_number": true, "month_number": true,
	"iso_week_number": true, "day_of_year": true, "day_of_month": true, "day_of_week": true, "hour_number": true,
	"minute_number": true, "second_number": true}

// checkGranularity returns Odoo's error for a groupby spec whose
// granularity is unknown or set on a field that is no date.
func checkGranularity(f *Field, spec, gran string) error {
	if gran == "" {
		return nil
	}
	if f.Type != Date && f.Type != Datetime {
		return ServerErrorf("builtins.ValueError", "Granularity set on a no-datetime field or property: %s", py.Repr(spec))
	}
	if !granularities[gran] && !numberGranularities[gran] {
		return ServerErrorf("builtins.ValueError", "Granularity specification isn't correct: %s", py.Repr(gran))
	}
	return nil
}

// groupJoin is the join a groupby needs: the link table of a many2many,
// left-joined so that records without links form the False group. As
// Odoo's, it joins only the links to comodel records the read rules let
// the user see, so that a record hidden from the user names no group. The
// rules are asked about the comodel records linked to the grouped records
// (those of w, the read_group's condition on alias t0) alone: a rule that
// lists records by id (RuleScope.Followed) would otherwise list those of
// every link in the table, an IN list that grows with the table and may
// pass PostgreSQL's limit on a statement's parameters.
func (env *Env) groupJoin(ctx context.Context, m *Model, w where, s groupSpec) (string, []any, error) {
	f := s.field
	if f.Type != Many2many {
		return "", nil, nil
	}
	a := "g" + strconv.Itoa(s.pos)
	join := " LEFT JOIN " + f.RelTable + " " + a + " ON " + a + "." + f.RelCol + " = t0.id"
	co := env.Registry.Model(f.Relation)
	linked := where{sql: "t0.id IN (SELECT " + f.RelOther + " FROM " + f.RelTable + " WHERE " + f.RelCol +
		" IN (SELECT t0.id FROM " + m.Table + " t0 WHERE " + w.sql + "))", args: w.args}
	rw, ok, err := env.ruleWhere(ctx, co, OpRead, RuleScope{m: co, w: linked})
	if err != nil || !ok {
		return join, nil, err
	}
	return join + " AND " + a + "." + f.RelOther + " IN (SELECT t0.id FROM " + co.Table + " t0 WHERE " + rw.sql + ")", rw.args, nil
}

// groupColumn is the column a groupby reads: the linked id of a
// many2many's join, the field's column otherwise.
func groupColumn(s groupSpec) string {
	if s.field.Type == Many2many {
		return "g" + strconv.Itoa(s.pos) + "." + s.field.RelOther
	}
	if s.col != "" {
		return s.col
	}
	return "t0." + s.field.Column
}

// groupExpr is the SQL expression grouping on s, truncating dates to the
// granularity on either dialect; datetimes are first moved to the context's
// time zone, as Odoo groups them by the user's days and months. Weeks
// start on Sunday, as en_US's (Odoo 18 starts them on the language's first
// day).
func (env *Env) groupExpr(s groupSpec) (string, []any) {
	col := groupColumn(s)
	if s.gran == "" {
		return col, nil
	}
	var args []any
	if s.tz != nil {
		args = []any{s.tz.String()}
		if env.Dialect == "pg" {
			col = "timezone(CAST(? AS TEXT), timezone('UTC', " + col + "))"
		} else {
			col = "godoo_tz(" + col + ", ?)" // registered by the SQLite store
		}
	}
	if numberGranularities[s.gran] {
		part, _ := (&domainCompiler{env: env}).datePart(col, s.gran)
		return part, args
	}
	// A week starting on another day than Monday is truncated as if it
	// started on Monday, shifted by the days between.
	shift := strconv.Itoa((8 - max(s.weekStart, 1)) % 7)
	if env.Dialect == "pg" {
		if s.gran == "week" {
			return "(date_trunc('week', CAST(" + col + " AS TIMESTAMP) + INTERVAL '" + shift + " days') - INTERVAL '" + shift + " days')", args
		}
		return "date_trunc('" + s.gran + "', CAST(" + col + " AS TIMESTAMP))", args
	}
	switch s.gran {
	case "hour":
		return "strftime('%Y-%m-%d %H:00:00', " + col + ")", args
	case "day":
		return "strftime('%Y-%m-%d 00:00:00', " + col + ")", args
	case "week":
		return "strftime('%Y-%m-%d 00:00:00', " + col + ", '+" + shift + " days', '-6 days', 'weekday 1', '-" + shift + " days')", args
	case "month":
		return "strftime('%Y-%m-01 00:00:00', " + col + ")", args
	case "quarter":
		// col appears twice: so does its argument.
		return "(strftime('%Y', " + col + ") || '-' || printf('%02d', ((CAST(strftime('%m', " + col + ") AS INTEGER) - 1) / 3) * 3 + 1) || '-01 00:00:00')",
			append(args, args...)
	}
	return "strftime('%Y-01-01 00:00:00', " + col + ")", args
}

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// periodLabel is the label of the period starting at t, as Odoo formats
// it with babel in en_US: "10 Jun 2024", "W53 2022", "June 2024",
// "Q2 2024", "2024", "01:00 10 Jun" (a 12-hour clock, as babel's hh).
func periodLabel(gran string, t time.Time) string {
	switch gran {
	case "hour":
		return t.Format("03:00 02 Jan")
	case "day":
		return t.Format("02 Jan 2006")
	case "week":
		year, week := weekNumber(t)
		return "W" + strconv.Itoa(week) + " " + strconv.Itoa(year)
	case "month":
		return monthNames[t.Month()-1] + " " + t.Format("2006")
	case "quarter":
		return "Q" + strconv.Itoa(int(t.Month()-1)/3+1) + " " + t.Format("2006")
	}
	return t.Format("2006")
}

// weekNumber is the year and number of the week of t as Odoo labels it
// in en_US (babel's first day of the week, Sunday): the first week of a
// year is the one holding the 1st of January, so the last days of December
// may be in week 1 of the next year; a week that starts on another day
// (the language's week_start) is numbered by the day it starts on.
func weekNumber(t time.Time) (int, int) {
	sunday := func(d time.Time) time.Time { return d.AddDate(0, 0, -int(d.Weekday())) }
	next := sunday(time.Date(t.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC))
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if !day.Before(next) {
		return t.Year() + 1, 1
	}
	first := sunday(time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC))
	return t.Year(), int(day.Sub(first).Hours()/24)/7 + 1
}

// weekStart is the first day of the week of the context's language (1
// Monday ... 7 Sunday), from res.lang's week_start when a model of that
// table declares it; Sunday, en_US's, otherwise.
func (env *Env) weekStart(ctx context.Context) (int, error) {
	var col string
	for _, name := range env.Registry.Names() {
		m := env.Registry.Model(name)
		if f := m.Fields["week_start"]; m.Table == "res_lang" && f != nil && f.Stored() {
			col = f.Column
			break
		}
	}
	if col == "" {
		return 7, nil
	}
	lang, _ := env.Context["lang"].(string)
	if lang == "" {
		lang = "en_US"
	}
	var v any
	found, err := env.Scalar(ctx, &v, "SELECT "+col+" FROM res_lang WHERE code = ?", lang)
	if err != nil || !found {
		return 7, err
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	n, err := strconv.Atoi(fmt.Sprint(v))
	if err != nil || n < 1 || n > 7 {
		return 7, nil
	}
	return n, nil
}

// periodEnd is the start of the period after the one starting at t.
func periodEnd(gran string, t time.Time) time.Time {
	switch gran {
	case "hour":
		return t.Add(time.Hour)
	case "day":
		return t.AddDate(0, 0, 1)
	case "week":
		return t.AddDate(0, 0, 7)
	case "month":
		return t.AddDate(0, 1, 0)
	case "quarter":
		return t.AddDate(0, 3, 0)
	}
	return t.AddDate(1, 0, 0)
}

// groupValue turns a grouped value into what read_group returns, the
// domain terms that select the group, and for a date the group's
// __range entry ({"from", "to"}, or False for the group of empty dates;
// nil for other fields). A many2many's False group is the records linked
// to nothing, as Odoo 18 writes it: (field, "not any", [(1, "=", 1)]).
func (env *Env) groupValue(s groupSpec, v any) (any, []any, any) {
	f := s.field
	if v == nil {
		if f.Type == Many2many {
			return false, []any{[]any{f.Name, "not any", []any{[]any{int64(1), "=", int64(1)}}}}, nil
		}
		if s.gran != "" {
			return false, []any{[]any{f.Name, "=", false}}, false
		}
		return false, []any{[]any{f.Name, "=", false}}, nil
	}
	if numberGranularities[s.gran] {
		n, _ := ToInt64(v)
		return n, []any{[]any{f.Name + "." + s.gran, "=", n}}, nil
	}
	if s.gran == "" {
		val := f.fromDB(v)
		if f.Type == Many2many {
			val, _ = ToInt64(v)
		}
		return val, []any{[]any{f.Name, "=", val}}, nil
	}
	start := FormatTime(v, DatetimeLayout)
	ss, _ := start.(string)
	t, err := parseWire(ss)
	if err != nil {
		return false, nil, false
	}
	end := periodEnd(s.gran, t)
	label := periodLabel(s.gran, t)
	layout := DatetimeLayout
	if f.Type == Date {
		layout = DateLayout
	}
	if s.tz != nil {
		// The period's bounds are local times; the domain compares UTC.
		t, end = inZone(t, s.tz), inZone(end, s.tz)
	}
	from, to := t.Format(layout), end.Format(layout)
	return label, []any{"&", []any{f.Name, ">=", from}, []any{f.Name, "<", to}}, map[string]any{"from": from, "to": to}
}

// inZone reads the wall time of t in loc and returns that instant in UTC.
func inZone(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc).UTC()
}
