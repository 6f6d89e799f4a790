package bench

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// serverPprofEnv names the loopback address on which bench-serve serves
// the Go profiler, for profiling godoo under the bench's load, and
// clientPprofEnv the one of the bench's own process (its clients and
// yardstick). Only these two commands read them, and only loopback
// addresses are accepted, so no served port ever exposes the profiler.
const (
	serverPprofEnv = "GODOO_BENCH_PPROF"
	clientPprofEnv = "GODOO_BENCH_CLIENT_PPROF"
)

// startPprof serves /debug/pprof/ on the address in the environment
// variable env, if set.
func startPprof(env string, stderr io.Writer) error {
	addr := os.Getenv(env)
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s: %w", env, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s: %q is not a loopback address", env, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: %w", env, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	fmt.Fprintf(stderr, "profiler on http://%s/debug/pprof/\n", ln.Addr())
	go http.Serve(ln, mux) //nolint:errcheck // ends with the process
	return nil
}
