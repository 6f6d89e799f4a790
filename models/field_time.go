package models

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/godoo/godoo/models/py"
)

// Odoo reads a written date with Python's datetime.strptime after cutting
// the text to the format's length, so the values it accepts (one-digit
// months and days, a datetime's text for a date) and the ValueErrors it
// raises are strptime's. The patterns below are the ones strptime compiles
// for %Y-%m-%d and %Y-%m-%d %H:%M:%S, alternatives in the same order, so
// that a prefix matches the same way.
var (
	strptimeDate     = regexp.MustCompile(`^(\d\d\d\d)-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])`)
	strptimeDatetime = regexp.MustCompile(`^(\d\d\d\d)-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])\s+(2[0-3]|[0-1]\d|\d):([0-5]\d|\d):(6[0-1]|[0-5]\d|\d)`)
)

// Lengths of Odoo's DATE_FORMAT and DATETIME_FORMAT texts, to which a value
// is cut before it is parsed.
const (
	dateLength     = len(DateLayout)
	datetimeLength = len(DatetimeLayout)
)

// parseOdooTime parses a written value of a date or datetime field as
// Odoo's Date.to_date and Datetime.to_datetime do, and returns it in the
// canonical layout godoo stores. Go times (from a codec) are accepted as
// they are.
func (f *Field) parseOdooTime(v any) (string, error) {
	layout := DatetimeLayout
	if f.Type == Date {
		layout = DateLayout
	}
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(layout), nil
	case string:
		t, err := strptime(x, f.Type == Date)
		if err != nil {
			return "", err
		}
		return t.Format(layout), nil
	}
	return "", ServerErrorf("builtins.TypeError", "strptime() argument 1 must be str, not %s", py.TypeName(v))
}

// strptime is Python's datetime.strptime of value cut to the length of the
// date or datetime format, a date alone being read as midnight for a
// datetime, with Python's error texts.
func strptime(value string, dateOnly bool) (time.Time, error) {
	re, format := strptimeDatetime, "%Y-%m-%d %H:%M:%S"
	if dateOnly {
		re, format = strptimeDate, "%Y-%m-%d"
		value = cutRunes(value, dateLength)
	} else {
		value = cutRunes(value, datetimeLength)
		if len([]rune(value)) == dateLength {
			value += " 00:00:00"
		}
	}
	m := re.FindStringSubmatch(value)
	if m == nil {
		return time.Time{}, ServerErrorf("builtins.ValueError", "time data %s does not match format %s", py.Repr(value), py.Repr(format))
	}
	if rest := value[len(m[0]):]; rest != "" {
		return time.Time{}, ServerErrorf("builtins.ValueError", "unconverted data remains: %s", rest)
	}
	n := make([]int, 7)
	for i := 1; i < len(m); i++ {
		n[i], _ = strconv.Atoi(strings.TrimSpace(m[i]))
	}
	year, month, day := n[1], n[2], n[3]
	if day > daysIn(year, month) {
		return time.Time{}, ServerErrorf("builtins.ValueError", "day is out of range for month")
	}
	if n[6] > 59 {
		return time.Time{}, ServerErrorf("builtins.ValueError", "second must be in 0..59")
	}
	return time.Date(year, time.Month(month), day, n[4], n[5], n[6], 0, time.UTC), nil
}

// cutRunes is Python's s[:n].
func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// domainTime checks a date or datetime compared in a domain and returns it
// in the stored layout. Odoo hands such values to PostgreSQL as they are,
// so a value PostgreSQL cannot read fails with its error, which godoo
// gives on both stores. A date field compared with a datetime's text
// keeps its date, as PostgreSQL's cast does.
func domainTime(f *Field, s string) (string, error) {
	sqlType := "timestamp"
	if f.Type == Date {
		sqlType = "date"
	}
	t := strings.TrimSpace(s)
	var layouts []string
	if f.Type == Date {
		layouts = []string{DateLayout, DatetimeLayout, "2006-01-02 15:04:05.999999", "2006-01-02T15:04:05", "2006-01-02 15:04"}
	} else {
		layouts = []string{DatetimeLayout, "2006-01-02 15:04:05.999999", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999", "2006-01-02 15:04", DateLayout}
	}
	for _, l := range layouts {
		if v, err := time.Parse(l, t); err == nil {
			if f.Type == Date {
				return v.Format(DateLayout), nil
			}
			return v.Format(DatetimeLayout), nil
		} else if pe, ok := err.(*time.ParseError); ok && strings.Contains(pe.Message, "out of range") {
			return "", ServerErrorf("psycopg2.errors.DatetimeFieldOverflow", "date/time field value out of range: \"%s\"", s)
		}
	}
	return "", ServerErrorf("psycopg2.errors.InvalidDatetimeFormat", "invalid input syntax for type %s: \"%s\"", sqlType, s)
}
