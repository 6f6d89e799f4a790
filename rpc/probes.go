package rpc

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"github.com/godoo/godoo/rpc/jsonrpc"
	"github.com/godoo/godoo/services"
)

// The probes of an orchestrator, beside Odoo's own /web/health: /livez
// says the process serves HTTP at all (restart it when it does not), and
// /readyz says it can serve calls now (send it traffic only then). Neither
// names a database: they answer anyone.

// livez answers GET /livez: 200 as long as the process answers.
func (h *Handler) livez(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, []byte(`{"status": "pass"}`))
}

// readyz answers GET /readyz: 200 once the server is ready (SetReady) and
// while every database of the store is open and migrated and, on
// PostgreSQL, its LISTEN feed of credential changes is up; 503 with the
// failed check otherwise.
func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !h.ready.Load() {
		writeJSON(w, http.StatusServiceUnavailable, []byte(`{"status": "fail", "reason": "starting"}`))
		return
	}
	if err := h.set.Ready(r.Context()); err != nil {
		if !errors.Is(err, services.ErrNotReady) {
			h.opts.Log.Warn("readiness check failed", "err", err)
		}
		var buf bytes.Buffer
		buf.WriteString(`{"status": "fail", "reason": `)
		_ = jsonrpc.Encode(&buf, strings.TrimPrefix(err.Error(), services.ErrNotReady.Error()+": "))
		buf.WriteString("}")
		writeJSON(w, http.StatusServiceUnavailable, buf.Bytes())
		return
	}
	writeJSON(w, http.StatusOK, []byte(`{"status": "pass"}`))
}
