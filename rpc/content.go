package rpc

import (
	"io"
	"mime"
	"net/http"
	"strconv"
)

// registerContent adds GET /web/content/{id}, Odoo's download of an
// attachment, with Odoo's auth='public': as the web session's user when
// there is one (the attachments of the records that user reads), as the
// public user otherwise, so that an access_token (or a public attachment)
// is enough. The content goes from its file to the response as it is read.
func (h *Handler) registerContent() {
	h.RouteFunc("GET /web/content/{id}", AuthPublic, h.webContent)
}

func (h *Handler) webContent(w http.ResponseWriter, r *http.Request) {
	id, _ := IdentityFrom(r.Context())
	attID, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || attID <= 0 {
		http.NotFound(w, r)
		return
	}
	c, err := h.set.Object.AttachmentContent(r.Context(), id, attID, r.URL.Query().Get("access_token"))
	if err != nil {
		writeRefusal(w, h.fault(r, err, r.Method+" "+r.URL.Path))
		return
	}
	body, err := c.Open()
	if err != nil {
		writeRefusal(w, h.fault(r, err, r.Method+" "+r.URL.Path))
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", c.Mimetype)
	w.Header().Set("Content-Length", strconv.FormatInt(c.Size, 10))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": c.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.Copy(w, body)
}
