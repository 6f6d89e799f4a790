package rpc

import (
	"net/http"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/services"
)

// The functions of Odoo's RPC services (common, object, db), as both
// XML-RPC and JSON-RPC call them: each binds its positional parameters by
// the Python signature of Odoo's exp_* function and calls the services.

// rpcServices are Odoo's RPC services and their functions, by their Odoo
// names.
var rpcServices = map[string]map[string]rpcMethod{
	"common": {"version": commonVersion, "login": commonLogin, "authenticate": commonAuthenticate, "about": commonAbout,
		"set_loglevel": commonSetLoglevel},
	"object": {"execute_kw": objectExecuteKw, "execute": objectExecute},
	"db": {"list": dbList, "db_exist": dbDbExist, "list_lang": dbListLang, "server_version": dbServerVersion,
		"list_countries": master(dbListCountries), "create_database": master(dbCreateDatabase),
		"duplicate_database": master(dbDuplicateDatabase), "drop": master(dbDrop), "rename": master(dbRename),
		"change_admin_password": master(dbChangeAdminPassword), "dump": master(dbDump), "restore": master(dbRestore),
		"migrate_databases": master(dbUnsupported("migrate_databases"))},
}

// master is a db function whose first parameter is the master password,
// which Odoo's dispatch takes by index before the function binds the
// rest: a call without parameters is the IndexError of the parameters,
// a tuple on XML-RPC and a list on JSON-RPC.
func master(fn rpcMethod) rpcMethod {
	return func(h *Handler, r *http.Request, p Params) (any, error) {
		if len(p) == 0 {
			seq := "list"
			if x := exchangeOf(r.Context()); x != nil && x.protocol == protoXMLRPC {
				seq = "tuple"
			}
			return nil, models.ServerErrorf("builtins.IndexError", "%s index out of range", seq)
		}
		return fn(h, r, p)
	}
}

func commonVersion(h *Handler, r *http.Request, p Params) (any, error) {
	return h.set.Common.VersionInfo(), p.scan(signature{name: "exp_version"})
}

func commonLogin(h *Handler, r *http.Request, p Params) (any, error) {
	var db, login string
	var pw any // any value: the services tell what Odoo does with one that is no text
	if err := p.scan(signature{name: "exp_login", params: []string{"db", "login", "password"}, required: 3}, &db, &login, &pw); err != nil {
		return nil, err
	}
	res, err := h.set.Common.Login(r.Context(), db, login, pw)
	h.loggedIn(pw, err, res == false)
	return res, err
}

func commonAuthenticate(h *Handler, r *http.Request, p Params) (any, error) {
	var db, login string
	var pw, env any
	if err := p.scan(signature{name: "exp_authenticate", params: []string{"db", "login", "password", "user_agent_env"}, required: 4},
		&db, &login, &pw, &env); err != nil {
		return nil, err
	}
	res, err := h.set.Common.Authenticate(r.Context(), db, login, pw)
	h.loggedIn(pw, err, res == false)
	return res, err
}

func commonAbout(h *Handler, r *http.Request, p Params) (any, error) {
	var extended bool
	if err := p.scan(signature{name: "exp_about", params: []string{"extended"}}, &extended); err != nil {
		return nil, err
	}
	return h.set.Common.About(extended), nil
}

func commonSetLoglevel(h *Handler, r *http.Request, p Params) (any, error) {
	var level, logger any
	return true, p.scan(signature{name: "exp_set_loglevel", params: []string{"loglevel", "logger"}, required: 1}, &level, &logger)
}

// execute runs a model method as the identity the call's own credentials
// prove (AuthPassword).
func execute(h *Handler, r *http.Request, c Claims, model, method string, args []any, kwargs map[string]any) (any, error) {
	exchangeOf(r.Context()).modelCall(h, model, method)
	g, err := h.identify(r, AuthPassword, c)
	if err != nil {
		return nil, err
	}
	return h.set.Object.Execute(r.Context(), g.id, model, method, args, kwargs)
}

func objectExecuteKw(h *Handler, r *http.Request, p Params) (any, error) {
	var c Claims
	var model, method string
	var args []any
	var kwargs map[string]any
	if err := p.scan(signature{name: "execute_kw", params: []string{"db", "uid", "passwd", "obj", "method", "args", "kw"}, required: 6},
		&c.DB, &c.UID, &c.Password, &model, &method, &args, &kwargs); err != nil {
		return nil, err
	}
	return execute(h, r, c, model, method, args, kwargs)
}

func objectExecute(h *Handler, r *http.Request, p Params) (any, error) {
	var c Claims
	var model, method string
	if err := p.scan(signature{name: "execute", params: []string{"db", "uid", "passwd", "obj", "method"}, required: 5, varargs: true},
		&c.DB, &c.UID, &c.Password, &model, &method); err != nil {
		return nil, err
	}
	return execute(h, r, c, model, method, append([]any{}, p[5:]...), nil)
}

