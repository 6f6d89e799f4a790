package models

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/godoo/godoo/models/py"
)

// Field types, named as Odoo names them in fields_get.
const (
	Char      = "char"
	Text      = "text"
	HTML      = "html"
	Integer   = "integer"
	Float     = "float"
	Monetary  = "monetary"
	Boolean   = "boolean"
	Date      = "date"
	Datetime  = "datetime"
	Selection = "selection"
	Binary    = "binary"
	Many2one  = "many2one"
	One2many  = "one2many"
	Many2many = "many2many"
	Reference = "reference"
	JSON      = "json"
	// Many2oneReference is an id whose model another field of the record
	// names (Odoo's res_id next to res_model): an integer to the database.
	Many2oneReference = "many2one_reference"
)

// Wire layouts of dates, shared with the protocol layer so that every value
// leaves godoo the way Odoo formats it.
const (
	DateLayout     = "2006-01-02"
	DatetimeLayout = "2006-01-02 15:04:05"
)

// Field describes one field of a model. The same description drives SQL
// generation, validation, fields_get, read and write, so that the four can
// never disagree.
type Field struct {
	Name     string
	Type     string
	String   string
	Help     string
	Relation string // comodel of relational fields

	// Column is the SQL column; empty for fields that are not stored.
	Column string

	// InverseName is the many2one on the comodel that a one2many follows.
	InverseName string
	// RelTable, RelCol and RelOther describe a many2many link table: RelCol
	// points at this model, RelOther at the comodel.
	RelTable, RelCol, RelOther string
	// Domain is the x2many field's own domain, a literal one (Odoo's
	// get_domain_list ignores the string domains that only the web client
	// evaluates): a read of the field lists only the linked records it
	// keeps, as mail's message_ids leaves out user notifications.
	Domain []any

	Required bool
	// NullColumn keeps a required field's column accepting NULL
	// (FieldDeclaration.NullColumn).
	NullColumn bool
	// UnsizedColumn keeps a sized char field's column without a size
	// (FieldDeclaration.UnsizedColumn).
	UnsizedColumn bool
	Readonly      bool
	Selection     [][2]string
	// SelectionRecords makes a selection's values those of records of
	// another model, read when needed (Selection is then empty).
	SelectionRecords *SelectionRecords
	// DefaultValue is the value create uses when vals lacks the field, as
	// a declaration states it; the schema gives the column the same
	// default. nil for none.
	DefaultValue any
	// Default computes that value instead, for defaults that depend on the
	// call (Go behaviour).
	Default func(ctx context.Context, env *Env) any
	// Compute fills a non-stored field for a batch of records on read,
	// from the stored fields named in Depends.
	Compute func(ctx context.Context, env *Env, recs []Record) error
	Depends []string
	// OnDelete is a stored many2one's ondelete policy ("set null",
	// "restrict", "cascade"): its foreign key's ON DELETE.
	OnDelete string
	// Size bounds a char column (VARCHAR(Size)); 0 for none.
	Size int
	// Index asks for an index on the field's column.
	Index bool
	// WriteOnly fields (passwords) are accepted by create and write but read
	// back as empty strings.
	WriteOnly bool
	// Related is a two-step path ("partner_id", "name") for fields that live
	// on a record this one delegates to (Odoo's _inherits and related fields):
	// read, written and searched through that record.
	Related []string
	// Groups restricts the field to users of these groups, as Odoo's groups=
	// attribute: comma-separated external ids, "!" before one that excludes.
	// Others do not see the field in fields_get or in a read of all fields,
	// and get an AccessError when they name it.
	Groups string
	// NoCopy fields are left out of copy (Odoo's copy=False).
	NoCopy bool
	// Tracking orders the field's changes in the chatter's tracking
	// messages (Odoo's tracking=); 0 for a field whose changes are not
	// logged.
	Tracking int

	// Model is the name of the model the field belongs to, for Odoo's
	// messages that name a field as "model.field".
	Model string
	// Digits are a float's precision and scale (Odoo's digits=(16, 2)):
	// values are rounded to Digits[1] decimals when written. Nil for none.
	Digits []int
	// Numeric is a number Odoo keeps as SQL NUMERIC, exact decimals (a
	// monetary, or a float with digits, 0 included): read_group sums and
	// averages it as decimals, not as binary floats.
	Numeric bool
	// CurrencyField names the many2one to res.currency whose rounding a
	// monetary value is rounded to when written ("currency_id" unless the
	// declaration says otherwise).
	CurrencyField string
	// ModelField names the char field holding the model of a
	// many2one_reference's id.
	ModelField string
	// MaxWidth and MaxHeight bound an image (a binary field that holds
	// one): a larger image is scaled down to fit when written, and a value
	// that is no image is refused.
	MaxWidth, MaxHeight int
	// Aggregator is the function read_group aggregates the field with when
	// a client names the field alone: "" for Odoo's default (a stored
	// number is summed), noAggregator for none.
	Aggregator string
	// ResizedFrom names the binary field a stored image variant is made
	// from (image_128 from image_1920): written whenever that field is,
	// scaled down to MaxWidth and MaxHeight when they are set.
	ResizedFrom string
	// Attachment binary fields (Odoo's attachment=True, the default of
	// images) keep their value in an ir.attachment of the record
	// (res_model, res_id, res_field) instead of a column, through the
	// registry's Attachments.
	Attachment bool
	// Manual fields are a database's own (Odoo's custom fields): fields_get
	// says so, as Odoo's "manual".
	Manual bool
	// Described is the field's fields_get description as its declaration
	// gives it (see FieldDeclaration.Described); nil to derive it.
	Described []Attr
	// Sanitize makes an html field's written values pass HTMLPolicy.Sanitize, as
	// Odoo's sanitize=True (fields_get's "sanitize").
	Sanitize bool
	// HTMLPolicy is what Sanitize lets through beyond Odoo's defaults.
	HTMLPolicy HTMLPolicy
	// CompanyDependent fields (Odoo's company_dependent=True, which the
	// declaration's fields_get description tells) keep a value per
	// company in a JSON column (company_dependent.go).
	CompanyDependent bool
}

