package rpc

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// godoo's own HTML pages (/web/login and the key page, /web/keys) are
// rendered on the server from the templates in pages/, with one small
// script and one stylesheet served by godoo itself: no external asset, no
// build step, and a Content-Security-Policy that allows nothing else.

//go:embed pages/*.html pages/keys.js pages/keys.css
var pageFiles embed.FS

// registerPages adds the login form and the key page.
func (h *Handler) registerPages() {
	h.mux.HandleFunc("GET /web/login", h.loginForm)
	h.mux.HandleFunc("POST /web/login", h.login)
	h.mux.HandleFunc("GET /web/keys/assets/keys.js", pageAsset("keys.js", "text/javascript; charset=utf-8"))
	h.mux.HandleFunc("GET /web/keys/assets/keys.css", pageAsset("keys.css", "text/css; charset=utf-8"))
	kp := &keysPage{h: h, web: h.set.Web()}
	h.mux.HandleFunc("GET /web/keys", kp.session("keys", kp.show))
	h.mux.HandleFunc("POST /web/keys/create", kp.form("keys/create", kp.create))
	h.mux.HandleFunc("POST /web/keys/restrict", kp.form("keys/restrict", kp.restrict))
	h.mux.HandleFunc("POST /web/keys/rotate", kp.form("keys/rotate", kp.rotate))
	h.mux.HandleFunc("POST /web/keys/revoke", kp.form("keys/revoke", kp.revoke))
	h.mux.HandleFunc("POST /web/keys/confirm", kp.form("keys/confirm", kp.confirm))
	h.mux.HandleFunc("POST /web/keys/logout", kp.form("keys/logout", kp.logout))
}

// pageTemplates are the pages, each parsed with the shared layout.
var pageTemplates = map[string]*template.Template{
	"login": parsePage("login.html"),
	"keys":  parsePage("keys.html"),
}

func parsePage(name string) *template.Template {
	funcs := template.FuncMap{"localTime": localTime}
	return template.Must(template.New(name).Funcs(funcs).ParseFS(pageFiles, "pages/layout.html", "pages/limits.html", "pages/"+name))
}

// pageCSP is the pages' Content-Security-Policy: everything from godoo
// itself and nothing inline, no plugin, no framing (clickjacking), no
// <base> rewriting, and forms that post to godoo only.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// pageHeaders are the headers of every page and asset: the policy, no
// sniffing, no framing for browsers without frame-ancestors, no referrer
// (a URL never leaves godoo), and no caching (a page may hold a new key).
func pageHeaders(w http.ResponseWriter) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", pageCSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")
}

// renderPage answers the page name with data, rendered in full before
// anything is written so that a template error is a clean 500.
func renderPage(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pageTemplates[name].ExecuteTemplate(&buf, name+".html", data); err != nil {
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	pageHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageAsset serves the page script or stylesheet.
func pageAsset(name, contentType string) http.HandlerFunc {
	body, err := pageFiles.ReadFile("pages/" + name)
	if err != nil {
		panic(err)
	}
	return func(w http.ResponseWriter, _ *http.Request) {
		pageHeaders(w)
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}
}

// CSRF tokens. Every form of the pages carries a token the server checks
// with a constant-time compare before it acts. On the key page the token
// is an HMAC of the session id, so it is bound to the session, changes
// with each login, is the same in every godoo process, and tells nothing
// of the session id itself. The login form has no session yet: its token
// is bound the same way to a random value in a cookie of its own
// (SameSite=Strict, HttpOnly), which another site can neither read nor
// set.

const (
	csrfField      = "csrf_token"
	loginCSRFName  = "godoo_login_csrf"
	csrfPurposeKey = "godoo key page"
	csrfPurposeIn  = "godoo login form"
)

// csrfToken is the token of the forms of secret's holder for purpose.
func csrfToken(secret, purpose string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(purpose))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfValid reports whether r's form carries the token of secret for
// purpose; an empty secret never validates.
func csrfValid(r *http.Request, secret, purpose string) bool {
	if secret == "" {
		return false
	}
	got := r.PostFormValue(csrfField)
	return hmac.Equal([]byte(got), []byte(csrfToken(secret, purpose)))
}

// loginCSRFSecret is the login form's cookie value, made and set when the
// request has none.
func loginCSRFSecret(w http.ResponseWriter, r *http.Request, secure bool) string {
	if c, err := r.Cookie(loginCSRFName); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	v := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: loginCSRFName, Value: v, Path: "/web/login", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secure})
	return v
}

// refuseForm answers a form whose CSRF token is missing or wrong: 403,
// nothing done.
func refuseForm(w http.ResponseWriter) {
	pageHeaders(w)
	http.Error(w, "The form has expired or did not come from this site: reload the page and try again.", http.StatusForbidden)
}

// localRedirect is target when it is a path on this site, else fallback:
// the login form never sends a browser elsewhere. Browsers delete tabs and
// newlines from a Location and read a backslash as a slash, so "/\t/x" would
// become "//x", another site: any control byte or backslash is refused, and
// what is kept is rebuilt from its parsed path and query so no raw form of
// it reaches the header.
func localRedirect(target, fallback string) string {
	for i := 0; i < len(target); i++ {
		if c := target[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return fallback
		}
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	out := u.EscapedPath()
	if strings.HasPrefix(out, "//") {
		return fallback
	}
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}

// localTime is a stored "YYYY-MM-DD HH:MM:SS" UTC time as the value of a
// datetime-local input; "" stays "".
func localTime(s string) string {
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		return ""
	}
	return t.Format("2006-01-02T15:04")
}

// parseSpan reads a duration as the pages give them: Go's syntax, or a
// number of days ("7d"); "" and "0" are zero.
func parseSpan(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, true
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > 36500 {
			return 0, false
		}
		return time.Duration(days) * 24 * time.Hour, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil && d >= 0
}
