package base

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/godoo/godoo/models"
)

// sequenceBehaviour is ir.sequence's: next_by_code hands out the next
// number of the sequence that has a code, formatted with its prefix,
// padding and suffix. Both implementations keep the counter in the row's
// number_next, incremented in the caller's transaction: "no_gap" is
// Odoo's own behaviour, and "standard" (a PostgreSQL sequence in Odoo,
// which may skip numbers) gives the same numbers without the gaps.
func sequenceBehaviour() *models.Behaviour {
	return &models.Behaviour{Methods: []*models.Method{
		{Name: "next_by_code", Params: []string{"sequence_code", "sequence_date"}, Required: 1, Op: models.OpRead, Class: "IrSequence", Fn: nextByCode},
		{Name: "next_by_id", Params: []string{"sequence_date"}, Record: true, Op: models.OpRead, Class: "IrSequence", Fn: nextByID},
	}}
}

// nextByCode is ir.sequence.next_by_code: the sequence of the caller's
// allowed companies (or of none) with that code, the one of a company
// first; False when there is none, as Odoo answers.
func nextByCode(ctx context.Context, env *models.Env, _ *models.Model, _ []int64, a models.Args) (any, error) {
	code, _ := a["sequence_code"].(string)
	companies, err := sequenceCompanies(ctx, env)
	if err != nil {
		return nil, err
	}
	q := "SELECT id FROM ir_sequence WHERE code = ? AND active = ?"
	args := []any{code, true}
	if len(companies) > 0 {
		q += " AND (company_id IS NULL OR company_id IN (" + models.Placeholders(len(companies)) + "))"
		args = append(args, models.IDArgs(companies)...)
	} else {
		q += " AND company_id IS NULL"
	}
	ids, err := env.Int64s(ctx, q+" ORDER BY CASE WHEN company_id IS NULL THEN 1 ELSE 0 END, company_id, id LIMIT 1", args...)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return false, nil
	}
	return nextNumber(ctx, env, ids[0], a["sequence_date"])
}

// nextByID is ir.sequence.next_by_id: the next number of the sequence.
func nextByID(ctx context.Context, env *models.Env, m *models.Model, ids []int64, a models.Args) (any, error) {
	if len(ids) != 1 {
		return nil, models.ServerErrorf("builtins.ValueError", "Expected singleton: %s", models.RecordRepr(m.Name, ids))
	}
	return nextNumber(ctx, env, ids[0], a["sequence_date"])
}

// sequenceCompanies are the companies whose sequences a call may use: the
// context's allowed_company_ids, else the user's current company.
func sequenceCompanies(ctx context.Context, env *models.Env) ([]int64, error) {
	if v, ok := env.Context["allowed_company_ids"]; ok {
		if ids, err := models.IDList(v); err == nil && len(ids) > 0 {
			return ids, nil
		}
	}
	return env.Int64s(ctx, "SELECT company_id FROM res_users WHERE id = ? AND company_id IS NOT NULL", env.UID)
}

