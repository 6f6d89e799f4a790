package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

var healthcheckCommand = &command{path: "healthcheck", synopsis: "[--url URL] [--timeout DURATION]",
	summary: "Asks a running godoo whether it is ready: exit status 0 when it is, 1 when not.",
	help: `
It asks /web/health on the configured listen address (http_addr, else
http_interface and http_port), 127.0.0.1 when that is 0.0.0.0, or --url,
and passes on an HTTP 200, which serve answers once it is ready. The
container image has no curl: its HEALTHCHECK runs godoo healthcheck.
`,
	define: func(fs *flag.FlagSet) action {
		resolve := addFlags(fs, "http_addr")
		target := fs.String("url", "", "the health `URL` to ask (default: /web/health on the listen address)")
		timeout := fs.Duration("timeout", 5*time.Second, "longest wait for the answer")
		return func(inv *invocation) error {
			c, err := resolve()
			if err != nil {
				return err
			}
			u := *target
			if u == "" {
				u = healthURL(c.httpAddr())
			}
			if *timeout <= 0 {
				return usageError{"--timeout must be positive"}
			}
			status, err := askHealth(u, *timeout)
			if err != nil {
				return err
			}
			fmt.Fprintf(inv.stdout, "%s: %s\n", u, status)
			return nil
		}
	}}

// healthURL is /web/health on a listen address. A server that listens on
// every interface is asked on loopback.
func healthURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = addr, "8069"
	}
	switch ip := net.ParseIP(host); {
	case host == "" || ip != nil && ip.IsUnspecified() && ip.To4() != nil:
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified():
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/web/health"
}

// askHealth GETs u and returns its answer when it is an HTTP 200, and an
// error naming what went wrong otherwise.
func askHealth(u string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", usageError{fmt.Sprintf("--url %q: %v", u, err)}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("not healthy: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	answer := strings.TrimSpace(string(body))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("not healthy: %s answered HTTP %d %s", u, resp.StatusCode, answer)
	}
	return answer, nil
}