// valueless reports whether nothing gives the field a value: no column,
// no compute, no delegated record, no link. Odoo computes such fields;
// godoo describes them, reads them as empty and ignores writes to them.
func (f *Field) valueless() bool {
	switch {
	case f.Column != "" || f.Compute != nil || f.Related != nil || f.WriteOnly || f.Attachment:
		return false // a write-only field reads as an empty string
	case f.Type == One2many:
		return f.InverseName == ""
	case f.Type == Many2many:
		return f.RelTable == ""
	}
	return f.Name != "display_name" // the engine's own
}

// emptyValue is what a read gives for a field without a value: Odoo's
// empty value of its type.
func (f *Field) emptyValue() any {
	switch f.Type {
	case One2many, Many2many:
		return []int64{}
	case Integer, Many2oneReference:
		return int64(0)
	case Float, Monetary:
		return float64(0)
	}
	return false
}

// qualified names the field as Odoo's messages do: "res.partner.type".
func (f *Field) qualified() string {
	if f.Model == "" {
		return f.Name
	}
	return f.Model + "." + f.Name
}

// noAggregator and falseAggregator are the Aggregator of a field
// read_group does not aggregate unless asked to, declared null (which
// fields_get leaves out) or false (which fields_get gives).
const (
	noAggregator    = "-"
	falseAggregator = "false"
)

// aggregators are the functions a declaration may give a field.
var aggregators = map[string]bool{"sum": true, "avg": true, "min": true, "max": true, "count": true,
	"count_distinct": true, "bool_and": true, "bool_or": true}

