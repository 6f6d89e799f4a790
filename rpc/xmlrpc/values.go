package xmlrpc

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/godoo/godoo/rpc/wire"
)

// The scalar values of XML-RPC, parsed as Python's xmlrpc.client parses
// them, and the strings that recur in Odoo calls, which decoding takes
// from tables instead of allocating them.

func xmlParseInt(text []byte) (any, error) {
	b := xmlTrimSpace(text)
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || !xmlValidUnderscores(b) {
		return nil, xmlInvalidLiteral("int", text)
	}
	var n uint64
	overflow := false
	for _, c := range b {
		if c == '_' {
			continue
		}
		if c < '0' || c > '9' {
			return nil, xmlInvalidLiteral("int", text)
		}
		if n > (math.MaxUint64-9)/10 {
			overflow = true
			continue
		}
		n = n*10 + uint64(c-'0')
	}
	switch {
	case overflow, !neg && n > math.MaxInt64, neg && n > 1<<63:
		return nil, xmlServerErrorf(xmlErrNameOverflow, "integer %s does not fit in 64 bits", wire.Quote(text))
	case neg:
		return -int64(n), nil // -(1<<63) wraps to itself, which is right
	}
	return int64(n), nil
}

// xmlValidUnderscores applies Python's rule for int() and float(): an underscore
// must sit between two digits.
func xmlValidUnderscores(b []byte) bool {
	for i, c := range b {
		if c == '_' && (i == 0 || i == len(b)-1 || !xmlIsDigit(b[i-1]) || !xmlIsDigit(b[i+1])) {
			return false
		}
	}
	return true
}

func xmlIsDigit(c byte) bool { return '0' <= c && c <= '9' }

func xmlParseFloat(text []byte) (any, error) {
	b := xmlTrimSpace(text)
	if len(b) == 0 || bytes.IndexAny(b, "xX") >= 0 || !xmlValidUnderscores(b) {
		return nil, xmlInvalidFloat(text)
	}
	if bytes.IndexByte(b, '_') >= 0 {
		b = bytes.ReplaceAll(b, []byte("_"), nil)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return f, nil // Python yields inf or 0.0 as well
		}
		return nil, xmlInvalidFloat(text)
	}
	return f, nil
}

func xmlInvalidFloat(text []byte) error {
	return xmlServerErrorf(xmlErrNameValue, "could not convert string to float: %s", wire.Quote(text))
}

func xmlParseBase64(text []byte) (any, error) {
	// Compact in place: text is scratch space.
	out := text[:0]
	for _, c := range text {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			out = append(out, c)
		}
	}
	if !xmlValidBase64(out) {
		return nil, xmlServerErrorf(xmlErrNameValue, "invalid base64 data")
	}
	return string(out), nil
}

func xmlValidBase64(b []byte) bool {
	if len(b)%4 != 0 {
		return false
	}
	pad := 0
	for i, c := range b {
		switch {
		case c == '=':
			if i < len(b)-2 {
				return false
			}
			pad++
		case pad > 0:
			return false
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/':
		default:
			return false
		}
	}
	return true
}

