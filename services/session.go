package services

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
	"github.com/uptrace/bun"
)

// Web is the web client's service: the sessions of its routes, and what
// its JSON routes answer besides model calls.
type Web struct{ c *core }

// Web returns the web client's service of the set.
func (s *Set) Web() *Web { return &Web{s.core} }

// Web sessions: what /web/session/authenticate opens and the auth='user'
// routes (/web/session/*, /web/dataset/call_kw, Handler.Route with the user
// mode) require. A session lives in its database's http_session table, so
// every godoo process sharing the database accepts it, and its id names the
// database, so any process finds it without a registry of its own:
//
//	<base64url(database name)>.<base64url(32 random bytes)>
//
// Only a SHA-256 of the whole id is stored. The id is a secret: it never
// reaches a log or an error.

// SessionLifetime is the default idle limit of a session and the cookie's
// Max-Age, Odoo's SESSION_LIFETIME; the database's
// sessions.max_inactivity_seconds parameter overrides it.
const SessionLifetime = 7 * 24 * time.Hour

const (
	sessionSecretBytes = 32
	// sessionSecretLen is the base64url length of the secret, unpadded.
	sessionSecretLen = 43
	// sessionTouchEvery bounds how often a session's last use is written:
	// a client calling many times a second costs one write a minute.
	sessionTouchEvery = time.Minute
)

// Session is a valid web session, as the rpc package needs it to answer and
// to set the cookie.
type Session struct {
	// ID is the session id, the cookie value: a secret, for the cookie only.
	ID    string
	DB    string
	UID   int64
	Login string
	// MaxAge is the idle limit in force, the cookie's Max-Age; Expires is
	// when the session ends if it is not used again.
	MaxAge  time.Duration
	Expires time.Time
	// Refresh is true when this use moved the expiry, so that the cookie is
	// worth sending again.
	Refresh bool
	// rowID and identityChecked carry the session's identity check (see
	// models.IdentityCheck) to the calls made with it.
	rowID           int64
	identityChecked time.Time
}

// Identity is the session's user as a route identity (mode "user").
func (s Session) Identity() auth.Identity {
	id := auth.Identity{DB: s.DB, UID: s.UID, Login: s.Login, Mode: "user"}
	if s.rowID != 0 {
		id.Session = &auth.SessionCheck{Row: s.rowID, Checked: s.identityChecked}
	}
	return id
}

// SessionRequest is what a request carries toward its session.
type SessionRequest struct {
	// ID is the session id from the session_id cookie or the
	// X-Openerp-Session-Id header; "" for none.
	ID string
	// Host is the request's host name, for the %h and %d of dbfilter.
	Host string
}

// WebLogin is one /web/session/authenticate call.
type WebLogin struct {
	DB, Login, Password string
	// Host is the request's host name, for dbfilter.
	Host string
	// PreviousID is the session the request carried, if any: login rotates
	// the session, so it is ended.
	PreviousID string
	// CheckedIdentity starts the session with its identity checked (the
	// password was just given), as godoo's own login form does for the key
	// page; the web client's authenticate, like Odoo's, leaves it
	// unchecked.
	CheckedIdentity bool
}

// ErrSessionExpired is the answer for a missing, malformed, expired,
// destroyed or invalidated session (Odoo's SessionExpiredException).
var ErrSessionExpired error = refuse(models.ReasonNoSession)

// ErrNotFound is werkzeug's NotFound, which Odoo 18's call_kw raises for
// an unknown model before anything else.
var ErrNotFound error = &models.Error{Kind: models.KindNotFound}

// newSessionID makes a session id for database db.
func newSessionID(db string) (string, error) {
	var secret [sessionSecretBytes]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString([]byte(db)) + "." + base64.RawURLEncoding.EncodeToString(secret[:]), nil
}

