// Package progress shows how far a long operation of the command line has
// got (creating a database, and later dumps, restores and imports). It
// draws on a terminal only: in a pipe, a log file or a container's log it
// writes nothing, so that scripts read only what the command prints.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// redrawEvery bounds how often Add redraws the line: a loop that counts
// each of a million rows must not spend its time on the terminal.
const redrawEvery = 100 * time.Millisecond

// Reporter draws one status line, "label: step 45% (450/1000) 3s",
// rewritten in place. Its methods may be called from any goroutine. A
// Reporter that is off does nothing at all.
type Reporter struct {
	w     io.Writer
	label string
	on    bool
	now   func() time.Time

	mu          sync.Mutex
	start, last time.Time
	step        string
	done, total int64
	drawn       bool
}

// New returns a reporter that draws on w when on is true; now is its clock.
func New(w io.Writer, label string, on bool, now func() time.Time) *Reporter {
	r := &Reporter{w: w, label: label, on: on, now: now}
	if on {
		r.start = now()
	}
	return r
}

// ForTerminal returns a reporter that draws on w only when w is a terminal.
func ForTerminal(w io.Writer, label string) *Reporter {
	return New(w, label, IsTerminalWriter(w), time.Now)
}

// IsTerminalWriter reports whether w is a file open on a terminal.
func IsTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && IsTerminal(f.Fd())
}

// Step starts a step of the operation, whose count is unknown until Total.
func (r *Reporter) Step(name string) {
	if !r.on {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.step, r.done, r.total = name, 0, 0
	r.draw()
}

// Total sets how many units the current step has.
func (r *Reporter) Total(n int64) {
	if !r.on {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.total = n
	r.draw()
}

// Add counts n more units of the current step done.
func (r *Reporter) Add(n int64) {
	if !r.on {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done += n
	if r.now().Sub(r.last) >= redrawEvery || r.total > 0 && r.done >= r.total {
		r.draw()
	}
}

// Done ends the operation: the line says how long it took, or is cleared
// when it failed, so that the command's error stands alone.
func (r *Reporter) Done(err error) {
	if !r.on {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		if r.drawn {
			fmt.Fprint(r.w, "\r\x1b[K")
		}
		return
	}
	fmt.Fprintf(r.w, "\r\x1b[K%s: done in %s\n", r.label, r.elapsed())
}

// draw rewrites the line; the caller holds mu.
func (r *Reporter) draw() {
	r.last = r.now()
	line := r.label + ": " + r.step
	if r.total > 0 {
		line += fmt.Sprintf(" %d%% (%d/%d)", r.done*100/r.total, r.done, r.total)
	} else if r.done > 0 {
		line += fmt.Sprintf(" (%d)", r.done)
	}
	fmt.Fprintf(r.w, "\r\x1b[K%s %s", line, r.elapsed())
	r.drawn = true
}

// elapsed is the time since the start, to a tenth of a second.
func (r *Reporter) elapsed() string {
	return r.now().Sub(r.start).Round(100 * time.Millisecond).String()
}
