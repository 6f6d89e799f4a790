package rpc

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	gorilla "github.com/gorilla/rpc/v2"

	"github.com/godoo/godoo/rpc/xmlrpc"
)

// xmlCodec plugs godoo's XML-RPC decoder and encoder into gorilla/rpc. legacy
// selects the string fault codes of the historical /xmlrpc/<service> routes.
type xmlCodec struct {
	legacy   bool
	body     bodyPolicy
	maxDepth int
	methods  methodTable
	log      *slog.Logger
}

// bufPool holds the buffers responses are written into.
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

// NewRequest reads and decodes the whole body. A decoding failure is kept
// and reported by Method, so that it becomes a fault like any other error;
// a body that could not be read is answered by WriteError. The body is
// dropped once decoded: the call holds only its values.
func (c *xmlCodec) NewRequest(r *http.Request) gorilla.CodecRequest {
	req := &xmlRequest{codec: c, service: r.PathValue("service")}
	body, err := c.body.read(r)
	if err != nil {
		req.err = err
		return req
	}
	req.method, req.params, req.err = xmlrpc.Decode(body, c.maxDepth)
	return req
}

type xmlRequest struct {
	codec   *xmlCodec
	service string
	method  string
	params  []any
	err     error
}

func (r *xmlRequest) Method() (string, error) {
	if r.err != nil {
		return "", r.err
	}
	return r.codec.methods.resolve(r.service, r.method)
}

func (r *xmlRequest) ReadRequest(args any) error {
	p, ok := args.(*Params)
	if !ok {
		return errors.New("rpc: unexpected argument type")
	}
	*p = r.params
	if *p == nil {
		*p = Params{}
	}
	return nil
}

// WriteResponse encodes the result. A value XML-RPC cannot carry (None,
// integers beyond 32 bits, non-string keys) becomes Odoo's fault 1 instead.
func (r *xmlRequest) WriteResponse(w http.ResponseWriter, reply any) {
	if p, ok := reply.(*any); ok {
		reply = *p
	}
	bp := getBuf()
	b, err := xmlrpc.AppendResponse(*bp, reply)
	if err != nil {
		putBuf(bp, b)
		r.WriteError(w, http.StatusOK, err)
		return
	}
	writeXML(w, b)
	putBuf(bp, b)
}

// WriteError answers every failure with HTTP 200 and a fault document, as
// Odoo does; only a body that could not be received gets a plain HTTP
// error (413, 408).
func (r *xmlRequest) WriteError(w http.ResponseWriter, _ int, err error) {
	if writeBodyError(w, err) {
		return
	}
	writeXMLFault(w, toFault(err, r.codec.log, r.method), r.codec.legacy)
}

// writeXML writes an answer with its length, as Odoo does: without one,
// net/http would send a large answer in chunks.
func writeXML(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
