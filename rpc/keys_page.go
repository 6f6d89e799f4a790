package rpc

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/services"
)

// The key admin page, /web/keys: a signed-in user sees and revokes their
// own native keys and makes new ones; a system administrator sees every
// key of both kinds, makes keys for any user, sets restrictions, rotates,
// revokes and reads the audit. Every change is a POST form with the
// session's CSRF token, answered by a redirect to the page, except a new
// key, whose page is the answer itself: the one time its secret is ever
// rendered.

// keysPage serves the key page.
type keysPage struct {
	h   *Handler
	web *services.Web
}

// auditRows is how many audit rows the page shows at most.
const auditRows = 200

// keysView is what the key page shows.
type keysView struct {
	Title, Error, Notice string
	Login                string
	Admin                bool
	CSRF                 string
	Keys                 []services.KeyInfo
	// New is a key just made or rotated, with its secret: set only on the
	// answer to the form that made it.
	New          *services.NewKeyResult
	NeedIdentity bool
	NoLimits     services.KeyInfo
	Audit        []services.AuditEntry
	AuditLimit   int
	AuditKey     string
	AuditEvent   string
	SinceChoices []sinceChoice
}

type sinceChoice struct {
	Value, Label string
	Selected     bool
}

// sinceChoices are the audit's periods.
var sinceChoices = []sinceChoice{{"1h", "the last hour", false}, {"1d", "the last day", false},
	{"7d", "the last 7 days", false}, {"30d", "the last 30 days", false}, {"", "ever", false}}

// pageRequest is one request of a signed-in user.
type pageRequest struct {
	w       http.ResponseWriter
	r       *http.Request
	session services.Session
}

// session runs fn for a request with a valid web session, through the
// table of auth modes (AuthUser); without one the browser goes to the
// login form, and back here after.
func (kp *keysPage) session(name string, fn func(*pageRequest)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		exchangeOf(r.Context()).call(protoWeb, "web", "", name)
		g, err := kp.h.identify(r, AuthUser, Claims{})
		if err != nil || g.explicit {
			pageHeaders(w)
			http.Redirect(w, r, "/web/login?redirect="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
			return
		}
		if s := g.session; s.Refresh {
			wr := &webRoutes{h: kp.h}
			http.SetCookie(w, wr.sessionCookie(r, s.ID, s.MaxAge, s.Expires))
		}
		fn(&pageRequest{w: w, r: r, session: g.session})
	}
}

// form is session for a POST form: its CSRF token must be the session's.
func (kp *keysPage) form(name string, fn func(*pageRequest)) http.HandlerFunc {
	return kp.session(name, func(p *pageRequest) {
		if !csrfValid(p.r, p.session.ID, csrfPurposeKey) {
			refuseForm(p.w)
			return
		}
		fn(p)
	})
}

// show is GET /web/keys.
func (kp *keysPage) show(p *pageRequest) {
	kp.render(p, http.StatusOK, keysView{Notice: notices[p.r.URL.Query().Get("done")]})
}

// notices are the messages of the redirects after a change.
var notices = map[string]string{
	"restricted": "The key's restrictions are saved.",
	"revoked":    "The key is revoked: it stops working at once, in every godoo process.",
	"confirmed":  "Password confirmed: you can change keys for the next ten minutes.",
}

// render answers the page with v completed: the keys the user may see and,
// for an administrator, the audit the query's filters select.
func (kp *keysPage) render(p *pageRequest, status int, v keysView) {
	v.Title, v.CSRF, v.Login = "API keys", csrfToken(p.session.ID, csrfPurposeKey), p.session.Login
	q := p.r.URL.Query()
	v.AuditKey, v.AuditEvent, v.AuditLimit = q.Get("audit_key"), q.Get("audit_event"), auditRows
	since := "1d"
	if q.Has("audit_since") {
		since = q.Get("audit_since")
	}
	f := services.AuditFilter{Event: strings.TrimSpace(v.AuditEvent), Limit: auditRows}
	if v.AuditKey != "" {
		f.KeyID, _ = strconv.ParseInt(strings.TrimSpace(v.AuditKey), 10, 64)
	}
	if d, ok := parseSpan(since); ok && d > 0 {
		f.Since = time.Now().Add(-d)
	}
	for _, c := range sinceChoices {
		c.Selected = c.Value == since
		v.SinceChoices = append(v.SinceChoices, c)
	}
	page, err := kp.web.KeyPage(p.r.Context(), p.session, f)
	if err != nil {
		v.Error = kp.message(p.r, err)
		renderPage(p.w, http.StatusInternalServerError, "keys", v)
		return
	}
	v.Admin, v.Keys, v.Audit = page.Admin, page.Keys, page.Audit
	renderPage(p.w, status, "keys", v)
}

