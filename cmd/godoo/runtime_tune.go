package main

import (
	"os"
	"runtime/debug"
)

// serveGCPercent is the garbage collector's target for serve when GOGC is
// not set. A call's garbage is its request, its rows and its answer, all
// dead once the answer is written; the heap that stays live (pools, caches,
// the registry) is a few megabytes. Go's default of 100 then collects very
// often for little gain: measured with godoo bench, 400 raises search_read
// throughput by about a fifth and costs a few megabytes of resident memory.
const serveGCPercent = 400

// serveMemoryLimit is the soft heap limit for serve when GOMEMLIMIT is not
// set: the collector works harder near it, so that the high GC target
// cannot let a process with a large live heap grow to five times its size.
const serveMemoryLimit = 1 << 30

// tuneRuntime applies serve's garbage collector settings, leaving the ones
// the environment sets to it.
func tuneRuntime() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
