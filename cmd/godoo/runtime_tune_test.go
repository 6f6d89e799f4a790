package main

import (
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// TestTuneRuntime checks serve's garbage collector defaults and that GOGC
// and GOMEMLIMIT in the environment take precedence.
func TestTuneRuntime(t *testing.T) {
	gc := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	})
	cases := []struct {
		name, gogc, memlimit string
		wantGC               int
		wantLimit            int64
	}{
		{"defaults", "", "", serveGCPercent, serveMemoryLimit},
		{"GOGC set", "150", "", 100, serveMemoryLimit},
		{"GOMEMLIMIT set", "", "64MiB", serveGCPercent, math.MaxInt64},
	}
	files := cgroupMemoryFiles
	cgroupMemoryFiles = nil // the defaults, whatever container the test runs in
	t.Cleanup(func() { cgroupMemoryFiles = files })
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			t.Setenv("GOGC", c.gogc)
			t.Setenv("GOMEMLIMIT", c.memlimit)
			tuneRuntime()
			if got := debug.SetGCPercent(100); got != c.wantGC {
				t.Errorf("GC percent %d, want %d", got, c.wantGC)
			}
			if got := debug.SetMemoryLimit(-1); got != c.wantLimit {
				t.Errorf("memory limit %d, want %d", got, c.wantLimit)
			}
		})
	}
}

// TestMemoryLimit checks the soft limit inside containers: three quarters
// of a container limit below 1 GiB, the default otherwise.
func TestMemoryLimit(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("small", "536870912\n")
	unlimited := write("max", "max\n")
	huge := write("huge", "9223372036854771712\n")
	cases := []struct {
		name  string
		files []string
		want  int64
	}{
		{"no cgroup files", []string{filepath.Join(dir, "missing")}, serveMemoryLimit},
		{"512 MiB container", []string{small}, 384 << 20},
		{"v2 without a limit", []string{unlimited, small}, serveMemoryLimit},
		{"v1 without a limit", []string{filepath.Join(dir, "missing"), huge}, serveMemoryLimit},
		{"v1 fallback", []string{filepath.Join(dir, "missing"), small}, 384 << 20},
	}
	for _, c := range cases {
		if got := memoryLimit(c.files); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}