// sessionDB returns the database a session id names, refusing anything but
// the exact shape newSessionID makes (canonical base64url, a valid
// database name, a 32-byte secret).
func sessionDB(sid string) (string, bool) {
	if len(sid) > 200 {
		return "", false
	}
	enc, secret, ok := strings.Cut(sid, ".")
	if !ok || enc == "" || len(secret) != sessionSecretLen {
		return "", false
	}
	name, err := base64.RawURLEncoding.Strict().DecodeString(enc)
	if err != nil || base64.RawURLEncoding.EncodeToString(name) != enc || !models.ValidDBName(string(name)) {
		return "", false
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(secret)
	if err != nil || len(raw) != sessionSecretBytes || base64.RawURLEncoding.EncodeToString(raw) != secret {
		return "", false
	}
	return string(name), true
}

// sessionHash is the stored form of a session id. It covers the database
// part too, so a copy of the database under another name (duplicate,
// rename) accepts none of the original's sessions.
func sessionHash(sid string) string {
	sum := sha256.Sum256([]byte(sid))
	return hex.EncodeToString(sum[:])
}

// sessionToken binds a session to the user's credentials, as Odoo's
// session token does (id, login, password): changing the password or the
// login ends the user's sessions; a group change does not.
func sessionToken(u models.UserCredentials) string {
	h := sha256.New()
	h.Write([]byte(strconv.FormatInt(u.ID, 10)))
	h.Write([]byte{0})
	h.Write([]byte(u.Login))
	h.Write([]byte{0})
	h.Write([]byte(u.Hash))
	return hex.EncodeToString(h.Sum(nil))
}

// maxInactivity reads sessions.max_inactivity_seconds, SessionLifetime when
// unset or not a positive integer.
func maxInactivity(ctx context.Context, db bun.IDB) time.Duration {
	v, ok, err := models.ConfigParam(ctx, db, "sessions.max_inactivity_seconds")
	if err != nil || !ok {
		return SessionLifetime
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n <= 0 || n > 10*365*24*3600 {
		return SessionLifetime
	}
	return time.Duration(n) * time.Second
}

// Authenticate is /web/session/authenticate: an interactive login with a
// password, never an API key, which opens a new session (and ends the one
// the request carried). It returns the session and its session_info.
// Errors: AccessError "Database not found." when dbfilter hides the
// database; AccessDenied for bad credentials, an API key or the login
// cool-down; the store's error for a database that does not exist.
func (w *Web) Authenticate(ctx context.Context, in WebLogin) (Session, *models.Dict, error) {
	if !w.c.dbf.visible(in.DB, in.Host) {
		return Session{}, nil, models.AccessErrorf("Database not found.")
	}
	db, err := w.c.open(ctx, in.DB)
	if err != nil {
		return Session{}, nil, err
	}
	ip := remoteAddr(ctx)
	uid, err := w.passwordLogin(ctx, db, in.DB, in.Login, in.Password, ip)
	if err != nil {
		return Session{}, nil, err
	}
	sid, err := newSessionID(in.DB)
	if err != nil {
		return Session{}, nil, err
	}
	// Rotation: the session the request carried ends here, in its own
	// database when that is another one.
	prevDB, hadPrev := sessionDB(in.PreviousID)
	if hadPrev && prevDB != in.DB {
		w.dropSession(ctx, prevDB, in.PreviousID)
	}
	var s Session
	res, err := w.c.run(ctx, db, uid, false, func(ctx context.Context, env *models.Env) (any, error) {
		u, found, err := models.UserByID(ctx, env.DB, uid)
		if err != nil {
			return nil, err
		}
		if !found || !u.Active {
			return nil, models.ErrAccessDenied
		}
		now := w.c.cfg.Now().UTC().Truncate(time.Second)
		idle := maxInactivity(ctx, env.DB)
		if hadPrev && prevDB == in.DB {
			if _, err := models.DeleteSession(ctx, env.DB, sessionHash(in.PreviousID)); err != nil {
				return nil, err
			}
		}
		if _, err := models.DeleteExpiredSessions(ctx, env.DB, now); err != nil {
			return nil, err
		}
		row := models.WebSession{UID: uid, Login: u.Login, Token: sessionToken(u), Created: now, LastSeen: now, Expires: now.Add(idle)}
		if err := models.InsertSession(ctx, env.DB, sessionHash(sid), row, ip); err != nil {
			return nil, err
		}
		s = Session{ID: sid, DB: in.DB, UID: uid, Login: u.Login, MaxAge: idle, Expires: row.Expires, Refresh: true}
		if in.CheckedIdentity {
			saved, _, err := models.SessionByHash(ctx, env.DB, sessionHash(sid))
			if err != nil {
				return nil, err
			}
			if err := models.SetSessionIdentityCheck(ctx, env.DB, saved.ID, now); err != nil {
				return nil, err
			}
			s.rowID, s.identityChecked = saved.ID, now
		}
		return w.sessionInfo(ctx, env, in.DB)
	})
	if err != nil {
		return Session{}, nil, err
	}
	w.c.log.InfoContext(ctx, "web session opened", "db", in.DB, "login", s.Login, "uid", uid, "ip", ip)
	info, _ := res.(*models.Dict)
	return s, info, nil
}

// passwordLogin checks a password as an interactive login does: API keys
// are refused even when valid (Odoo accepts them on RPC only).
func (w *Web) passwordLogin(ctx context.Context, db *bun.DB, dbname, login, password, ip string) (int64, error) {
	pk, isKey := auth.ParseKey(password)
	if isKey && !pk.Odoo {
		// A godoo key is never a password. Logging in with an empty
		// password counts (and logs) the failure and applies the cool-down
		// exactly as a wrong password does.
		if _, err := w.c.auth.Login(ctx, db, dbname, login, "", ip); err != nil {
			return 0, w.c.refused(ctx, err)
		}
		return 0, w.c.refused(ctx, models.ErrAccessDenied)
	}
	uid, err := w.c.auth.Login(ctx, db, dbname, login, password, ip)
	if err != nil {
		return 0, w.c.refused(ctx, err)
	}
	if isKey {
		// Forty hex characters may be an Odoo key or a password: only the
		// stored password hash tells, and Login accepted either.
		u, found, err := models.UserByID(ctx, db, uid)
		if err != nil {
			return 0, err
		}
		if ok, _ := auth.VerifyPassword(password, u.Hash, 1); !found || !ok {
			w.c.auth.Refused(ip, dbname, login, "key_as_password")
			return 0, models.ErrAccessDenied
		}
	}
	return uid, nil
}

// dropSession deletes a session of a database other than the one being
// logged into, if that database exists; failures only cost a stale row.
func (w *Web) dropSession(ctx context.Context, dbname, sid string) {
	if ok, err := w.c.store.Exists(ctx, dbname); err != nil || !ok {
		return
	}
	db, err := w.c.open(ctx, dbname)
	if err != nil {
		return
	}
	if _, err := models.DeleteSession(ctx, db, sessionHash(sid)); err != nil {
		w.c.log.WarnContext(ctx, "ending the previous session failed", "db", dbname, "err", err)
	}
}

// Session resolves the session a request carries. It runs on the pool, as
// authentication does, and records the use at most once a minute.
// Errors: ErrSessionExpired for a missing, malformed, unknown, idle,
// destroyed or invalidated session, or one whose database dbfilter hides.
func (w *Web) Session(ctx context.Context, in SessionRequest) (Session, error) {
	if in.ID == "" {
		return Session{}, ErrSessionExpired
	}
	name, ok := sessionDB(in.ID)
	if !ok || !w.c.dbf.visible(name, in.Host) {
		return Session{}, ErrSessionExpired
	}
	db, err := w.c.open(ctx, name)
	if err != nil {
		if exists, xerr := w.c.store.Exists(ctx, name); xerr == nil && !exists {
			return Session{}, ErrSessionExpired
		}
		return Session{}, err
	}
	row, found, err := models.SessionByHash(ctx, db, sessionHash(in.ID))
	if err != nil {
		return Session{}, err
	}
	if !found {
		return Session{}, ErrSessionExpired
	}
	now := w.c.cfg.Now().UTC().Truncate(time.Second)
	idle := maxInactivity(ctx, db)
	u, userFound, err := models.UserByID(ctx, db, row.UID)
	if err != nil {
		return Session{}, err
	}
	switch {
	case !now.Before(row.LastSeen.Add(idle)):
		w.c.log.InfoContext(ctx, "web session expired", "db", name, "login", row.Login)
	case !userFound || !u.Active:
		w.c.log.InfoContext(ctx, "web session ended: user archived or removed", "db", name, "login", row.Login)
	case sessionToken(u) != row.Token:
		w.c.log.InfoContext(ctx, "web session ended: credentials changed", "db", name, "login", row.Login)
	default:
		s := Session{ID: in.ID, DB: name, UID: row.UID, Login: u.Login, MaxAge: idle, Expires: row.LastSeen.Add(idle),
			rowID: row.ID, identityChecked: row.IdentityChecked}
		if now.Sub(row.LastSeen) >= min(sessionTouchEvery, idle/20) {
			s.Expires, s.Refresh = now.Add(idle), true
			if err := models.TouchSession(ctx, db, row.ID, now, s.Expires); err != nil {
				// The session stays valid; only its last use is older.
				w.c.log.WarnContext(ctx, "recording a session's use failed", "db", name, "err", w.c.store.Classify(err))
				s.Expires, s.Refresh = row.LastSeen.Add(idle), false
			}
		}
		return s, nil
	}
	if err := models.DeleteSessionByID(ctx, db, row.ID); err != nil {
		w.c.log.WarnContext(ctx, "deleting an ended session failed", "db", name, "err", w.c.store.Classify(err))
	}
	return Session{}, ErrSessionExpired
}

// Logout is /web/session/destroy: the session is deleted, so that every
// process refuses it from now on.
func (w *Web) Logout(ctx context.Context, s Session) error {
	db, err := w.c.open(ctx, s.DB)
	if err != nil {
		return err
	}
	if _, err := models.DeleteSession(ctx, db, sessionHash(s.ID)); err != nil {
		return w.c.store.Classify(err)
	}
	w.c.log.InfoContext(ctx, "web session closed", "db", s.DB, "login", s.Login, "ip", remoteAddr(ctx))
	return nil
}

// SessionInfo is /web/session/get_session_info: Odoo's session_info for the
// session's user.
func (w *Web) SessionInfo(ctx context.Context, s Session) (*models.Dict, error) {
	db, err := w.c.open(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	res, err := w.c.run(ctx, db, s.UID, true, func(ctx context.Context, env *models.Env) (any, error) {
		return w.sessionInfo(ctx, env, s.DB)
	})
	if err != nil {
		return nil, err
	}
	info, _ := res.(*models.Dict)
	return info, nil
}

// CallKw is /web/dataset/call_kw: execute_kw as the session's user, in one
// transaction. Errors: ErrNotFound for an unknown model (Odoo 18 raises
// NotFound before the call); those of execute_kw.
func (w *Web) CallKw(ctx context.Context, s Session, model, method string, args []any, kwargs map[string]any) (any, error) {
	reg, err := w.c.registryNamed(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	if reg.Model(model) == nil {
		return nil, ErrNotFound
	}
	return w.c.call(ctx, s.Identity(), model, method, args, kwargs)
}

// Modules is /web/session/modules: the modules godoo stands for.
func (w *Web) Modules() []any { return []any{"base", "web"} }

// VersionInfo is /web/webclient/version_info and the version of /web/version.
func (w *Web) VersionInfo() *models.Dict { return versionInfo(w.c.cfg.ServerVersion) }

// Databases is /web/database/list: the databases dbfilter shows for host.
// Errors: AccessDenied when list_db is off.
func (w *Web) Databases(ctx context.Context, host string) ([]string, error) {
	if !w.c.cfg.ListDB {
		return nil, models.ErrAccessDenied
	}
	names, err := w.c.store.List(ctx)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, n := range names {
		if w.c.dbf.visible(n, host) {
			out = append(out, n)
		}
	}
	return out, nil
}

// DBServerStatus reports whether the database server answers, for
// /web/health?db_server_status=1.
func (w *Web) DBServerStatus(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := w.c.store.List(ctx)
	return err == nil
}

// sessionInfo builds Odoo's session_info (addons/web/models/ir_http.py) for
// env's user, reading as the superuser.
func (w *Web) sessionInfo(ctx context.Context, env *models.Env, dbname string) (*models.Dict, error) {
	su := env.Sudo()
	reg := env.Registry
	users, err := su.Read(ctx, reg.Model("res.users"), []int64{env.UID}, []string{"name", "login", "partner_id", "company_id", "company_ids"}, false)
	if err != nil {
		return nil, err
	}
	if len(users) != 1 {
		return nil, models.ErrAccessDenied
	}
	user := users[0]
	partnerID, _ := oneID(user["partner_id"])
	companyID, _ := oneID(user["company_id"])
	partnerName, partnerWrite := any(false), any(false)
	if partnerID != 0 {
		ps, err := su.Read(ctx, reg.Model("res.partner"), []int64{partnerID}, []string{"display_name", "write_date"}, false)
		if err != nil {
			return nil, err
		}
		if len(ps) == 1 {
			partnerName, partnerWrite = ps[0]["display_name"], ps[0]["write_date"]
		}
	}
	userContext, err := reg.Call(ctx, env, "res.users", "context_get", []any{}, nil)
	if err != nil {
		return nil, err
	}
	groups := map[string]bool{}
	for _, g := range []string{"base.group_system", "base.group_erp_manager", "base.group_public", "base.group_user"} {
		if groups[g], err = env.HasGroup(ctx, g); err != nil {
			return nil, err
		}
	}
	baseURL, _, err := models.ConfigParam(ctx, env.DB, "web.base.url")
	if err != nil {
		return nil, err
	}
	currencies, err := w.currencies(ctx, su)
	if err != nil {
		return nil, err
	}
	v := versionInfo(w.c.cfg.ServerVersion)
	version, _ := v.Get("server_version")
	versionList, _ := v.Get("server_version_info")
	lang := langOf(userContext)
	// The keys in the order of Odoo 18's session_info. Odoo keeps a
	// res.users.settings record per user; godoo keeps none, so the
	// settings are named by the user's id.
	info := models.NewDict(32)
	info.Set("uid", env.UID)
	info.Set("is_system", groups["base.group_system"] || env.UID == models.SuperuserID)
	info.Set("is_admin", groups["base.group_erp_manager"] || env.UID == models.SuperuserID)
	info.Set("is_public", groups["base.group_public"])
	info.Set("is_internal_user", groups["base.group_user"])
	info.Set("user_context", userContext)
	info.Set("db", dbname)
	info.Set("user_settings", models.DictOf([]string{"id", "user_id"}, []any{env.UID, map[string]any{"id": env.UID}}))
	info.Set("server_version", version)
	info.Set("server_version_info", versionList)
	info.Set("support_url", "https://www.odoo.com/buy")
	info.Set("name", user["name"])
	info.Set("username", user["login"])
	info.Set("quick_login", true)
	info.Set("partner_write_date", partnerWrite)
	info.Set("partner_display_name", partnerName)
	info.Set("partner_id", partnerID)
	info.Set("web.base.url", baseURL)
	info.Set("active_ids_limit", int64(20000))
	info.Set("profile_session", nil)
	info.Set("profile_collectors", nil)
	info.Set("profile_params", nil)
	info.Set("max_file_upload_size", int64(128<<20))
	info.Set("home_action_id", false)
	info.Set("cache_hashes", map[string]any{"translations": translationsHash(version, lang)})
	info.Set("currencies", currencies)
	info.Set("bundle_params", map[string]any{"lang": lang})
	info.Set("test_mode", false)
	info.Set("view_info", viewInfo())
	if groups["base.group_user"] {
		companies, err := w.userCompanies(ctx, su, companyID, user["company_ids"])
		if err != nil {
			return nil, err
		}
		info.Set("user_companies", companies)
		info.Set("show_effect", true)
		// The company switcher shows only to a user of several companies.
		allowed, _ := models.IDList(user["company_ids"])
		info.Set("display_switch_company_menu", len(allowed) > 1)
	}
	return info, nil
}

// companyKeys are the keys of a company in session_info's user_companies,
// in Odoo 18's order.
var companyKeys = []string{"id", "name", "sequence", "child_ids", "parent_id"}

// userCompanies is session_info's user_companies: the current company, the
// allowed ones and their ancestors the user may not use.
func (w *Web) userCompanies(ctx context.Context, su *models.Env, current int64, allowedIDs any) (*models.Dict, error) {
	ids, err := models.IDList(allowedIDs)
	if err != nil {
		return nil, err
	}
	m := w.c.registry.Model("res.company")
	fields := []string{"name", "sequence", "parent_id"}
	byID := map[int64]models.Record{}
	load := func(ids []int64) error {
		recs, err := su.Read(ctx, m, ids, fields, false)
		for _, r := range recs {
			id, _ := oneID(r["id"])
			byID[id] = r
		}
		return err
	}
	if err := load(ids); err != nil {
		return nil, err
	}
	allowed := map[int64]bool{}
	for _, id := range ids {
		allowed[id] = true
	}
	// Ancestors outside the allowed set, loaded level by level.
	disallowed := map[int64]bool{}
	for frontier := ids; len(frontier) > 0; {
		var next []int64
		for _, id := range frontier {
			if p, ok := oneID(byID[id]["parent_id"]); ok && !allowed[p] && !disallowed[p] {
				disallowed[p] = true
				next = append(next, p)
			}
		}
		if err := load(next); err != nil {
			return nil, err
		}
		frontier = next
	}
	children := map[int64][]any{}
	for _, id := range ids {
		if p, ok := oneID(byID[id]["parent_id"]); ok {
			children[p] = append(children[p], id)
		}
	}
	entry := func(id int64) *models.Dict {
		r := byID[id]
		parent := any(false)
		if p, ok := oneID(r["parent_id"]); ok {
			parent = p
		}
		return models.DictOf(companyKeys, []any{id, r["name"], r["sequence"], orEmpty(children[id]), parent})
	}
	allowedOut := models.NewDict(len(ids))
	for _, id := range ids {
		if byID[id] != nil {
			allowedOut.Set(strconv.FormatInt(id, 10), entry(id))
		}
	}
	disallowedIDs := slices.Sorted(maps.Keys(disallowed))
	disallowedOut := models.NewDict(len(disallowedIDs))
	for _, id := range disallowedIDs {
		if byID[id] != nil {
			disallowedOut.Set(strconv.FormatInt(id, 10), entry(id))
		}
	}
	return models.DictOf([]string{"current_company", "allowed_companies", "disallowed_ancestor_companies"},
		[]any{current, allowedOut, disallowedOut}), nil
}

// currencies is session_info's currencies: the active currencies by id.
func (w *Web) currencies(ctx context.Context, su *models.Env) (*models.Dict, error) {
	m := w.c.registry.Model("res.currency")
	ids, err := su.Search(ctx, m, []any{}, models.SearchOptions{})
	if err != nil {
		return nil, err
	}
	fields := []string{"symbol"}
	if m.Field("position") != nil {
		fields = append(fields, "position")
	}
	recs, err := su.Read(ctx, m, ids, fields, false)
	if err != nil {
		return nil, err
	}
	out := models.NewDict(len(recs))
	for _, r := range recs {
		id, _ := oneID(r["id"])
		position := r["position"]
		if position == nil {
			position = "after" // Odoo's default, for a model without the field
		}
		out.Set(strconv.FormatInt(id, 10), models.DictOf([]string{"symbol", "position", "digits"},
			[]any{r["symbol"], position, []any{int64(69), int64(2)}}))
	}
	return out, nil
}

func oneID(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, x != 0
	case []any:
		if len(x) > 0 {
			return oneID(x[0])
		}
	}
	return 0, false
}

// translationsHash is session_info's cache_hashes.translations: a key
// that changes when the translations the web client caches may change,
// which for godoo is with the server's version and the user's language.
func translationsHash(version, lang any) string {
	sum := sha256.Sum256([]byte(fmt.Sprint(version, "/", lang)))
	return hex.EncodeToString(sum[:])
}

// viewInfo is session_info's view_info: the view types the web client
// offers, with Odoo 18's labels and icons, in Odoo's order.
func viewInfo() *models.Dict {
	view := func(name, icon string, multi bool) *models.Dict {
		return models.DictOf([]string{"display_name", "icon", "multi_record"}, []any{name, icon, multi})
	}
	return models.DictOf([]string{"list", "form", "graph", "pivot", "calendar", "kanban", "search"}, []any{
		view("List", "oi oi-view-list", true),
		view("Form", "fa fa-address-card", false),
		view("Graph", "fa fa-area-chart", true),
		view("Pivot", "oi oi-view-pivot", true),
		view("Calendar", "fa fa-calendar", true),
		view("Kanban", "oi oi-view-kanban", true),
		view("Search", "oi oi-search", true),
	})
}

func orEmpty(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}

func langOf(ctx any) any {
	if m, ok := ctx.(map[string]any); ok && m["lang"] != nil {
		return m["lang"]
	}
	return "en_US"
}

// dbFilter is Odoo's dbfilter: a regular expression matched at the start of
// each database name (Python's re.match), in which %h stands for the
// request's host name and %d for its first label ("www." dropped).
type dbFilter struct {
	pattern string
	fixed   *regexp.Regexp // the compiled pattern when it has neither %h nor %d
	broken  bool           // the pattern does not compile: nothing is visible
}

func newDBFilter(pattern string, log *slog.Logger) *dbFilter {
	f := &dbFilter{pattern: pattern}
	if pattern == "" {
		return f
	}
	re, err := compileDBFilter(pattern, "localhost")
	if err != nil {
		log.Error("dbfilter is not a valid regular expression: no database is visible to the web routes", "dbfilter", pattern, "err", err)
		f.broken = true
		return f
	}
	if !strings.Contains(pattern, "%h") && !strings.Contains(pattern, "%d") {
		f.fixed = re
	}
	return f
}

func compileDBFilter(pattern, host string) (*regexp.Regexp, error) {
	host, _, _ = strings.Cut(host, ":")
	host = strings.TrimPrefix(host, "www.")
	domain, _, _ := strings.Cut(host, ".")
	p := strings.ReplaceAll(pattern, "%h", regexp.QuoteMeta(host))
	p = strings.ReplaceAll(p, "%d", regexp.QuoteMeta(domain))
	return regexp.Compile(`^(?:` + p + `)`)
}

// visible reports whether the filter lets database name through for a
// request to host. Without a filter every database is visible.
func (f *dbFilter) visible(name, host string) bool {
	switch {
	case f == nil || f.pattern == "":
		return true
	case f.broken:
		return false
	case f.fixed != nil:
		return f.fixed.MatchString(name)
	}
	re, err := compileDBFilter(f.pattern, host)
	return err == nil && re.MatchString(name)
}

// SessionDatabase names the database of a well-formed session id, without
// checking that the session exists. JSON-2 uses it to refuse a request whose
// X-Odoo-Database contradicts its session cookie, as Odoo 19 does.
func SessionDatabase(sid string) (string, bool) { return sessionDB(sid) }
