package sqlitestore

import (
	"database/sql/driver"
	"fmt"
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
