package auth

import (
	"sync/atomic"
	"time"

	"github.com/godoo/godoo/models"
)

// secondText is a time's text in the layout of datetime columns, for the
// second it names.
type secondText struct {
	sec  int64
	text string
}

// lastSecond is the text of the second the last key check formatted.
var lastSecond atomic.Pointer[secondText]

// datetimeText is t (UTC) in the layout of datetime columns. Every key
// check compares the keys' expiry with the time as text, and formatting
// it was an allocation and about 1 µs of each check: the text is kept for
// the second it names, which calls within that second share.
func datetimeText(t time.Time) string {
	sec := t.Unix()
	if s := lastSecond.Load(); s != nil && s.sec == sec {
		return s.text
	}
	text := t.UTC().Format(models.DatetimeLayout)
	lastSecond.Store(&secondText{sec: sec, text: text})
	return text
}
