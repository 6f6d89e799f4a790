package rpc

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/jsonrpc"
)

// jsonCall is a decoded JSON-RPC request (/jsonrpc, and the web client's
// routes), and the error its params gave.
type jsonCall struct {
	env jsonrpc.Envelope
	err error
}

// readJSONRequest applies the checks Odoo makes before any JSON-RPC
// dispatch, which answer with plain-text errors rather than an envelope:
// the Content-Type must be JSON, the body must arrive within the body
// limits, be JSON (in UTF-8) and be an object. It then returns the decoded
// envelope, and the error decoding its params gave (answered in an
// envelope, with the id); ok is false when it has answered already.
func readJSONRequest(w http.ResponseWriter, r *http.Request, body bodyPolicy, maxDepth int) (call *jsonCall, ok bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" && mt != "application/json-rpc" {
		http.Error(w, "Bad Request\nRequest inferred type is compatible with ['http'] but '"+r.URL.Path+"' is type='json'.", http.StatusBadRequest)
		return nil, false
	}
	b, err := body.read(r)
	if err != nil {
		if !writeBodyError(w, err) {
			http.Error(w, "Bad Request", http.StatusBadRequest)
		}
		return nil, false
	}
	env, err := jsonrpc.DecodeEnvelope(b, maxDepth)
	var syntax *jsonrpc.SyntaxError
	switch {
	case errors.As(err, &syntax):
		http.Error(w, "Invalid JSON data", http.StatusBadRequest)
		return nil, false
	case errors.Is(err, jsonrpc.ErrNotObject):
		http.Error(w, "Invalid JSON-RPC data", http.StatusBadRequest)
		return nil, false
	case errors.Is(err, jsonrpc.ErrTooDeep):
		// Python's json.loads raises RecursionError, not ValueError, so
		// Odoo answers with the error envelope rather than a 400.
		exchangeOf(r.Context()).noteError(err)
		writeJSON(w, http.StatusOK, toFault(err, nil, "").envelope(json.RawMessage("null"), false))
		return nil, false
	}
	return &jsonCall{env: env, err: err}, true
}

// withKeyOrders is r with the order of the keys of call's params in its
// context, for the methods whose answer follows it (web_read).
func withKeyOrders(r *http.Request, call *jsonCall) *http.Request {
	if ctx := models.WithKeyOrders(r.Context(), call.env.Orders); ctx != r.Context() {
		return r.WithContext(ctx)
	}
	return r
}
