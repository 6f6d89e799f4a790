package models

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/godoo/godoo/models/py"
)

// Odoo reads a written date with Python's datetime.strptime, after
// cutting the text to the date format's length, and a datetime with the
// datetime format cut to the text's length less two (Odoo 18's
// Datetime.to_datetime), so the values it accepts (one-digit months and
// days, a datetime's text for a date, a date alone for a datetime) and the
// ValueErrors it raises are strptime's. strptimeDirectives are the
// patterns strptime compiles for each directive, alternatives in the same
// order, so that a prefix matches the same way.
var strptimeDirectives = map[byte]string{
	'Y': `(\d\d\d\d)`,
	'm': `(1[0-2]|0[1-9]|[1-9])`,
	'd': `(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])`,
	'H': `(2[0-3]|[0-1]\d|\d)`,
	'M': `([0-5]\d|\d)`,
	'S': `(6[0-1]|[0-5]\d|\d)`,
}

// Odoo's DATE_FORMAT and DATETIME_FORMAT.
const (
	dateFormat     = "%Y-%m-%d"
	datetimeFormat = "%Y-%m-%d %H:%M:%S"
)

// Length of DATE_FORMAT's text, to which a date is cut before it is parsed.
const dateLength = len(DateLayout)

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

// strptime is Odoo's reading of a written date (dateOnly) or datetime:
// Python's datetime.strptime of the value cut to the date format's length,
// or of the value with the datetime format cut to the value's length less
// two, with Python's error texts.
func strptime(value string, dateOnly bool) (time.Time, error) {
	format := datetimeFormat
	if dateOnly {
		value = cutRunes(value, dateLength)
		format = dateFormat
	} else {
		format = pySlice(datetimeFormat, len([]rune(value))-2)
	}
	return pyStrptime(value, format)
}

// pySlice is Python's s[:n] of an ASCII text, n counting from the end when
// negative.
func pySlice(s string, n int) string {
	if n < 0 {
		n += len(s)
	}
	return s[:max(0, min(n, len(s)))]
}

// pyStrptime is Python's datetime.strptime for formats of the directives
// %Y, %m, %d, %H, %M and %S: the format compiles to a pattern that must
// match the start of value, and the rest of value must be empty; fields
// the format lacks take Python's defaults (1900-01-01 00:00:00).
func pyStrptime(value, format string) (time.Time, error) {
	c, err := strptimePattern(format)
	if err != nil {
		return time.Time{}, err
	}
	m := c.re.FindStringSubmatch(value)
	if m == nil {
		return time.Time{}, ServerErrorf("builtins.ValueError", "time data %s does not match format %s", py.Repr(value), py.Repr(format))
	}
	if rest := value[len(m[0]):]; rest != "" {
		return time.Time{}, ServerErrorf("builtins.ValueError", "unconverted data remains: %s", rest)
	}
	n := map[byte]int{'Y': 1900, 'm': 1, 'd': 1}
	for i, d := range c.order {
		n[d], _ = strconv.Atoi(strings.TrimSpace(m[i+1]))
	}
	if n['d'] > daysIn(n['Y'], n['m']) {
		return time.Time{}, ServerErrorf("builtins.ValueError", "day is out of range for month")
	}
	if n['S'] > 59 {
		return time.Time{}, ServerErrorf("builtins.ValueError", "second must be in 0..59")
	}
	return time.Date(n['Y'], time.Month(n['m']), n['d'], n['H'], n['M'], n['S'], 0, time.UTC), nil
}

// compiledFormat is a strptime format as a pattern, with the directives
// of its groups in order.
type compiledFormat struct {
	re    *regexp.Regexp
	order []byte
}

// strptimeFormats caches the compiled formats, which are few: Odoo's two
// and their cuts.
var strptimeFormats sync.Map // format -> *compiledFormat

