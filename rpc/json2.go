package rpc

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/rpc/jsonrpc"
	"github.com/godoo/godoo/services"
)

// Odoo 19's JSON-2 API, POST /json/2/<model>/<method>: a JSON object of
// named arguments, authenticated by a native key as a bearer token or by
// an API-KEY header key (AuthBearer, JSON-2's way), running as the key's
// user through the same call path as execute_kw. Errors answer with an
// HTTP status and the body {name, message, arguments, context, debug}.

const json2Hint = "Did you mean POST /json/2/<model>/<method>?"

func (h *Handler) serveJSON2(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/json/2/")
	model, method, ok := strings.Cut(rest, "/")
	exchangeOf(r.Context()).call(protoJSON2, "json2", "", "")
	exchangeOf(r.Context()).modelCall(h, model, method)
	if r.Method != http.MethodPost || r.URL.Path == "/json/2" || !ok || model == "" || method == "" || strings.Contains(method, "/") {
		json2Refuse(w, http.StatusNotFound, "werkzeug.exceptions.NotFound", "404 Not Found: "+json2Hint)
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		w.Header().Set("Accept", "application/json")
		json2Refuse(w, http.StatusUnsupportedMediaType, "werkzeug.exceptions.UnsupportedMediaType",
			"415 Unsupported Media Type: Request inferred type is compatible with ['http'] but '"+r.URL.Path+"' is type='json2'. Please verify the Content-Type request header and try again.")
		return
	}
	id, ok := h.json2Identify(w, r)
	if !ok {
		return
	}
	body, err := h.body.read(r)
	if err != nil {
		if !writeBodyError(w, err) {
			json2Refuse(w, http.StatusBadRequest, "werkzeug.exceptions.BadRequest", "could not read the body")
		}
		return
	}
	args := map[string]any{}
	if len(bytes.Trim(body, " \t\r\n")) > 0 {
		v, orders, err := jsonrpc.DecodeOrdered(body, h.opts.MaxDepth)
		var syntax *jsonrpc.SyntaxError
		if errors.As(err, &syntax) {
			json2Refuse(w, http.StatusBadRequest, "werkzeug.exceptions.BadRequest", "could not parse the body as json: "+syntax.Error())
			return
		}
		if err != nil {
			h.json2Fault(w, r, err, method)
			return
		}
		m, isObj := v.(map[string]any)
		if !isObj {
			json2Refuse(w, http.StatusBadRequest, "werkzeug.exceptions.BadRequest", "could not parse the body, expecting a json object")
			return
		}
		args = m
		r = r.WithContext(models.WithKeyOrders(r.Context(), orders))
	}
	call := services.JSON2Call{Model: model, Method: method, Kwargs: args}
	call.IDs, call.HasIDs = args["ids"]
	delete(args, "ids")
	// A panic here is left to ServeHTTP's last resort (a plain 500), as
	// before: JSON-2 has no answer of its own for it yet.
	res, err := h.set.Web().JSON2(r.Context(), id, call)
	h.json2Answer(w, r, res, err, method)
}

// json2Identify proves who a JSON-2 request runs as, or answers its
// refusal.
func (h *Handler) json2Identify(w http.ResponseWriter, r *http.Request) (auth.Identity, bool) {
	g, err := h.identify(r, AuthBearer, Claims{DB: requestedDB(r), KeyGroups: h.opts.JSON2KeyGroups, json2: true})
	if err != nil {
		h.json2Fault(w, r, err, "")
		return auth.Identity{}, false
	}
	return g.id, true
}

// json2Answer writes a JSON-2 result, or its error.
func (h *Handler) json2Answer(w http.ResponseWriter, r *http.Request, res any, err error, method string) {
	if err == nil && streamable(res) {
		err = writeStreamed(func(n int) { jsonHeader(w, http.StatusOK, n) }, w, func(b []byte, sink func([]byte) error) ([]byte, error) {
			return jsonrpc.Stream(b, res, streamChunk, sink)
		})
		if err == nil {
			return
		}
	}
	if err == nil {
		bp := getBuf()
		b, encErr := jsonrpc.Append(*bp, res)
		if encErr == nil {
			writeJSON(w, http.StatusOK, b)
			putBuf(bp, b)
			return
		}
		putBuf(bp, b)
		err = encErr
	}
	h.json2Fault(w, r, err, method)
}

// json2Fault answers an error with the status of rpc/errors.go's table.
func (h *Handler) json2Fault(w http.ResponseWriter, r *http.Request, err error, method string) {
	writeJSON2Error(w, h.fault(r, abandoned(r.Context(), err), method))
}

// json2Refuse answers a request that JSON-2 refuses before any call: no
// such route, another Content-Type, a body that is no JSON object.
func json2Refuse(w http.ResponseWriter, status int, name, msg string) {
	writeJSON(w, status, json2Body(name, msg, "", msg))
}

// docBearer serves GET /doc-bearer/<model>.json: the model's fields and
// public methods with their parameters, which JSON-2 clients read to map
// positional arguments to names.
func (h *Handler) docBearer(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	model, ok := strings.CutSuffix(file, ".json")
	exchangeOf(r.Context()).call(protoJSON2, "doc", "", "doc")
	if !ok || model == "" {
		json2Refuse(w, http.StatusNotFound, "werkzeug.exceptions.NotFound", "404 Not Found")
		return
	}
	id, ok := h.json2Identify(w, r)
	if !ok {
		return
	}
	doc, err := h.set.Web().Describe(r.Context(), id, model)
	h.json2Answer(w, r, doc, err, "doc")
}
