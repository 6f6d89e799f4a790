package integration_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// The replay sends each case as the corpus's README describes, over real
// HTTP on loopback with raw bodies, and reads the answer back in order.

// answer is what the server said to one case.
type answer struct {
	kind   string // result, fault, error, body (a JSON reply without result) or http
	status int
	body   []byte

	result      any
	faultCode   any
	faultString string
	errObj      *object
	envelope    *object
	// envelopeProblem is what is wrong with a JSON-RPC reply's jsonrpc
	// and id members, empty when nothing is.
	envelopeProblem string
}

// wire is one server on one store: where to send, with which roles.
type wire struct {
	base   string
	db     string
	client *http.Client
	// sessions holds each role's web session id, opened at first use.
	sessions map[string]string
	// sources counts the client addresses given to RPC calls (see post).
	sources atomic.Int64
}

func newWire(base, db string) *wire {
	return &wire{base: base, db: db, sessions: map[string]string{},
		// The timeout is a guard against a hung server, not a measurement.
		client: &http.Client{Timeout: 2 * time.Minute}}
}

func (w *wire) post(path, contentType string, body []byte, session string) (int, []byte, http.Header, error) {
	req, err := http.NewRequest(http.MethodPost, w.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Content-Type", contentType)
	// Odoo 18 applies its login cool-down to web logins only: XML-RPC,
	// JSON-RPC and JSON-2 calls run without a request, so their wrong
	// passwords are never counted. godoo counts them per client address
	// (a deliberate difference, see the README), which would refuse the
	// replay's later calls after its cases of wrong credentials; so every
	// call but the web routes' comes from an address of its own, as if from
	// many clients, and the answers are those Odoo gives each of them.
	if strings.HasPrefix(path, "/web/") {
		req.Header.Set("X-Forwarded-For", "192.0.2.1")
	} else {
		n := w.sources.Add(1)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "session_id", Value: session})
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header, err
}

// send replays request (placeholders resolved) for c.
func (w *wire) send(c *confCase, request *object, roles map[string]roleUser) (answer, error) {
	path := str(request, "path")
	switch c.Protocol {
	case "xmlrpc", "xmlrpc-legacy":
		args, _ := request.vals["args"].([]any)
		status, body, _, err := w.post(path, "text/xml", encodeMethodCall(str(request, "method"), args), "")
		if err != nil {
			return answer{}, err
		}
		return xmlRPCAnswer(status, body), nil
	case "jsonrpc":
		var body []byte
		var id any = int64(1)
		if raw, ok := request.vals["raw_body"].(string); ok {
			body = []byte(raw)
			id = rawBodyID(body)
		} else {
			method := str(request, "jsonrpc_method")
			if method == "" {
				method = "call"
			}
			params := newObject()
			params.set("service", request.vals["service"])
			params.set("method", request.vals["method"])
			params.set("args", request.vals["args"])
			body = jsonRequest(method, params)
		}
		status, b, _, err := w.post(path, "application/json", body, "")
		if err != nil {
			return answer{}, err
		}
		return jsonRPCAnswer(status, b, id), nil
	case "web":
		session := ""
		if c.As != "anonymous" {
			var err error
			if session, err = w.session(c.As, roles[c.As], c.Session == "fresh"); err != nil {
				session = "" // the case runs without one and fails as it must
			}
		}
		method := str(request, "method")
		if method == "" {
			method = "call"
		}
		params, _ := request.vals["params"].(*object)
		if params == nil {
			params = newObject()
		}
		status, b, _, err := w.post(path, "application/json", jsonRequest(method, params), session)
		if err != nil {
			return answer{}, err
		}
		return jsonRPCAnswer(status, b, int64(1)), nil
	}
	return answer{}, fmt.Errorf("unknown protocol %q", c.Protocol)
}

// jsonRequest is a JSON-RPC envelope in the order Odoo's clients write it.
func jsonRequest(method string, params *object) []byte {
	env := newObject()
	env.set("jsonrpc", "2.0")
	env.set("method", method)
	env.set("id", int64(1))
	env.set("params", params)
	return appendJSON(nil, env)
}