// defaultAggregate is the function read_group aggregates the field with
// when a client names it alone, "" for none: its declared aggregator, else
// the sum of a stored number other than the id.
func (f *Field) defaultAggregate() string {
	switch {
	case f.Aggregator == noAggregator || f.Aggregator == falseAggregator || !f.Stored():
		return ""
	case f.Aggregator != "":
		return f.Aggregator
	case (f.Type == Integer || f.Type == Float || f.Type == Monetary) && f.Name != "id":
		return "sum"
	}
	return ""
}

// isImage reports whether the field holds an image that is checked and
// scaled when written.
func (f *Field) isImage() bool { return f.Type == Binary && (f.MaxWidth > 0 || f.MaxHeight > 0) }

// Stored reports whether the field is a column clients may use: read,
// search, sort and group on. A write-only field (a password, a key hash)
// keeps a column that only the engine reads and writes; to clients it is
// not stored, as Odoo's computed password field is not, so that no channel
// (domain leaf, dotted path, order, groupby, aggregate, fields list) ever
// compiles it into SQL.
func (f *Field) Stored() bool { return f.Column != "" && !f.WriteOnly }

// hasColumn reports whether create and write put the field's value in a
// column of its own: stored fields and write-only fields with a column.
func (f *Field) hasColumn() bool { return f.Column != "" }

// describedStored is fields_get's store: Odoo's one2many and many2many
// fields are stored (in the comodel or a link table); computed ones, such as
// passwords, are not.
func (f *Field) describedStored() bool {
	return f.Stored() || f.Type == One2many || f.Type == Many2many || f.Attachment
}

// searchable is fields_get's searchable: stored fields, the fields of a
// delegated record, and display_name (which Odoo searches through the
// record name).
func (f *Field) searchable() bool {
	return f.describedStored() || f.Related != nil || f.Name == "display_name"
}

// sortable is fields_get's sortable: fields with a column of their own, and
// the fields of a delegated record.
func (f *Field) sortable() bool {
	return f.Stored() && f.Type != One2many && f.Type != Many2many || f.Related != nil
}

// contextDefault is the field's default for a new record: the context's
// default_<field> first, as Odoo's default_get, then the field's own.
func (f *Field) contextDefault(ctx context.Context, env *Env) (v any, ok bool) {
	if v, ok := env.Context["default_"+f.Name]; ok {
		return v, true
	}
	return f.defaultFor(ctx, env)
}

// defaultFor is the value create gives the field when vals lacks it; ok is
// false when the field has no default. A Go default reads the database in
// the call's ctx, so that a cancelled call stops there too.
func (f *Field) defaultFor(ctx context.Context, env *Env) (v any, ok bool) {
	if f.Default != nil {
		return f.Default(ctx, env), true
	}
	return f.DefaultValue, f.DefaultValue != nil
}

// Record is one row as read: field name to wire value.
type Record map[string]any

// fromDB converts a value scanned from either driver to the wire value Odoo
// returns for the field type: false for empty values (but 0 for numbers),
// strings for dates, ids for many2one before name resolution.
func (f *Field) fromDB(v any) any {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	// Values already of their wire type are returned as the interface they
	// came in: converting back from a typed variable would box them again,
	// one allocation per value read.
	switch f.Type {
	case Boolean:
		if _, ok := v.(bool); ok {
			return v
		}
		return Bool(v)
	case Integer:
		if _, ok := v.(int64); ok {
			return v
		}
		n, _ := ToInt64(v)
		return n
	case Float, Monetary:
		if _, ok := v.(float64); ok {
			return v
		}
		x, _ := toFloat(v)
		return x
	case Many2one:
		if v == nil {
			return false
		}
		if n, ok := v.(int64); ok && n != 0 {
			return v
		}
		n, ok := ToInt64(v)
		if !ok || n == 0 {
			return false
		}
		return n
	case Date:
		return FormatTime(v, DateLayout)
	case Datetime:
		return FormatTime(v, DatetimeLayout)
	case JSON:
		return jsonFromDB(v)
	case Many2oneReference:
		n, _ := ToInt64(v) // 0 when empty, as Odoo's integers
		return n
	}
	if v == nil {
		return false
	}
	if s, ok := v.(string); ok && s == "" && f.Type != Char && f.Type != Text && f.Type != HTML {
		return false
	}
	return v
}