// xmlParseDateTime normalises an ISO 8601 timestamp to Odoo's
// "YYYY-MM-DD HH:MM:SS" in UTC.
func xmlParseDateTime(text []byte) (any, error) {
	b := xmlTrimSpace(text)
	bad := func() (any, error) {
		return nil, xmlServerErrorf(xmlErrNameValue, "invalid dateTime.iso8601 value %s", wire.Quote(text))
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if !xmlIsDigit(c) {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	var year, month, day int
	var ok1, ok2, ok3 bool
	switch {
	case len(b) >= 10 && b[4] == '-' && b[7] == '-':
		year, ok1 = num(b[0:4])
		month, ok2 = num(b[5:7])
		day, ok3 = num(b[8:10])
		b = b[10:]
	case len(b) >= 8:
		year, ok1 = num(b[0:4])
		month, ok2 = num(b[4:6])
		day, ok3 = num(b[6:8])
		b = b[8:]
	}
	if !ok1 || !ok2 || !ok3 || len(b) == 0 || (b[0] != 'T' && b[0] != 't' && b[0] != ' ') {
		return bad()
	}
	b = b[1:]
	var hour, minute, sec int
	switch {
	case len(b) >= 8 && b[2] == ':' && b[5] == ':':
		hour, ok1 = num(b[0:2])
		minute, ok2 = num(b[3:5])
		sec, ok3 = num(b[6:8])
		b = b[8:]
	case len(b) >= 6:
		hour, ok1 = num(b[0:2])
		minute, ok2 = num(b[2:4])
		sec, ok3 = num(b[4:6])
		b = b[6:]
	default:
		ok1 = false
	}
	if !ok1 || !ok2 || !ok3 {
		return bad()
	}
	// Optional fraction, dropped: Odoo stores whole seconds.
	if len(b) > 0 && (b[0] == '.' || b[0] == ',') {
		i := 1
		for i < len(b) && xmlIsDigit(b[i]) {
			i++
		}
		if i == 1 {
			return bad()
		}
		b = b[i:]
	}
	offset := 0
	switch {
	case len(b) == 0:
	case len(b) == 1 && (b[0] == 'Z' || b[0] == 'z'):
	case b[0] == '+' || b[0] == '-':
		var zh, zm int
		z := b[1:]
		switch {
		case len(z) == 2:
			zh, ok1 = num(z)
			ok2 = true
		case len(z) == 4:
			zh, ok1 = num(z[0:2])
			zm, ok2 = num(z[2:4])
		case len(z) == 5 && z[2] == ':':
			zh, ok1 = num(z[0:2])
			zm, ok2 = num(z[3:5])
		default:
			ok1 = false
		}
		if !ok1 || !ok2 || zh > 23 || zm > 59 {
			return bad()
		}
		offset = zh*3600 + zm*60
		if b[0] == '-' {
			offset = -offset
		}
	default:
		return bad()
	}
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return bad()
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // e.g. February 30th
		return bad()
	}
	t = t.Add(-time.Duration(offset) * time.Second)
	if t.Year() < 1 || t.Year() > 9999 {
		return bad()
	}
	var out [19]byte
	return string(t.AppendFormat(out[:0], "2006-01-02 15:04:05")), nil
}

func xmlIsSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func xmlTrimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 {
		c := b[len(b)-1]
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}

// xmlCommonKeys holds struct member names that recur in Odoo calls, so that
// decoding them does not allocate.
var xmlCommonKeys = func() map[string]string {
	keys := []string{
		"fields", "limit", "offset", "order", "context", "lang", "tz", "uid",
		"allowed_company_ids", "active_test", "domain", "attributes", "groupby",
		"lazy", "load", "count", "name", "id", "ids", "active", "email",
		"display_name", "partner_id", "company_id", "user_id", "state",
		"args", "kwargs", "model", "method", "bin_size", "active_id",
		"active_ids", "active_model", "default_type", "specification",
		"execute_kw", "execute", "login", "authenticate", "version",
	}
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k] = k
	}
	return m
}()

func xmlInternKey(b []byte) string {
	if s, ok := xmlCommonKeys[string(b)]; ok {
		return s
	}
	return string(b)
}

// xmlCommonValues holds string values that recur in Odoo calls (models,
// methods, domain operators, field names), each boxed once, so that
// decoding them allocates nothing.
var xmlCommonValues = func() map[string]any {
	values := []string{
		"res.partner", "res.users", "res.company", "res.country", "res.currency", "res.groups",
		"product.product", "product.template", "sale.order", "sale.order.line", "account.move",
		"stock.picking", "crm.lead", "project.task", "ir.model", "ir.model.fields",
		"search_read", "read", "search", "search_count", "create", "write", "unlink", "copy",
		"name_search", "name_create", "fields_get", "read_group", "default_get", "check_access_rights",
		"web_search_read", "web_read", "onchange", "action_archive", "action_unarchive",
		"=", "!=", "<>", "<", ">", "<=", ">=", "in", "not in", "like", "ilike", "not like", "not ilike",
		"=like", "=ilike", "=?", "child_of", "parent_of", "any", "not any", "|", "&", "!",
		"en_US", "UTC", "id desc", "name asc", "create_date desc",
		"phone", "mobile", "city", "country_id", "parent_id", "is_company", "type", "ref", "street",
		"zip", "vat", "website", "comment", "create_date", "write_date", "create_uid", "write_uid",
		"login", "product_id", "order_id", "amount_total", "date", "code",
	}
	m := make(map[string]any, len(values)+len(xmlCommonKeys))
	for k := range xmlCommonKeys {
		m[k] = k
	}
	for _, v := range values {
		m[v] = v
	}
	return m
}()

// xmlStringValue returns the string value b holds, without allocating when
// it is a common one.
func xmlStringValue(b []byte) any {
	if len(b) <= 32 {
		if v, ok := xmlCommonValues[string(b)]; ok {
			return v
		}
	}
	return string(b)
}
