package rpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strconv"

	gorilla "github.com/gorilla/rpc/v2"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/jsonrpc"
)

// jsonCodec plugs godoo's JSON-RPC envelope handling into gorilla/rpc for
// /jsonrpc: {"method": "call", "params": {service, method, args}, "id": …}.
// Only params and id are read, as Odoo does; the id is echoed verbatim and
// null when absent, and every request gets an answer. The body has been
// read and decoded by readJSONRequest before gorilla runs.
type jsonCodec struct {
	methods methodTable
	log     *slog.Logger
}

// jsonCallKey carries a request's decoded envelope from readJSONRequest to
// the codec, through the request's context.
type jsonCallKey struct{}

// jsonCall is a decoded JSON-RPC request, and the error its params gave.
type jsonCall struct {
	env jsonrpc.Envelope
	err error
}

func (c *jsonCodec) NewRequest(r *http.Request) gorilla.CodecRequest {
	req := &jsonRequest{codec: c, id: json.RawMessage("null")}
	call, ok := r.Context().Value(jsonCallKey{}).(*jsonCall)
	if !ok {
		req.err = models.ServerErrorf("werkzeug.exceptions.BadRequest", "Invalid JSON data")
		return req
	}
	req.id = call.env.ID
	if call.err != nil {
		req.err = call.err
		return req
	}
	params := call.env.Params
	p, ok := params.(map[string]any)
	if params != nil && !ok {
		req.err = models.ServerErrorf("builtins.TypeError", "params must be an object")
		return req
	}
	req.service, _ = p["service"].(string)
	req.method, _ = p["method"].(string)
	switch a := p["args"].(type) {
	case []any:
		req.args = a
	case nil:
		req.args = []any{}
	default:
		req.err = models.ServerErrorf("builtins.TypeError", "args must be a list")
	}
	if req.err == nil && (p["service"] == nil || p["method"] == nil) {
		req.err = models.ServerErrorf("builtins.TypeError", "dispatch_rpc() missing required arguments: 'service' and 'method'")
	}
	return req
}

type jsonRequest struct {
	codec           *jsonCodec
	id              json.RawMessage
	service, method string
	args            []any
	err             error
}

func (r *jsonRequest) Method() (string, error) {
	if r.err != nil {
		return "", r.err
	}
	return r.codec.methods.resolve(r.service, r.method)
}

func (r *jsonRequest) ReadRequest(args any) error {
	p, ok := args.(*Params)
	if !ok {
		return errors.New("rpc: unexpected argument type")
	}
	*p = r.args
	return nil
}

// WriteResponse writes the result envelope; a null result omits "result".
func (r *jsonRequest) WriteResponse(w http.ResponseWriter, reply any) {
	if p, ok := reply.(*any); ok {
		reply = *p
	}
	bp := getBuf()
	b := append(*bp, `{"jsonrpc": "2.0", "id": `...)
	b = append(b, r.id...)
	if reply != nil {
		b = append(b, `, "result": `...)
		var err error
		if b, err = jsonrpc.Append(b, reply); err != nil {
			putBuf(bp, b)
			r.WriteError(w, http.StatusOK, err)
			return
		}
	}
	b = append(b, '}')
	writeJSON(w, http.StatusOK, b)
	putBuf(bp, b)
}

// WriteError writes Odoo's error envelope with HTTP 200.
func (r *jsonRequest) WriteError(w http.ResponseWriter, _ int, err error) {
	writeJSON(w, http.StatusOK, toFault(err, r.codec.log, r.method).envelope(r.id, false))
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// encodeJSON appends v as JSON; see appendJSON. On error buf is unchanged.
func encodeJSON(buf *bytes.Buffer, v any) error {
	b, err := jsonrpc.Append(buf.AvailableBuffer(), v)
	if err != nil {
		return err
	}
	buf.Write(b)
	return nil
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
		writeJSON(w, http.StatusOK, toFault(err, nil, "").envelope(json.RawMessage("null"), false))
		return nil, false
	}
	r.Header.Set("Content-Type", "application/json")
	return &jsonCall{env: env, err: err}, true
}
