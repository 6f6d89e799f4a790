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
// failed check otherwise. A replica that does not answer leaves the server
// ready, its reads on the primary: 200 with status warn and the reason.
func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !h.ready.Load() {
		writeJSON(w, http.StatusServiceUnavailable, []byte(`{"status": "fail", "reason": "starting"}`))
		return
	}
	if err := h.set.Ready(r.Context()); errors.Is(err, services.ErrReplicaDown) {
		writeJSON(w, http.StatusOK, probeAnswer("warn", err, services.ErrReplicaDown))
		return
	} else if err != nil {
		if !errors.Is(err, services.ErrNotReady) {
			h.opts.Log.Warn("readiness check failed", "err", err)
		}
		writeJSON(w, http.StatusServiceUnavailable, probeAnswer("fail", err, services.ErrNotReady))
		return
	}
	writeJSON(w, http.StatusOK, []byte(`{"status": "pass"}`))
}

// probeAnswer is a probe's JSON body of status with err's reason, the
// text after the prefix of kind.
func probeAnswer(status string, err, kind error) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"status": "` + status + `", "reason": `)
	_ = jsonrpc.Encode(&buf, strings.TrimPrefix(err.Error(), kind.Error()+": "))
	buf.WriteString("}")
	return buf.Bytes()
}
