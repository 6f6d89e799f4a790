package bench

import (
	"context"
	"io"
)

// Bridges to unexported helpers, for the external tests.
var (
	ParseVmHWM = parseVmHWM
	XMLCall    = xmlCall
	JSONCall   = jsonCall
	SplitAt    = splitAt
	XMLInt     = xmlInt
	CountCheck = countCheck
	XMLFault   = xmlFault
	JSONError  = jsonError
)

// Fill exposes template.fill.
func (t template) Fill(dst []byte, value string) []byte { return t.fill(dst, value) }

// PickScenarios exposes the resolution of --scenarios.
var PickScenarios = pickScenarios

// RedactArgs exposes the report's rendering of the command line.
var RedactArgs = redactArgs

// OpenIdle opens idle-conns' connections to url until n are open, and
// returns them.
func OpenIdle(ctx context.Context, h *HTTP, url string, n int) error {
	g := &growRun{setup: Setup{URL: url}, progress: io.Discard, idle: h}
	return g.openIdle(ctx, n)
}

// GrowPoint builds the scenarios of growth scenario id at size without
// data (for the bounds of idle-conns and big-body, which make none).
func GrowPoint(id string, size int) ([]Scenario, error) {
	g := &growRun{progress: io.Discard, idle: NewHTTP(0)}
	return g.point(context.Background(), id, size)
}

// CustomPoint builds custom-50's scenario at size without data (for its
// bound).
func CustomPoint(size int) (Scenario, error) {
	g := &growRun{progress: io.Discard}
	return g.custom50(context.Background(), size)
}
