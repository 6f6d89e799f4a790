package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/models/filestore"
	"github.com/godoo/godoo/models/py"
)

// SuperuserID is Odoo's __system__ user, which bypasses access rights.
const SuperuserID int64 = 1

// Env is the environment one call runs in: the transaction, the user, the
// context and the clock. It is Odoo's env, reduced to what godoo needs.
type Env struct {
	// DB is always the call's transaction; model code never begins or
	// commits one.
	DB       bun.IDB
	Dialect  string
	Registry *Registry
	// Classify turns driver errors into kinds; the store provides it.
	Classify func(error) error
	UID      int64
	Context  map[string]any
	// Now is captured once per transaction so that every row a call writes
	// carries the same timestamp.
	Now time.Time
	// RemoteAddr is the client's address, for the audit trail.
	RemoteAddr string
	// CredentialsChanging, when set, is called once in a transaction that
	// changes credentials (users' logins, passwords, active flags and
	// groups, keys, key groups), before it commits; the function it returns
	// runs after the commit. The services use it to drop cached checks.
	CredentialsChanging func() func()
	// Identity is the caller's last password re-check; shared by every
	// copy of the Env.
	Identity *IdentityCheck
	// Access caches access verdicts and record rules across transactions;
	// nil reads them in every transaction.
	Access *AccessCache
	// Files is the filestore of the database, where attachments keep
	// their content; nil keeps it in the database (db_datas).
	Files *filestore.Dir
	// InstallModules installs modules by name, with those they need, in
	// the call's transaction (ir.module.module's button_immediate_install);
	// the services provide it for the call's database. Nil: the database
	// cannot install modules.
	InstallModules func(ctx context.Context, env *Env, names []string) error

	su    bool
	state *envState
}

// envState is shared by every copy of an Env within one transaction.
type envState struct {
	groups   map[int64]bool
	onCommit []func()
	// credentials is set once the transaction changed credentials.
	credentials bool
	// rules caches the ir.rule domain per model and operation.
	rules map[string]ruleCache
	// xmlids caches the groups that field access rights name.
	xmlids map[string]int64
	// filesMarked is set once the transaction wrote or dropped a stored
	// file: the filestore's checklist is then collected after it ends.
	filesMarked bool
	// registryChanged is set once the transaction moved the version of
	// the database's extension (RegistryChanged).
	registryChanged bool
	// precommit is the work left for the end of the call (BeforeCommit),
	// and data what that work gathers meanwhile (TxData).
	precommit precommit
	data      map[string]any
}

type ruleCache struct {
	domain []any
	ok     bool
	// companies is the call's companies the domain was bound to, when its
	// rules name them (env.company_ids, env.company_id); "" otherwise. A
	// bound domain kept across calls serves only calls with the same.
	companies string
	// compiled is the domain's SQL, compiled once for the calls that
	// share the bound domain (see compiledRule).
	compiled *compiledRule
}

// NewEnv builds the environment of one transaction.
func NewEnv(db bun.IDB, dialect string, reg *Registry, classify func(error) error, uid int64, now time.Time) *Env {
	if classify == nil {
		classify = func(err error) error { return err }
	}
	// The Env, its shared state and its identity check are one
	// allocation instead of three: every call makes an Env.
	b := &envBlock{}
	b.env = Env{DB: db, Dialect: dialect, Registry: reg, Classify: classify, UID: uid,
		Context: map[string]any{}, Now: now.UTC().Truncate(time.Second), state: &b.state, Identity: &b.identity}
	return &b.env
}

// envBlock is what NewEnv allocates at once.
type envBlock struct {
	env      Env
	state    envState
	identity IdentityCheck
}

// Sudo returns a copy that bypasses access rights, as Odoo's sudo() does.
func (e *Env) Sudo() *Env { c := *e; c.su = true; return &c }

// IsSuperuser reports whether access checks are skipped.
func (e *Env) IsSuperuser() bool { return e.su || e.UID == SuperuserID }