// nextNumber takes the next number of sequence id. A sequence with
// use_date_range counts in the date range that holds the date (the
// sequence_date argument, else the context's ir_sequence_date, else
// today), made when there is none, and its range_ names are that range's
// start. The counter's row is updated first, so that a concurrent call
// waits for this transaction and then reads the number after it.
func nextNumber(ctx context.Context, env *models.Env, id int64, sequenceDate any) (any, error) {
	var (
		name, prefix, suffix sql.NullString
		padding, increment   sql.NullInt64
		useRange             sql.NullBool
	)
	rows, err := env.Query(ctx, "SELECT name, prefix, suffix, padding, number_increment, use_date_range FROM ir_sequence WHERE id = ?", id)
	if err != nil {
		return nil, err
	}
	found := rows.Next()
	if found {
		err = rows.Scan(&name, &prefix, &suffix, &padding, &increment, &useRange)
	}
	rows.Close()
	if err != nil || !found {
		return false, errors.Join(err, rows.Err())
	}
	table, counter := "ir_sequence", id
	if useRange.Bool {
		day := sequenceDay(env, sequenceDate)
		rangeID, from, err := dateRange(ctx, env, id, day)
		if err != nil {
			return nil, err
		}
		table, counter = "ir_sequence_date_range", rangeID
		c := maps.Clone(env.Context)
		if c == nil {
			c = map[string]any{}
		}
		c["ir_sequence_date_range"] = from
		env = env.WithContext(c)
	}
	if _, err := env.Exec(ctx, "UPDATE "+table+" SET number_next = number_next + ? WHERE id = ?", increment.Int64, counter); err != nil {
		return nil, err
	}
	var number int64
	if _, err := env.Scalar(ctx, &number, "SELECT number_next - ? FROM "+table+" WHERE id = ?", increment.Int64, counter); err != nil {
		return nil, err
	}
	vars := sequenceVars(env)
	p, err1 := interpolateSequence(prefix.String, vars)
	s, err2 := interpolateSequence(suffix.String, vars)
	if err1 != nil || err2 != nil {
		return nil, models.UserErrorf("Invalid prefix or suffix for sequence “%s”", name.String)
	}
	return p + fmt.Sprintf("%0*d", int(padding.Int64), number) + s, nil
}

// sequenceDay is the date a number of a sequence with date ranges is
// taken at, as YYYY-MM-DD: the sequence_date argument, else the context's
// ir_sequence_date, else today (UTC).
func sequenceDay(env *models.Env, sequenceDate any) string {
	for _, v := range []any{sequenceDate, env.Context["ir_sequence_date"]} {
		if s, ok := v.(string); ok && len(s) >= 10 {
			if _, err := time.Parse("2006-01-02", s[:10]); err == nil {
				return s[:10]
			}
		}
	}
	return env.Now.UTC().Format("2006-01-02")
}

// dateRange is the date range of sequence seq that holds day, with its
// start: the existing one, else a new one, as Odoo's
// _create_date_range_seq: day's year, shortened so as not to overlap the
// ranges after and before day within that year, counting from 1.
func dateRange(ctx context.Context, env *models.Env, seq int64, day string) (int64, string, error) {
	found, err := rangeRow(ctx, env, "SELECT id, date_from FROM ir_sequence_date_range WHERE sequence_id = ? AND date_from <= ? AND date_to >= ? ORDER BY date_from LIMIT 1", seq, day, day)
	if err != nil || found.id != 0 {
		return found.id, found.date, err
	}
	from, to := day[:4]+"-01-01", day[:4]+"-12-31"
	next, err := rangeRow(ctx, env, "SELECT id, date_from FROM ir_sequence_date_range WHERE sequence_id = ? AND date_from >= ? AND date_from <= ? ORDER BY date_from DESC LIMIT 1", seq, day, to)
	if err != nil {
		return 0, "", err
	}
	if next.id != 0 {
		to = shiftDay(next.date, -1)
	}
	prev, err := rangeRow(ctx, env, "SELECT id, date_to FROM ir_sequence_date_range WHERE sequence_id = ? AND date_to >= ? AND date_to <= ? ORDER BY date_to DESC LIMIT 1", seq, from, day)
	if err != nil {
		return 0, "", err
	}
	if prev.id != 0 {
		from = shiftDay(prev.date, 1)
	}
	su := env.Sudo()
	id, err := su.Create(ctx, su.Registry.Model("ir.sequence.date_range"), map[string]any{
		"sequence_id": seq, "date_from": from, "date_to": to, "number_next": 1})
	return id, from, err
}

// dateRangeRow is a date range's id and one of its dates.
type dateRangeRow struct {
	id   int64
	date string
}

func rangeRow(ctx context.Context, env *models.Env, q string, args ...any) (dateRangeRow, error) {
	var r dateRangeRow
	rows, err := env.Query(ctx, q, args...)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	if rows.Next() {
		var d any
		if err := rows.Scan(&r.id, &d); err != nil {
			return r, err
		}
		switch x := d.(type) {
		case time.Time:
			r.date = x.Format("2006-01-02")
		case []byte:
			r.date = string(x)
		default:
			r.date = fmt.Sprint(x)
		}
		if len(r.date) > 10 {
			r.date = r.date[:10]
		}
	}
	return r, rows.Err()
}

