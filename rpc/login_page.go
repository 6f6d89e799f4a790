package rpc

import (
	"net/http"
	"strings"

	"github.com/godoo/godoo/services"
)

// /web/login is godoo's own login form, for its pages: it opens the same
// web session as /web/session/authenticate (the session_id cookie), so
// that the key page works without Odoo's web client. The session starts
// with its identity checked, since the password was just given.

// loginView is what the login form shows.
type loginView struct {
	Title, Error, Notice     string
	Login                    string // the header's signed-in user: none here
	Admin                    bool
	CSRF                     string
	DB, LoginValue, Redirect string
}

// loginForm is GET /web/login: the form, with the database prefilled from
// the db parameter, else the only database the request may see.
func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := loginView{Title: "Sign in", DB: q.Get("db"), Redirect: localRedirect(q.Get("redirect"), "/web/keys")}
	if v.DB == "" {
		if names, err := h.set.Web().Databases(r.Context(), requestHost(r, h.opts.ProxyMode)); err == nil && len(names) == 1 {
			v.DB = names[0]
		}
	}
	v.CSRF = csrfToken(loginCSRFSecret(w, r, requestHTTPS(r, h.opts.ProxyMode)), csrfPurposeIn)
	renderPage(w, http.StatusOK, "login", v)
}

// login is POST /web/login: the CSRF check, then the login of
// /web/session/authenticate; on success a redirect to the page asked for
// (a path of this site), on failure the form again with Odoo's message.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	secret := ""
	if c, err := r.Cookie(loginCSRFName); err == nil {
		secret = c.Value
	}
	if !csrfValid(r, secret, csrfPurposeIn) {
		refuseForm(w)
		return
	}
	exchangeOf(r.Context()).call(protoWeb, "web", "", "login")
	v := loginView{Title: "Sign in", DB: strings.TrimSpace(r.PostFormValue("db")), LoginValue: r.PostFormValue("login"),
		Redirect: localRedirect(r.PostFormValue("redirect"), "/web/keys"), CSRF: csrfToken(secret, csrfPurposeIn)}
	password := r.PostFormValue("password")
	prev, _ := sessionID(r)
	s, _, err := h.set.Web().Authenticate(r.Context(), services.WebLogin{DB: v.DB, Login: v.LoginValue, Password: password,
		Host: requestHost(r, h.opts.ProxyMode), PreviousID: prev, CheckedIdentity: true})
	h.loggedIn(password, err, false)
	if err != nil {
		ref := h.fault(r, err, "login").refusal()
		v.Error = ref.message
		renderPage(w, ref.status, "login", v)
		return
	}
	wr := &webRoutes{h: h}
	http.SetCookie(w, wr.sessionCookie(r, s.ID, s.MaxAge, s.Expires))
	pageHeaders(w)
	http.Redirect(w, r, v.Redirect, http.StatusSeeOther)
}
