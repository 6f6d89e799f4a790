package rpc

import (
	"net/http"
)

// ClientAddr exposes the client address a handler with proxy mode on or
// off takes from r.
func ClientAddr(r *http.Request, proxyMode bool) string {
	h := &Handler{opts: Options{ProxyMode: proxyMode}}
	return h.clientAddr(r)
}

// Abandoned exposes the marking of errors of calls whose client went away.
var Abandoned = abandoned