// WithContext returns a copy whose context is ctx (Odoo's with_context(ctx)
// replaces the context).
func (e *Env) WithContext(ctx map[string]any) *Env {
	c := *e
	c.Context = ctx
	if c.Context == nil {
		c.Context = map[string]any{}
	}
	return &c
}

// WithRegistry is e on registry r: the same transaction, user and
// context, for the work of a call that changes the database's models (a
// module's installation) on the models they become.
func (e *Env) WithRegistry(r *Registry) *Env { c := *e; c.Registry = r; return &c }

// OnCommit registers fn to run after the transaction commits, for side
// effects such as cache invalidation that must not happen on rollback.
func (e *Env) OnCommit(fn func()) { e.state.onCommit = append(e.state.onCommit, fn) }

// credentialsChanged notes that the transaction writes table, which may hold
// credentials or access rights (the table of an AuthCached model): see
// CredentialsChanging.
//
// The rule domains the transaction bound are dropped at every such write:
// they may hold what it changes (the user's companies, the companies a
// hierarchy term names), and its next check must read its own writes.
func (e *Env) credentialsChanged(table string) {
	if e.Registry == nil || !e.Registry.authTables[table] {
		return
	}
	e.state.rules = nil
	if e.state.credentials {
		return
	}
	e.state.credentials = true
	if e.CredentialsChanging != nil {
		e.OnCommit(e.CredentialsChanging())
	}
}

// access returns the cross-transaction access cache, unless this
// transaction changed access rights: it then reads its own writes.
func (e *Env) access() *AccessCache {
	if e.state.credentials {
		return nil
	}
	return e.Access
}

// FilesMarked notes that the transaction put stored files on the
// filestore's checklist.
func (e *Env) FilesMarked() { e.state.filesMarked = true }

// FilesCollectable reports whether FilesMarked was called: the services
// then collect the checklist once the transaction is over, committed or
// not.
func (e *Env) FilesCollectable() bool { return e.state.filesMarked }

// CommitHooks returns the functions registered with OnCommit.
func (e *Env) CommitHooks() []func() { return e.state.onCommit }

// ActiveTest reports whether archived records are hidden (the default).
func (e *Env) ActiveTest() bool {
	v, ok := e.Context["active_test"]
	return !ok || py.Truthy(v)
}

// NowText is Now in the layout stored in datetime columns.
func (e *Env) NowText() string { return e.Now.Format(DatetimeLayout) }

// Groups returns the ids of the groups the user belongs to, loaded once per
// transaction.
func (e *Env) Groups(ctx context.Context) (map[int64]bool, error) {
	if e.state.groups != nil {
		return e.state.groups, nil
	}
	ids, err := e.Int64s(ctx, "SELECT gid FROM res_groups_users_rel WHERE uid = ?", e.UID)
	if err != nil {
		return nil, err
	}
	g := make(map[int64]bool, len(ids))
	for _, id := range ids {
		g[id] = true
	}
	e.state.groups = g
	return g, nil
}

// HasGroup reports whether the user belongs to the group with the external id
// xmlid ("base.group_system").
func (e *Env) HasGroup(ctx context.Context, xmlid string) (bool, error) {
	gid, err := e.XMLID(ctx, xmlid)
	if err != nil || gid == 0 {
		return false, err
	}
	g, err := e.Groups(ctx)
	if err != nil {
		return false, err
	}
	return g[gid], nil
}

// XMLID resolves an external id "module.name" to its res_id, 0 when unknown.
func (e *Env) XMLID(ctx context.Context, xmlid string) (int64, error) {
	module, name, ok := strings.Cut(xmlid, ".")
	if !ok {
		return 0, nil
	}
	var id int64
	_, err := e.Scalar(ctx, &id, "SELECT res_id FROM ir_model_data WHERE module = ? AND name = ?", module, name)
	return id, err
}

var opVerb = map[Op]string{OpRead: "access", OpWrite: "modify", OpCreate: "create", OpUnlink: "delete"}