func dbList(h *Handler, r *http.Request, p Params) (any, error) {
	var document bool
	if err := p.scan(signature{name: "exp_list", params: []string{"document"}}, &document); err != nil {
		return nil, err
	}
	return h.set.Database.List(r.Context())
}

func dbDbExist(h *Handler, r *http.Request, p Params) (any, error) {
	var name string
	if err := p.scan(signature{name: "exp_db_exist", params: []string{"db_name"}, required: 1}, &name); err != nil {
		return nil, err
	}
	return h.set.Database.Exist(r.Context(), name)
}

func dbListLang(h *Handler, r *http.Request, p Params) (any, error) {
	return h.set.Database.ListLang(), p.scan(signature{name: "exp_list_lang"})
}

func dbServerVersion(h *Handler, r *http.Request, p Params) (any, error) {
	return h.set.Database.ServerVersion(), p.scan(signature{name: "exp_server_version"})
}

func dbListCountries(h *Handler, r *http.Request, p Params) (any, error) {
	var master string
	if err := p.scan(signature{name: "exp_list_countries", params: []string{"master_pwd"}, required: 1}, &master); err != nil {
		return nil, err
	}
	return h.set.Database.ListCountries(r.Context(), master)
}

func dbCreateDatabase(h *Handler, r *http.Request, p Params) (any, error) {
	var master, name string
	var o services.CreateOptions
	// Odoo defaults user_password to "admin"; godoo never has a fixed
	// password, so a missing one is refused by the service.
	o.AdminLogin = "admin"
	var country, phone any
	err := p.scan(signature{name: "exp_create_database", required: 4,
		params: []string{"master_pwd", "db_name", "demo", "lang", "user_password", "login", "country_code", "phone"}},
		&master, &name, &o.Demo, &o.Lang, &o.AdminPassword, &o.AdminLogin, &country, &phone)
	if err != nil {
		return nil, err
	}
	o.CountryCode, _ = country.(string)
	o.Phone, _ = phone.(string)
	return h.set.Database.CreateDatabase(r.Context(), master, name, o)
}

func dbDuplicateDatabase(h *Handler, r *http.Request, p Params) (any, error) {
	var master, src, dst string
	var neutralize bool
	if err := p.scan(signature{name: "exp_duplicate_database", params: []string{"master_pwd", "db_original_name", "db_name", "neutralize_database"}, required: 3},
		&master, &src, &dst, &neutralize); err != nil {
		return nil, err
	}
	return h.set.Database.DuplicateDatabase(r.Context(), master, src, dst)
}

func dbDrop(h *Handler, r *http.Request, p Params) (any, error) {
	var master, name string
	if err := p.scan(signature{name: "exp_drop", params: []string{"master_pwd", "db_name"}, required: 2}, &master, &name); err != nil {
		return nil, err
	}
	return h.set.Database.Drop(r.Context(), master, name)
}

func dbRename(h *Handler, r *http.Request, p Params) (any, error) {
	var master, oldName, newName string
	if err := p.scan(signature{name: "exp_rename", params: []string{"master_pwd", "old_name", "new_name"}, required: 3}, &master, &oldName, &newName); err != nil {
		return nil, err
	}
	return h.set.Database.Rename(r.Context(), master, oldName, newName)
}

func dbChangeAdminPassword(h *Handler, r *http.Request, p Params) (any, error) {
	var master, newPw string
	if err := p.scan(signature{name: "exp_change_admin_password", params: []string{"master_pwd", "new_password"}, required: 2}, &master, &newPw); err != nil {
		return nil, err
	}
	return h.set.Database.ChangeAdminPassword(r.Context(), master, newPw)
}

// dbUnsupported is a db method godoo does not serve: it answers once the
// master password is checked.
func dbDump(h *Handler, r *http.Request, p Params) (any, error) {
	var master, name, format string
	if err := p.scan(signature{name: "exp_dump", params: []string{"master_pwd", "db_name", "format"}, required: 3}, &master, &name, &format); err != nil {
		return nil, err
	}
	return h.set.Database.Dump(r.Context(), master, name, format)
}

func dbRestore(h *Handler, r *http.Request, p Params) (any, error) {
	var master, name, data string
	var copy bool
	if err := p.scan(signature{name: "exp_restore", params: []string{"master_pwd", "db_name", "data", "copy"}, required: 3},
		&master, &name, &data, &copy); err != nil {
		return nil, err
	}
	return h.set.Database.Restore(r.Context(), master, name, data, copy)
}

func dbUnsupported(method string) rpcMethod {
	return func(h *Handler, r *http.Request, p Params) (any, error) {
		var master string
		if len(p) > 0 {
			master, _ = p[0].(string)
		}
		return nil, h.set.Database.Unsupported(r.Context(), master, method)
	}
}
