package rpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	gorilla "github.com/gorilla/rpc/v2"

	"github.com/godoo/godoo/models"
)

// jsonCodec plugs godoo's JSON-RPC envelope handling into gorilla/rpc for
// /jsonrpc: {"method": "call", "params": {service, method, args}, "id": …}.
// Only params and id are read, as Odoo does; the id is echoed verbatim and
// null when absent, and every request gets an answer.
type jsonCodec struct {
	maxDepth int
	methods  methodTable
	log      *slog.Logger
}

type jsonEnvelope struct {
	ID     json.RawMessage `json:"id"`
	Params json.RawMessage `json:"params"`
}

func (c *jsonCodec) NewRequest(r *http.Request) gorilla.CodecRequest {
	req := &jsonRequest{codec: c, id: json.RawMessage("null")}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		req.err = err
		return req
	}
	var env jsonEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		req.err = models.ServerErrorf("werkzeug.exceptions.BadRequest", "Invalid JSON data")
		return req
	}
	if len(env.ID) > 0 {
		req.id = env.ID
	}
	params, err := decodeJSONValue(env.Params, c.maxDepth)
	if err != nil {
		req.err = err
		return req
	}
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
		if b, err = appendJSON(b, reply); err != nil {
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
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, "Request Entity Too Large", http.StatusRequestEntityTooLarge)
		return
	}
	f := toFault(err, r.codec.log, r.method)
	writeJSON(w, http.StatusOK, errorEnvelope(r.id, 200, "Odoo Server Error", f))
}

// errorEnvelope renders {"jsonrpc", "id", "error": {code, message, data}}
// with data shaped like Odoo's serialize_exception.
func errorEnvelope(id json.RawMessage, code int, message string, f fault) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"jsonrpc": "2.0", "id": `)
	buf.Write(id)
	buf.WriteString(`, "error": {"code": ` + strconv.Itoa(code) + `, "message": `)
	_ = encodeJSON(&buf, message)
	buf.WriteString(`, "data": `)
	msg := f.message
	if f.internal {
		msg = f.legacyCode
	}
	_ = encodeJSON(&buf, map[string]any{"name": f.name, "message": msg, "arguments": []any{msg}, "context": map[string]any{}, "debug": f.debug})
	buf.WriteString("}}")
	return buf.Bytes()
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
	b, err := appendJSON(buf.AvailableBuffer(), v)
	if err != nil {
		return err
	}
	buf.Write(b)
	return nil
}

// decodeJSONValue parses raw JSON into the neutral value shapes: integers
// become int64 (so ids stay exact), other numbers float64, and nesting is
// bounded by maxDepth.
func decodeJSONValue(raw json.RawMessage, maxDepth int) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, models.ServerErrorf("werkzeug.exceptions.BadRequest", "Invalid JSON data")
	}
	return normalizeJSON(v, maxDepth)
}

func normalizeJSON(v any, depth int) (any, error) {
	if depth < 0 {
		return nil, models.ServerErrorf("builtins.RecursionError", "maximum recursion depth exceeded while decoding a JSON document")
	}
	switch x := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n, nil
		}
		if !strings.ContainsAny(string(x), ".eE") {
			// An integer beyond int64 would lose digits as a float64:
			// refused, as the XML-RPC decoder refuses it.
			return nil, models.ServerErrorf("builtins.OverflowError", "integer %s does not fit in 64 bits", xmlQuote([]byte(x)))
		}
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil || math.IsInf(f, 0) {
			return nil, models.ServerErrorf("builtins.ValueError", "number out of range: %s", string(x))
		}
		return f, nil
	case []any:
		for i, e := range x {
			n, err := normalizeJSON(e, depth-1)
			if err != nil {
				return nil, err
			}
			x[i] = n
		}
	case map[string]any:
		for k, e := range x {
			n, err := normalizeJSON(e, depth-1)
			if err != nil {
				return nil, err
			}
			x[k] = n
		}
	}
	return v, nil
}

// checkJSONRequest applies the checks Odoo makes before any JSON-RPC
// dispatch, which answer with plain-text 400s rather than an envelope: the
// Content-Type must be JSON, and the body must be a JSON object.
func checkJSONRequest(w http.ResponseWriter, r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" && mt != "application/json-rpc" {
		http.Error(w, "Bad Request\nRequest inferred type is compatible with ['http'] but '"+r.URL.Path+"' is type='json'.", http.StatusBadRequest)
		return false
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "Request Entity Too Large", http.StatusRequestEntityTooLarge)
			return false
		}
		http.Error(w, "Bad Request", http.StatusBadRequest)
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	trimmed := bytes.TrimSpace(body)
	if !json.Valid(trimmed) {
		if jsonTooDeep(trimmed) {
			// Python's json.loads raises RecursionError, not ValueError, so
			// Odoo answers with the error envelope rather than a 400.
			f := toFault(models.ServerErrorf("builtins.RecursionError", "maximum recursion depth exceeded while decoding a JSON document"), nil, "")
			writeJSON(w, http.StatusOK, errorEnvelope(json.RawMessage("null"), 200, "Odoo Server Error", f))
			return false
		}
		http.Error(w, "Invalid JSON data", http.StatusBadRequest)
		return false
	}
	if len(trimmed) == 0 || trimmed[0] != '{' {
		http.Error(w, "Invalid JSON-RPC data", http.StatusBadRequest)
		return false
	}
	r.Header.Set("Content-Type", "application/json")
	return true
}

// jsonMaxNesting is encoding/json's own nesting limit: json.Valid refuses
// anything deeper.
const jsonMaxNesting = 10000

// jsonTooDeep reports whether b nests arrays and objects deeper than
// encoding/json accepts, which makes json.Valid fail on a document that may
// be otherwise well-formed.
func jsonTooDeep(b []byte) bool {
	depth, inString, escaped := 0, false, false
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			if depth++; depth > jsonMaxNesting {
				return true
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return false
}