// FormatTime renders a date or datetime value from either driver in Odoo's
// layout, or false when empty.
func FormatTime(v any, layout string) any {
	switch t := v.(type) {
	case nil:
		return false
	case time.Time:
		if t.IsZero() {
			return false
		}
		return formatTime(t.UTC(), layout)
	case string:
		if t == "" {
			return false
		}
		if len(t) >= len(layout) {
			return t[:len(layout)]
		}
		return t
	}
	return false
}

// formatTime is t.Format(layout), written digit by digit for Odoo's two
// layouts: a read of date and datetime columns formats every value, and
// Format's reading of the layout was most of it (9% of the CPU of a
// search_read of 80 records with 3 dates among 50 fields). Years beyond
// four digits, and other layouts, take Format.
func formatTime(t time.Time, layout string) string {
	y, mo, d := t.Date()
	if layout != DateLayout && layout != DatetimeLayout || y < 0 || y > 9999 {
		return t.Format(layout)
	}
	var b [len(DatetimeLayout)]byte
	digits := func(at, v, n int) {
		for i := at + n - 1; i >= at; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
	}
	digits(0, y, 4)
	b[4] = '-'
	digits(5, int(mo), 2)
	b[7] = '-'
	digits(8, d, 2)
	if layout == DateLayout {
		return string(b[:len(DateLayout)])
	}
	h, mi, sec := t.Clock()
	b[10] = ' '
	digits(11, h, 2)
	b[13] = ':'
	digits(14, mi, 2)
	b[16] = ':'
	digits(17, sec, 2)
	return string(b[:])
}

// toDB validates a wire value for the field and converts it to the value
// stored in its column, as Odoo's convert_to_column does for each type. It
// returns Odoo's messages for values of the wrong shape.
func (f *Field) toDB(v any) (any, error) {
	if v == nil || v == false && f.Type != Boolean {
		return nil, nil // Odoo stores False as NULL; numbers read back as 0
	}
	switch f.Type {
	case Boolean:
		return Bool(v), nil
	case Integer, Many2oneReference:
		n, err := pyInt(v)
		if err != nil {
			return nil, err
		}
		if n > math.MaxInt32 || n < math.MinInt32 {
			// PostgreSQL's refusal, which Odoo lets through.
			return nil, ServerErrorf("psycopg2.errors.NumericValueOutOfRange", "integer out of range")
		}
		return n, nil
	case Float, Monetary:
		x, err := pyFloat(v)
		if err != nil {
			return nil, err
		}
		return f.roundDigits(x), nil
	case Many2one:
		if l, ok := v.([]any); ok && len(l) > 0 { // [id, name] pairs read back
			v = l[0]
		}
		n, ok := ToInt64(v)
		if !ok {
			return nil, f.badValue(v)
		}
		if n == 0 {
			return nil, nil
		}
		return n, nil
	case Date, Datetime:
		return f.parseOdooTime(v)
	case Selection:
		s, ok := v.(string)
		if !ok {
			return nil, f.badValue(v)
		}
		if len(f.Selection) == 0 {
			return s, nil // values the database gives, which godoo does not know
		}
		for _, opt := range f.Selection {
			if opt[0] == s {
				return s, nil
			}
		}
		return nil, f.badValue(s)
	case Reference:
		return f.referenceToDB(v)
	case JSON:
		return f.jsonToDB(v)
	case Binary:
		s, ok := v.(string)
		if !ok {
			return nil, f.badValue(v)
		}
		// Validated as a stream: decoding a large image whole would hold a
		// second copy of it for nothing.
		if _, err := io.Copy(io.Discard, base64.NewDecoder(base64.StdEncoding, strings.NewReader(s))); err != nil {
			return nil, ValidationErrorf("The value for the binary field %s is not valid base64 text.", f.Name)
		}
		if f.isImage() && s != "" {
			return fitImage(s, f.MaxWidth, f.MaxHeight)
		}
		return s, nil
	case Char, Text, HTML:
		s, ok := v.(string)
		if !ok {
			// Odoo keeps the text of any other value (str(value)).
			s = pyStr(v)
		}
		if f.Size > 0 && len([]rune(s)) > f.Size {
			s = string([]rune(s)[:f.Size])
		}
		if f.Sanitize {
			s = f.HTMLPolicy.Sanitize(s)
		}
		return s, nil
	}
	return v, nil
}

