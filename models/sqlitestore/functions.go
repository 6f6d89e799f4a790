package sqlitestore

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
)

// SQL functions that godoo's queries need and SQLite lacks. The driver
// registers them for every connection opened afterwards, process-wide.

func init() {
	if err := sqlite.RegisterDeterministicScalarFunction("godoo_tz", 2, localTime); err != nil {
		panic(err)
	}
	if err := sqlite.RegisterDeterministicScalarFunction("godoo_lower", 1, lower); err != nil {
		panic(err)
	}
}

// lower is godoo_lower(text): text in lower case for every letter, not
// only ASCII's as SQLite's lower(), so that ilike folds the case of É as
// PostgreSQL's ILIKE does. NULL stays NULL, a number is itself.
func lower(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	switch v := args[0].(type) {
	case string:
		return strings.ToLower(v), nil
	case []byte:
		return strings.ToLower(string(v)), nil
	}
	return args[0], nil
}

// zones caches the time zones godoo_tz has loaded.
var zones sync.Map // name → *time.Location

// localTime is godoo_tz(datetime, zone): the wall time in zone of a UTC
// datetime stored as text, in the same layout, as PostgreSQL's
// timezone(zone, timezone('UTC', datetime)). NULL stays NULL; an unknown
// zone is an error (models only passes zones it has loaded).
func localTime(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	var t time.Time
	switch v := args[0].(type) {
	case nil:
		return nil, nil
	case time.Time:
		t = v.UTC()
	case string, []byte:
		s := fmt.Sprintf("%s", v)
		var err error
		if t, err = time.Parse("2006-01-02 15:04:05", s); err != nil {
			if t, err = time.Parse("2006-01-02", s); err != nil {
				return nil, fmt.Errorf("godoo_tz: not a datetime: %q", s)
			}
		}
	default:
		return nil, fmt.Errorf("godoo_tz: not a datetime: %v", v)
	}
	name, _ := args[1].(string)
	loc, ok := zones.Load(name)
	if !ok {
		l, err := time.LoadLocation(name)
		if err != nil {
			return nil, fmt.Errorf("godoo_tz: %w", err)
		}
		loc, _ = zones.LoadOrStore(name, l)
	}
	return t.In(loc.(*time.Location)).Format("2006-01-02 15:04:05"), nil
}
