package rpc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
	"github.com/godoo/godoo/rpc/jsonrpc"
	"github.com/godoo/godoo/rpc/xmlrpc"
)

// XML-RPC (/xmlrpc/2/<service>, and the legacy /xmlrpc/<service> with
// string fault codes) and JSON-RPC (/jsonrpc) carry the same calls: a
// service, a method and positional parameters. Both protocols decode the
// call, look the method up in rpcServices, run it through run and write
// the result or the fault: only the decoding and the writing differ.

// rpcMethod is one function of an RPC service: it binds its parameters
// (with Python's TypeError when they do not fit) and runs.
type rpcMethod func(h *Handler, r *http.Request, p Params) (any, error)

// resolve finds the function of service.method, or Odoo's error for an
// unknown service or method.
func resolve(service, method string) (rpcMethod, error) {
	methods, ok := rpcServices[service]
	if !ok {
		return nil, models.KeyError(service)
	}
	fn, ok := methods[method]
	if !ok || !validMethodName(method) {
		switch service {
		case "object":
			return nil, models.ServerErrorf("builtins.NameError", "Method not available %s", method)
		case "common": // Odoo raises a plain Exception here, and KeyError for db
			return nil, models.ServerErrorf("builtins.Exception", "Method not found: %s", method)
		}
		return nil, models.KeyError("Method not found: " + method)
	}
	return fn, nil
}

func validMethodName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// run runs one call of XML-RPC, JSON-RPC or a web client route. A panic
// becomes an internal error, so that the client gets an answer in its
// protocol and the server keeps serving; the errors of a call whose client
// went away are marked as such (see abandoned).
func (h *Handler) run(ctx context.Context, method string, fn func() (any, error)) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			h.opts.Log.Error("panic in a call", "method", method, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			res, err = nil, &models.Error{Kind: models.KindInternal, Message: "panic", Err: fmt.Errorf("%v", p)}
		}
	}()
	res, err = fn()
	return res, abandoned(ctx, err)
}

// refuseMethod answers an RPC request that is not a POST, in the words of
// the gorilla/rpc server godoo used to serve RPC with.
func refuseMethod(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusMethodNotAllowed)
	fmt.Fprint(w, "rpc: POST method required, received "+r.Method)
}

// serveXMLRPC serves /xmlrpc/2/<service>, or the legacy
// /xmlrpc/<service>. XML-RPC never looks at the Content-Type (Odoo's
// routes are plain HTTP routes). Every failure is a fault with HTTP 200,
// as Odoo answers; only a body that could not be received gets a plain
// HTTP error (413, 408, 400).
func (h *Handler) serveXMLRPC(legacy bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			refuseMethod(w, r)
			return
		}
		body, err := h.body.read(r)
		var method string
		var params []any
		if err == nil {
			// The body is dropped once decoded: the call holds only its
			// values.
			method, params, err = xmlrpc.Decode(body, h.opts.MaxDepth)
		}
		exchangeOf(r.Context()).rpcCall(protoXMLRPC, r.PathValue("service"), method)
		var fn rpcMethod
		if err == nil {
			fn, err = resolve(r.PathValue("service"), method)
		}
		if err != nil {
			if !writeBodyError(w, err) {
				writeXMLFault(w, h.fault(r, err, method), legacy)
			}
			return
		}
		res, err := h.run(r.Context(), method, func() (any, error) { return fn(h, r, params) })
		if err == nil && streamable(res) {
			err = writeStreamed(func(n int) { xmlHeader(w, n) }, w, func(b []byte, sink func([]byte) error) ([]byte, error) {
				return xmlrpc.StreamResponse(b, res, streamChunk, sink)
			})
			if err == nil {
				return
			}
		}
		if err == nil {
			// A value XML-RPC cannot carry (None, integers beyond 32 bits,
			// non-string keys) becomes Odoo's fault 1 instead.
			bp := getBuf()
			b, encErr := xmlrpc.AppendResponse(*bp, res)
			if encErr == nil {
				writeXML(w, b)
				putBuf(bp, b)
				return
			}
			putBuf(bp, b)
			err = encErr
		}
		writeXMLFault(w, h.fault(r, err, method), legacy)
	}
}