// done ends a change: a redirect to the page with its notice, or the page
// with the error (and the password form when the identity check is due).
func (kp *keysPage) done(p *pageRequest, notice string, err error) {
	if err == nil {
		pageHeaders(p.w)
		http.Redirect(p.w, p.r, "/web/keys?done="+notice, http.StatusSeeOther)
		return
	}
	kp.failed(p, err)
}

// failed renders the page with err's message, as the table of errors
// tells it, and its status.
func (kp *keysPage) failed(p *pageRequest, err error) {
	v := keysView{NeedIdentity: errors.Is(err, services.ErrIdentityCheck)}
	ref := kp.h.fault(p.r, err, "keys").refusal()
	v.Error = ref.message
	kp.render(p, ref.status, v)
}

func (kp *keysPage) message(r *http.Request, err error) string {
	return kp.h.fault(r, err, "keys").refusal().message
}

// create is POST /web/keys/create.
func (kp *keysPage) create(p *pageRequest) {
	f := p.r.PostForm
	o := services.KeyOptions{Kind: f.Get("kind"), Login: strings.TrimSpace(f.Get("user")), Name: strings.TrimSpace(f.Get("name")),
		Limits: formLimits(p.r)}
	d, ok := parseSpan(f.Get("expires"))
	if !ok {
		kp.failed(p, badForm("expires"))
		return
	}
	if d > 0 {
		o.Expires = time.Now().Add(d)
	}
	if o.Login == "" {
		o.Login = p.session.Login
	}
	k, err := kp.web.MakeKey(p.r.Context(), p.session, o)
	if err != nil {
		kp.failed(p, err)
		return
	}
	kp.render(p, http.StatusOK, keysView{New: &k})
}

// restrict is POST /web/keys/restrict.
func (kp *keysPage) restrict(p *pageRequest) {
	id, ok := formID(p.r)
	if !ok {
		kp.failed(p, badForm("id"))
		return
	}
	var expires time.Time
	if v := strings.TrimSpace(p.r.PostFormValue("expires_at")); v != "" {
		t, err := time.Parse("2006-01-02T15:04", v)
		if err != nil {
			kp.failed(p, badForm("expires_at"))
			return
		}
		expires = t.UTC()
	}
	err := kp.web.RestrictKey(p.r.Context(), p.session, p.r.PostFormValue("kind"), id, formLimits(p.r), expires)
	kp.done(p, "restricted", err)
}

// rotate is POST /web/keys/rotate: the new key is the answer.
func (kp *keysPage) rotate(p *pageRequest) {
	id, ok := formID(p.r)
	overlap, okOverlap := parseSpan(p.r.PostFormValue("overlap"))
	if !ok || !okOverlap {
		kp.failed(p, badForm("id"))
		return
	}
	k, err := kp.web.RotateKey(p.r.Context(), p.session, id, overlap)
	if err != nil {
		kp.failed(p, err)
		return
	}
	kp.render(p, http.StatusOK, keysView{New: &k})
}

// revoke is POST /web/keys/revoke.
func (kp *keysPage) revoke(p *pageRequest) {
	id, ok := formID(p.r)
	if !ok {
		kp.failed(p, badForm("id"))
		return
	}
	kp.done(p, "revoked", kp.web.RevokeKey(p.r.Context(), p.session, p.r.PostFormValue("kind"), id))
}

// confirm is POST /web/keys/confirm: the password again.
func (kp *keysPage) confirm(p *pageRequest) {
	password := p.r.PostFormValue("password")
	err := kp.web.ConfirmIdentity(p.r.Context(), p.session, password)
	kp.h.loggedIn(password, err, false)
	if err != nil {
		kp.failed(p, err)
		return
	}
	kp.done(p, "confirmed", nil)
}

// logout is POST /web/keys/logout: the session ends everywhere.
func (kp *keysPage) logout(p *pageRequest) {
	if err := kp.web.Logout(p.r.Context(), p.session); err != nil {
		kp.failed(p, err)
		return
	}
	wr := &webRoutes{h: kp.h}
	http.SetCookie(p.w, wr.sessionCookie(p.r, "", -time.Second, time.Unix(0, 0)))
	pageHeaders(p.w)
	http.Redirect(p.w, p.r, "/web/login", http.StatusSeeOther)
}

// formLimits reads the restriction fields of a form.
func formLimits(r *http.Request) services.KeyLimits {
	return services.KeyLimits{Allow: strings.Fields(r.PostFormValue("allow")), ReadOnly: r.PostFormValue("read_only") != "",
		From: strings.Fields(r.PostFormValue("from"))}
}

func formID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// badForm is the error of a form field that does not parse.
func badForm(field string) error {
	return models.UserErrorf("The form's %s is not valid.", field)
}