// strptimePattern compiles format as strptime does, with its errors for a
// stray % or an unknown directive.
func strptimePattern(format string) (*compiledFormat, error) {
	if c, ok := strptimeFormats.Load(format); ok {
		return c.(*compiledFormat), nil
	}
	var re strings.Builder
	var order []byte
	re.WriteString("^")
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '%' && i+1 < len(format):
			i++
			p, ok := strptimeDirectives[format[i]]
			if !ok {
				return nil, ServerErrorf("builtins.ValueError", "'%c' is a bad directive in format %s", format[i], py.Repr(format))
			}
			re.WriteString(p)
			order = append(order, format[i])
		case c == '%':
			return nil, ServerErrorf("builtins.ValueError", "stray %% in format %s", py.Repr(format))
		case c == ' ':
			re.WriteString(`\s+`)
		default:
			re.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	c := &compiledFormat{re: regexp.MustCompile(re.String()), order: order}
	strptimeFormats.Store(format, c)
	return c, nil
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

// numericDateRE is a date of three numbers, month, day and year, as
// PostgreSQL reads one under its default DateStyle (MDY).
var numericDateRE = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)

// isoTimeRE is a date, or a date and a time, in ISO order with numbers of
// any width, as PostgreSQL reads them.
var isoTimeRE = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$`)

// wordsRE is a text of letters and hyphens only.
var wordsRE = regexp.MustCompile(`^[A-Za-z]+(?:-[A-Za-z]*)*$`)

// pgTimeWords are the words PostgreSQL reads as a date or time.
var pgTimeWords = map[string]bool{"epoch": true, "infinity": true, "-infinity": true, "now": true, "today": true,
	"tomorrow": true, "yesterday": true, "allballs": true}

// pgTimeText checks a date or datetime given to create as PostgreSQL
// reads it: Odoo inserts the text as it is, so a text PostgreSQL refuses
// fails with its error before Odoo reads it itself (parseOdooTime, whose
// errors a text PostgreSQL takes gets). PostgreSQL reads far more than
// this knows of, so only the refusals it is sure of are given: numbers
// out of range, in ISO or month/day/year order, and words that are no
// date.
func (f *Field) pgTimeText(v any) error {
	s, ok := v.(string)
	if !ok || f.Type != Date && f.Type != Datetime || !f.hasColumn() {
		return nil
	}
	t := strings.TrimSpace(s)
	overflow := ServerErrorf("psycopg2.errors.DatetimeFieldOverflow", "date/time field value out of range: \"%s\"", s)
	var n [6]int
	if m := isoTimeRE.FindStringSubmatch(t); m != nil {
		for i := range n {
			n[i], _ = strconv.Atoi(m[i+1])
		}
	} else if m := numericDateRE.FindStringSubmatch(t); m != nil {
		n[1], _ = strconv.Atoi(m[1])
		n[2], _ = strconv.Atoi(m[2])
		n[0], _ = strconv.Atoi(m[3])
	} else {
		if wordsRE.MatchString(t) && !pgTimeWords[strings.ToLower(t)] {
			sqlType := "timestamp"
			if f.Type == Date {
				sqlType = "date"
			}
			return ServerErrorf("psycopg2.errors.InvalidDatetimeFormat", "invalid input syntax for type %s: \"%s\"", sqlType, s)
		}
		return nil
	}
	if n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > daysIn(n[0], n[1]) || n[3] > 24 || n[4] > 59 || n[5] > 60 {
		return overflow
	}
	return nil
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
	if m := numericDateRE.FindStringSubmatch(t); m != nil && f.Type == Date {
		// PostgreSQL's DateStyle is ISO, MDY: 12/31/2024 is a date,
		// 31/12/2024 a month out of range.
		month, _ := strconv.Atoi(m[1])
		day, _ := strconv.Atoi(m[2])
		year, _ := strconv.Atoi(m[3])
		if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
			return "", ServerErrorf("psycopg2.errors.DatetimeFieldOverflow", "date/time field value out of range: \"%s\"", s)
		}
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).Format(DateLayout), nil
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
