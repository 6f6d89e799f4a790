package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
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
// Inside a container with less memory, the limit is three quarters of the
// container's instead.
const serveMemoryLimit = 1 << 30

// largeCollect is the size of a request body or answer after which serve
// collects the garbage once the request is answered. Under the high GC
// target a large body or answer that was live when the collector last ran
// lets the heap grow to five times that before the next run, so that
// large requests one after the other piled up: 480 MB resident for
// bodies of 100 MB, and 3 to 4 times an answer of 10 000 records (8 MB).
// One collection costs a few milliseconds against the tens of
// milliseconds of making such an answer, and the seconds of receiving
// such a body.
const largeCollect = 4 << 20

// collectAfterLarge is serve's rpc.Options.AfterLarge.
func collectAfterLarge() { runtime.GC() }

// cgroupMemoryFiles hold the memory limit of the process's container:
// cgroup v2, then v1.
var cgroupMemoryFiles = []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}

// tuneRuntime applies serve's garbage collector settings, leaving the ones
// the environment sets to it.
func tuneRuntime() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(cgroupMemoryFiles))
	}
}

// memoryLimit is serveMemoryLimit, or three quarters of the first container
// limit found in files when that is lower.
func memoryLimit(files []string) int64 {
	limit := int64(serveMemoryLimit)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 {
			break // "max": no limit
		}
		limit = min(limit, n/4*3)
		break
	}
	return limit
}