// pyInt is Python's int() of a written value: integral values, the text of
// an integer, and floats truncated toward zero.
func pyInt(v any) (int64, error) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) {
			return 0, ServerErrorf("builtins.ValueError", "cannot convert float NaN to integer")
		}
		if math.IsInf(x, 0) {
			return 0, ServerErrorf("builtins.OverflowError", "cannot convert float infinity to integer")
		}
		return int64(math.Trunc(x)), nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			return 0, ServerErrorf("builtins.ValueError", "invalid literal for int() with base 10: %s", py.Repr(x))
		}
		return n, nil
	}
	if n, ok := ToInt64(v); ok {
		return n, nil
	}
	return 0, ServerErrorf("builtins.TypeError", "int() argument must be a string, a bytes-like object or a real number, not '%s'", py.TypeName(v))
}

// pyFloat is Python's float() of a written value.
func pyFloat(v any) (float64, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return 0, ServerErrorf("builtins.ValueError", "could not convert string to float: %s", py.Repr(x))
		}
		return f, nil
	}
	if x, ok := toFloat(v); ok {
		return x, nil
	}
	return 0, ServerErrorf("builtins.TypeError", "float() argument must be a string or a real number, not '%s'", py.TypeName(v))
}

// pyStr is Python's str() of a value that is not a string.
func pyStr(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int64, int:
		return fmt.Sprint(x)
	}
	return py.Repr(v)
}

// badValue is Odoo's ValueError for a value a field cannot hold.
func (f *Field) badValue(v any) error {
	return ServerErrorf("builtins.ValueError", "Wrong value for %s: %s", f.qualified(), py.Repr(v))
}

// Bool converts the value of a boolean field, as a client writes it or a
// driver returns it, to a Go bool: Python's truth, except that the texts
// "0", "f" and "false" are false, since a driver or a column of text may
// hold a boolean in that form.
func Bool(v any) bool {
	if s, ok := v.(string); ok {
		return s != "" && s != "0" && s != "f" && s != "false"
	}
	return py.Truthy(v)
}

// ToInt64 accepts the integer shapes either driver or either codec produces.
// A float is accepted only when it is integral, as Python's int() of a JSON
// number would be.
func ToInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), true
		}
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	case []byte:
		n, err := strconv.ParseInt(string(x), 10, 64)
		return n, err == nil
	}
	return 0, false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil
	case []byte:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	case nil:
		return 0, true
	}
	return 0, false
}

// parseWire parses a datetime in Odoo's wire layout.
func parseWire(s string) (time.Time, error) { return time.Parse(DatetimeLayout, s) }

func itoa(n int) string { return strconv.Itoa(n) }

// inverseModel is the condition a one2many f adds on its comodel co
// (aliased alias) when its inverse is a many2one_reference: the lines of
// model owner only, as Odoo's one2many over res_model and res_id (a mail
// thread's messages, followers) reads them. It is empty otherwise. The
// model name comes from the registry, never from a caller.
func (f *Field) inverseModel(co *Model, alias, owner string) string {
	inv := co.Fields[f.InverseName]
	if inv == nil || inv.Type != Many2oneReference {
		return ""
	}
	mf := co.Fields[inv.ModelField]
	if mf == nil || mf.Column == "" {
		return ""
	}
	return " AND " + alias + "." + mf.Column + " = '" + strings.ReplaceAll(owner, "'", "''") + "'"
}