// serveJSONRPC serves /jsonrpc: {"method": "call", "params": {service,
// method, args}, "id": …}. Only params and id are read, as Odoo does; the
// id is echoed verbatim and null when absent, and every request gets an
// answer.
func (h *Handler) serveJSONRPC(w http.ResponseWriter, r *http.Request) {
	call, ok := readJSONRequest(w, r, h.body, h.opts.MaxDepth)
	if !ok {
		return
	}
	if r.Method != http.MethodPost {
		refuseMethod(w, r)
		return
	}
	r = withKeyOrders(r, call)
	id := call.env.ID
	service, method, args, err := jsonRPCCall(call)
	exchangeOf(r.Context()).rpcCall(protoJSONRPC, service, method)
	var fn rpcMethod
	if err == nil {
		fn, err = resolve(service, method)
	}
	if err != nil {
		writeJSON(w, http.StatusOK, h.fault(r, err, method).envelope(id, false))
		return
	}
	res, err := h.run(r.Context(), method, func() (any, error) { return fn(h, r, args) })
	w.Header()["X-Content-Type-Options"] = nosniffValue
	if err == nil && streamable(res) {
		err = writeStreamed(func(n int) { jsonHeader(w, http.StatusOK, n) }, w, func(b []byte, sink func([]byte) error) ([]byte, error) {
			return streamResult(b, id, res, sink)
		})
		if err == nil {
			return
		}
	}
	if err == nil {
		bp := getBuf()
		b, encErr := appendResult(*bp, id, res)
		if encErr == nil {
			writeJSON(w, http.StatusOK, b)
			putBuf(bp, b)
			return
		}
		putBuf(bp, b)
		err = encErr
	}
	writeJSON(w, http.StatusOK, h.fault(r, err, method).envelope(id, false))
}

// jsonRPCCall reads the service, method and args of a /jsonrpc call from
// its decoded envelope; method is known even when the call is refused.
func jsonRPCCall(call *jsonCall) (service, method string, args Params, err error) {
	if call.err != nil {
		return "", "", nil, call.err
	}
	params := call.env.Params
	p, ok := params.(map[string]any)
	if params != nil && !ok {
		return "", "", nil, models.ServerErrorf("builtins.TypeError", "params must be an object")
	}
	service, _ = p["service"].(string)
	method, _ = p["method"].(string)
	// Odoo's /jsonrpc controller takes service, method and args as
	// keyword arguments: those missing are Python's TypeError.
	var missing []string
	for _, k := range []string{"service", "method", "args"} {
		if _, ok := p[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return service, method, nil, models.ServerErrorf("builtins.TypeError", "%s", py.MissingArguments("RPC.jsonrpc", missing))
	}
	switch a := p["args"].(type) {
	case []any:
		args = a
	case nil:
		args = Params{}
	default:
		return service, method, nil, models.ServerErrorf("builtins.TypeError", "args must be a list")
	}
	return service, method, args, nil
}

// appendResult appends the JSON-RPC answer of a result to b: {"jsonrpc",
// "id", "result"}, without "result" when it is null, as Odoo answers.
func appendResult(b []byte, id json.RawMessage, res any) ([]byte, error) {
	b = append(b, `{"jsonrpc": "2.0", "id": `...)
	b = append(b, id...)
	if res != nil {
		b = append(b, `, "result": `...)
		var err error
		if b, err = jsonrpc.Append(b, res); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// bufPool holds the buffers answers are written into.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// maxPooledBuf is the largest buffer kept for reuse: a huge answer should
// not pin its memory for ever.
const maxPooledBuf = 1 << 20

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

// putBuf returns b, which grew from *bp, to the pool.
func putBuf(bp *[]byte, b []byte) {
	if cap(b) > maxPooledBuf {
		return
	}
	*bp = b[:0]
	bufPool.Put(bp)
}

// The values of the headers every answer carries, shared by all answers
// instead of made for each (Header.Set allocates a slice per value):
// net/http only reads them, and godoo replaces a header's values rather
// than changing them in place. The keys are in canonical form.
var (
	xmlContentType  = []string{"text/xml; charset=utf-8"}
	jsonContentType = []string{"application/json; charset=utf-8"}
	nosniffValue    = []string{"nosniff"}
)

// writeXML writes an answer with its length, as Odoo does: without one,
// net/http would send a large answer in chunks.
func writeXML(w http.ResponseWriter, body []byte) {
	xmlHeader(w, len(body))
	writeBody(w, body)
}

// xmlHeader sends the header of an XML-RPC answer of n bytes.
func xmlHeader(w http.ResponseWriter, n int) {
	hd := w.Header()
	hd["Content-Type"] = xmlContentType
	hd["X-Content-Type-Options"] = nosniffValue
	hd["Content-Length"] = []string{strconv.Itoa(n)}
	w.WriteHeader(http.StatusOK)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	jsonHeader(w, status, len(body))
	writeBody(w, body)
}

// jsonHeader sends the header of a JSON answer of n bytes.
func jsonHeader(w http.ResponseWriter, status, n int) {
	hd := w.Header()
	hd["Content-Type"] = jsonContentType
	hd["Content-Length"] = []string{strconv.Itoa(n)}
	w.WriteHeader(status)
}
