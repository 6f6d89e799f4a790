package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// HTTP is the client side of the godoo scenarios: one transport whose
// keep-alive connections every client reuses, so that a run measures calls,
// not connection set-up.
type HTTP struct {
	client *http.Client
}

// NewHTTP returns a client that keeps up to conns idle connections per
// server; give at least the largest number of concurrent clients.
func NewHTTP(conns int) *HTTP {
	tr := &http.Transport{
		Proxy:               nil, // loopback: never through a proxy
		MaxIdleConns:        2 * conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     5 * time.Minute,
		DisableCompression:  true,
	}
	return &HTTP{client: &http.Client{Transport: tr}}
}

// CloseIdle closes the idle connections.
func (h *HTTP) CloseIdle() { h.client.CloseIdleConnections() }

// conn is one client's side of the HTTP scenarios: its own response buffer,
// reused from call to call.
type conn struct {
	h   *HTTP
	buf bytes.Buffer
}

func (h *HTTP) conn() *conn { return &conn{h: h} }

// do sends one request and returns the whole response body, which stays
// valid until the next call. Any status but 200 is an error.
func (c *conn) do(ctx context.Context, method, url string, header http.Header, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, err
	}
	req.Header = header
	resp, err := c.h.client.Do(req)
	if err != nil {
		return nil, err
	}
	c.buf.Reset()
	_, err = c.buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, excerpt(c.buf.Bytes()))
	}
	return c.buf.Bytes(), nil
}

// Check validates a response body.
type Check func(body []byte) error

// request returns a target that sends the same request on every call and
// checks each answer.
func (h *HTTP) request(method, url string, header http.Header, body []byte, check Check) Target {
	return func(int) CallFunc {
		c := h.conn()
		hdr := header.Clone() // one per client: the transport may read it concurrently
		return func(ctx context.Context) error {
			out, err := c.do(ctx, method, url, hdr, body)
			if err != nil {
				return err
			}
			return check(out)
		}
	}
}

// excerpt is the start of a body, for error messages.
func excerpt(b []byte) string {
	const n = 240
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