// rawBodyID is the id a raw JSON-RPC body carries, nil when it has none or
// is no JSON object.
func rawBodyID(body []byte) any {
	v, err := decodeJSON(body)
	if err != nil {
		return nil
	}
	if o, ok := v.(*object); ok {
		id, _ := o.get("id")
		return id
	}
	return nil
}

// session returns role's web session, logging in at first use; fresh
// opens a session for this case alone.
func (w *wire) session(role string, u roleUser, fresh bool) (string, error) {
	if s, ok := w.sessions[role]; ok && !fresh {
		return s, nil
	}
	params := newObject()
	params.set("db", w.db)
	params.set("login", u.login)
	params.set("password", u.password)
	status, body, header, err := w.post("/web/session/authenticate", "application/json", jsonRequest("call", params), "")
	if err != nil {
		return "", err
	}
	a := jsonRPCAnswer(status, body, int64(1))
	if a.kind != "result" {
		return "", fmt.Errorf("%s cannot log in: %s", role, firstLine(string(body)))
	}
	resp := http.Response{Header: header}
	for _, ck := range resp.Cookies() {
		if ck.Name == "session_id" && ck.Value != "" {
			if !fresh {
				w.sessions[role] = ck.Value
			}
			return ck.Value, nil
		}
	}
	return "", fmt.Errorf("%s logged in without a session_id cookie", role)
}

func xmlRPCAnswer(status int, body []byte) answer {
	a := answer{kind: "http", status: status, body: body}
	if status != http.StatusOK {
		return a
	}
	x, err := decodeMethodResponse(body)
	if err != nil {
		return a
	}
	if x.fault {
		a.kind, a.faultCode, a.faultString = "fault", x.faultCode, x.faultString
		return a
	}
	a.kind, a.result = "result", x.result
	return a
}

// jsonRPCAnswer reads a JSON-RPC reply; id is the id the request sent (nil
// when it sent none).
func jsonRPCAnswer(status int, body []byte, id any) answer {
	a := answer{kind: "http", status: status, body: body}
	if status != http.StatusOK {
		return a
	}
	v, err := decodeJSON(body)
	if err != nil {
		return a
	}
	env, ok := v.(*object)
	if !ok {
		return a
	}
	a.envelope = env
	var problems []string
	if v, _ := env.get("jsonrpc"); v != "2.0" {
		problems = append(problems, fmt.Sprintf("jsonrpc is %s, want \"2.0\"", showJSON(v, 40)))
	}
	if got, _ := env.get("id"); !equalValues(got, id, nil) {
		problems = append(problems, fmt.Sprintf("id is %s, want %s", showJSON(got, 40), showJSON(id, 40)))
	}
	a.envelopeProblem = strings.Join(problems, "; ")
	if e, ok := env.get("error"); ok {
		a.kind, a.errObj = "error", asObject(e)
		return a
	}
	if r, ok := env.get("result"); ok {
		a.kind, a.result = "result", r
		return a
	}
	a.kind = "body"
	return a
}

func asObject(v any) *object {
	if o, ok := v.(*object); ok {
		return o
	}
	return newObject()
}

// rawAnswer is a recorded raw answer of the corpus as an answer, for the
// oracle test.
func rawAnswer(raw *object) (answer, error) {
	if v, ok := raw.get("result"); ok {
		return answer{kind: "result", status: 200, result: v}, nil
	}
	if f, ok := raw.vals["fault"].(*object); ok {
		code, _ := f.get("code")
		return answer{kind: "fault", status: 200, faultCode: code, faultString: str(f, "string")}, nil
	}
	if e, ok := raw.vals["error"].(*object); ok {
		return answer{kind: "error", status: 200, errObj: e}, nil
	}
	if s, ok := raw.vals["http_status"].(int64); ok {
		return answer{kind: "http", status: int(s), body: []byte(str(raw, "body"))}, nil
	}
	return answer{}, errors.New("raw answer of no known form")
}

