package rpc

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"

	"github.com/godoo/godoo/models"
)

// ClientAddr exposes the client address a handler with proxy mode on or
// off takes from r.
func ClientAddr(r *http.Request, proxyMode bool) string {
	h := &Handler{opts: Options{ProxyMode: proxyMode}}
	return h.clientAddr(r)
}

// Abandoned exposes the marking of errors of calls whose client went away.
var Abandoned = abandoned

// ErrorAnswer renders err as protocol answers it (xmlrpc, legacy, jsonrpc,
// web, route or json2), for a call of method with JSON-RPC id 1, with the
// reference of an unexpected error fixed to ref.
func ErrorAnswer(protocol string, err error, method, ref string) *httptest.ResponseRecorder {
	defer func(old func() string) { newRequestID = old }(newRequestID)
	newRequestID = func() string { return ref }
	f := toFault(err, nil, method)
	rec := httptest.NewRecorder()
	switch protocol {
	case "xmlrpc", "legacy":
		writeXMLFault(rec, f, protocol == "legacy")
	case "jsonrpc", "web":
		writeJSON(rec, http.StatusOK, f.envelope(json.RawMessage("1"), protocol == "web"))
	case "route":
		writeRefusal(rec, f)
	case "json2":
		writeJSON2Error(rec, f)
	default:
		panic("unknown protocol " + protocol)
	}
	return rec
}

// ErrorTable lists the rows of the error table: each kind, alone or with
// a reason.
func ErrorTable() []models.Error {
	var out []models.Error
	for k := range table {
		out = append(out, models.Error{Kind: k.kind, Reason: k.reason})
	}
	return out
}

// SetStreamMinValues sets the size of the answers that are streamed, until
// the returned function puts it back.
func SetStreamMinValues(n int) (restore func()) {
	old := streamMinValues
	streamMinValues = n
	return func() { streamMinValues = old }
}

// SetStreamMinString sets the length of a string from which a Table's
// answer is streamed, until the returned function puts it back.
func SetStreamMinString(n int) (restore func()) {
	old := streamMinString
	streamMinString = n
	return func() { streamMinString = old }
}

// SetStreamChunk sets the size of the pieces a streamed answer is written
// in, until the returned function puts it back.
func SetStreamChunk(n int) (restore func()) {
	old := streamChunk
	streamChunk = n
	return func() { streamChunk = old }
}

// SetOneWriteBudget sets the bytes held for one-write answers across all
// connections until t ends. Call it before starting a server.
func SetOneWriteBudget(t interface{ Cleanup(func()) }, n int64) {
	saved := oneWriteBudget
	oneWriteBudget = n
	t.Cleanup(func() { oneWriteBudget = saved })
}

// HeldBytes is what the connections hold now against the budget.
func HeldBytes() int64 { return heldBytes.Load() }