// shiftDay is the day n days after day (both YYYY-MM-DD).
func shiftDay(day string, n int) string {
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return d.AddDate(0, 0, n).Format("2006-01-02")
}

// sequenceFormats are the names a prefix or suffix may interpolate, as
// %(year)s, with the strftime directive each stands for.
var sequenceFormats = map[string]string{
	"year": "%Y", "month": "%m", "day": "%d", "y": "%y", "doy": "%j", "woy": "%W",
	"weekday": "%w", "h24": "%H", "h12": "%I", "min": "%M", "sec": "%S",
}

// sequenceVars gives each name its value: the current_ variants now, in the
// context's time zone (UTC without one); the plain names at the context's
// ir_sequence_date and the range_ ones at its ir_sequence_date_range when
// given (dates as YYYY-MM-DD), else now too, as Odoo does. A sequence's own
// sequence_date argument only selects a date range (nextNumber).
func sequenceVars(env *models.Env) map[string]string {
	now := env.Now
	if tz, ok := env.Context["tz"].(string); ok && tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			now = now.In(loc)
		}
	}
	at := func(key string) time.Time {
		if s, ok := env.Context[key].(string); ok && len(s) >= 10 {
			if d, err := time.Parse("2006-01-02", s[:10]); err == nil {
				return d
			}
		}
		return now
	}
	effective, rangeDate := at("ir_sequence_date"), at("ir_sequence_date_range")
	vars := map[string]string{}
	for name, directive := range sequenceFormats {
		vars[name] = strftime(effective, directive)
		vars["range_"+name] = strftime(rangeDate, directive)
		vars["current_"+name] = strftime(now, directive)
	}
	return vars
}

// strftime renders the one directive t needs.
func strftime(t time.Time, directive string) string {
	switch directive {
	case "%Y":
		return fmt.Sprintf("%04d", t.Year())
	case "%m":
		return fmt.Sprintf("%02d", int(t.Month()))
	case "%d":
		return fmt.Sprintf("%02d", t.Day())
	case "%y":
		return fmt.Sprintf("%02d", t.Year()%100)
	case "%j":
		return fmt.Sprintf("%03d", t.YearDay())
	case "%W":
		// Week of the year, Monday first; days before the first Monday
		// are week 0.
		return fmt.Sprintf("%02d", (t.YearDay()+6-(int(t.Weekday())+6)%7)/7)
	case "%w":
		return fmt.Sprintf("%d", int(t.Weekday()))
	case "%H":
		return fmt.Sprintf("%02d", t.Hour())
	case "%I":
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return fmt.Sprintf("%02d", h)
	case "%M":
		return fmt.Sprintf("%02d", t.Minute())
	}
	return fmt.Sprintf("%02d", t.Second())
}

// interpolateSequence applies Python's "%" formatting with a mapping, as
// Odoo does to a prefix or suffix: %(name)s is replaced, %% is a percent
// sign, and anything else (an unknown name, another conversion) is an
// error.
func interpolateSequence(s string, vars map[string]string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		rest := s[i+1:]
		switch {
		case strings.HasPrefix(rest, "%"):
			b.WriteByte('%')
			i++
		case strings.HasPrefix(rest, "("):
			end := strings.IndexByte(rest, ')')
			if end < 0 || end+1 >= len(rest) || rest[end+1] != 's' {
				return "", fmt.Errorf("bad format at %d", i)
			}
			v, ok := vars[rest[1:end]]
			if !ok {
				return "", fmt.Errorf("unknown name %q", rest[1:end])
			}
			b.WriteString(v)
			i += end + 2
		default:
			return "", fmt.Errorf("bad format at %d", i)
		}
	}
	return b.String(), nil
}