// expectForm normalises a into the form of the corpus's expect: result,
// fault, error, body or http_status with body.
func (n *normalizer) expectForm(a answer, method, model string) *object {
	out := newObject()
	switch a.kind {
	case "result":
		out.set("result", n.result(a.result, method, model))
	case "fault":
		f := newObject()
		f.set("code", a.faultCode)
		f.set("string", firstLine(n.message(a.faultString)))
		if line, ok := exceptionLine(a.faultString); ok {
			f.set("exception", n.message(line))
		} else {
			f.set("exception", nil)
		}
		out.set("fault", f)
	case "error":
		out.set("error", n.errorForm(a.errObj))
	case "body":
		out.set("body", n.walk(a.envelope, ""))
	default:
		out.set("http_status", int64(a.status))
		out.set("body", n.message(firstLine(string(a.body))))
	}
	return out
}

// errorForm keeps of a JSON-RPC error what the corpus records, in the
// server's order: code, message and data's name and first message line.
func (n *normalizer) errorForm(e *object) *object {
	out := newObject()
	for _, k := range e.keys {
		switch k {
		case "code":
			out.set(k, e.vals[k])
		case "message":
			out.set(k, n.walk(e.vals[k], ""))
		case "data":
			data, ok := e.vals[k].(*object)
			if !ok {
				out.set(k, n.walk(e.vals[k], ""))
				continue
			}
			d := newObject()
			for _, dk := range data.keys {
				switch dk {
				case "name":
					d.set(dk, data.vals[dk])
				case "message":
					if s, ok := data.vals[dk].(string); ok {
						d.set(dk, firstLine(n.message(s)))
					} else {
						d.set(dk, data.vals[dk])
					}
				}
			}
			out.set(k, d)
		}
	}
	return out
}

// expectation is a case's expect with rule 6 applied: error texts lose the
// recording machine's database server address.
func expectation(c *confCase) *object {
	drop := func(v any) any {
		if s, ok := v.(string); ok {
			return reServer.ReplaceAllString(s, "")
		}
		return v
	}
	out := newObject()
	for _, k := range c.Expect.keys {
		v := c.Expect.vals[k]
		switch k {
		case "fault":
			if f, ok := v.(*object); ok {
				g := newObject()
				for _, fk := range f.keys {
					g.set(fk, drop(f.vals[fk]))
				}
				v = g
			}
		case "error":
			if e, ok := v.(*object); ok {
				g := newObject()
				for _, ek := range e.keys {
					ev := e.vals[ek]
					if data, ok := ev.(*object); ok && ek == "data" {
						d := newObject()
						for _, dk := range data.keys {
							d.set(dk, drop(data.vals[dk]))
						}
						ev = d
					}
					g.set(ek, ev)
				}
				v = g
			}
		case "body":
			v = drop(v)
		}
		out.set(k, v)
	}
	return out
}

// caseMethod is the model method a case calls (execute_kw's method, a web
// call_kw's method), else the RPC method; web routes other than the
// dataset ones have none.
func caseMethod(c *confCase) string {
	r := c.Request
	if c.Protocol == "web" {
		if !strings.HasPrefix(str(r, "path"), "/web/dataset/") {
			return ""
		}
		if p, ok := r.vals["params"].(*object); ok {
			return str(p, "method")
		}
		return ""
	}
	m := str(r, "method")
	if m == "execute_kw" || m == "execute" {
		if args, ok := r.vals["args"].([]any); ok && len(args) > 4 {
			if s, ok := args[4].(string); ok {
				return s
			}
		}
	}
	return m
}

// boundID is the id a binding case's result gives its symbol: the result,
// or its first element.
func boundID(a answer) (int64, bool) {
	if a.kind != "result" {
		return 0, false
	}
	v := a.result
	if list, ok := v.([]any); ok && len(list) > 0 {
		v = list[0]
	}
	id, ok := v.(int64)
	return id, ok
}