// CheckAccess enforces ir.model.access for op on m, with Odoo's message.
func (e *Env) CheckAccess(ctx context.Context, m *Model, op Op) error {
	ok, err := e.HasAccess(ctx, m, op)
	if err != nil || ok {
		return err
	}
	names, err := e.accessGroupNames(ctx, m, op)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "You are not allowed to %s '%s' (%s) records.\n\n", opVerb[op], m.Description, m.Name)
	if len(names) == 0 {
		b.WriteString("No group currently allows this operation.")
	} else {
		b.WriteString("This operation is allowed for the following groups:")
		for _, n := range names {
			b.WriteString("\n\t- " + n)
		}
	}
	b.WriteString("\n\nContact your administrator to request access if necessary.")
	return &Error{Kind: KindAccess, Message: b.String()}
}

// accessGroupNames are the groups whose access rights allow op on m, by
// their full names ("Administration/Access Rights": the group's
// application, when groups have one, then its name), sorted, as Odoo's
// access error lists them.
func (e *Env) accessGroupNames(ctx context.Context, m *Model, op Op) ([]string, error) {
	name := "g.name"
	join := ""
	if g := e.Registry.Model("res.groups"); g != nil && g.Fields["category_id"] != nil && e.Registry.Model("ir.module.category") != nil {
		name = "COALESCE(c.name || '/', '') || g.name"
		join = " LEFT JOIN ir_module_category c ON c.id = g.category_id"
	}
	names, err := e.Strings(ctx, `SELECT `+name+` FROM ir_model_access a
		JOIN ir_model im ON im.id = a.model_id JOIN res_groups g ON g.id = a.group_id`+join+`
		WHERE im.model = ? AND a.active AND a.perm_`+string(op), m.Name)
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// HasAccess reports whether the user may perform op on m.
func (e *Env) HasAccess(ctx context.Context, m *Model, op Op) (bool, error) {
	if e.IsSuperuser() {
		return true, nil
	}
	switch op {
	case OpRead, OpWrite, OpCreate, OpUnlink:
	default:
		return false, ServerErrorf("builtins.ValueError", "Invalid access mode: %s", op)
	}
	key := accessKey{e.UID, m.Name, op}
	if v, ok := e.access().getAccess(key); ok {
		return v, nil
	}
	var n int64
	_, err := e.Scalar(ctx, &n, `SELECT COUNT(*) FROM ir_model_access a JOIN ir_model im ON im.id = a.model_id
		WHERE im.model = ? AND a.active AND a.perm_`+string(op)+`
		AND (a.group_id IS NULL OR a.group_id IN (SELECT gid FROM res_groups_users_rel WHERE uid = ?))`,
		m.Name, e.UID)
	if err == nil {
		e.access().putAccess(key, n > 0)
	}
	return n > 0, err
}

// checkLang refuses a context whose lang is neither en_US nor an active
// language, with Odoo's UserError. Odoo raises it when the environment's
// language is first needed, which every model method reaches (names,
// labels, defaults); godoo checks it once, before the method runs.
func (e *Env) checkLang(ctx context.Context) error {
	lang, _ := e.Context["lang"].(string)
	if lang == "" || lang == "en_US" || e.Registry.Model("res.lang") == nil {
		return nil
	}
	var one int64
	found, err := e.Scalar(ctx, &one, "SELECT 1 FROM res_lang WHERE code = ? AND active = ?", lang, true)
	if err != nil || found {
		return err
	}
	return UserErrorf("Invalid language code: %s", lang)
}

// checkAllowedCompanies refuses a context whose allowed_company_ids names a
// company the user does not belong to.
func (e *Env) checkAllowedCompanies(ctx context.Context) error {
	v, ok := e.Context["allowed_company_ids"]
	if !ok || e.IsSuperuser() {
		return nil
	}
	ids, err := IDList(v)
	if err != nil || len(ids) == 0 {
		return err
	}
	mine, err := e.Int64s(ctx, "SELECT cid FROM res_company_users_rel WHERE user_id = ?", e.UID)
	if err != nil {
		return err
	}
	allowed := map[int64]bool{}
	for _, id := range mine {
		allowed[id] = true
	}
	for _, id := range ids {
		if !allowed[id] {
			return AccessErrorf("Access to unauthorized or invalid companies.")
		}
	}
	return nil
}
