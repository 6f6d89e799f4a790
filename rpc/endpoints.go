package rpc

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"runtime/debug"
	"strings"
	"unicode"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/services"
)

// The receivers below are registered with gorilla/rpc under the service
// names common, object and db, once per protocol: both protocols share every
// line from here on. Each exported method is one Odoo service function;
// its Go name is the CamelCase of the Odoo name (execute_kw → ExecuteKw).

// guard turns a panic in a service into an internal error, so the client
// gets a fault and the server keeps serving, and marks the errors of a call
// whose client went away (see abandoned).
func guard(ctx context.Context, log *slog.Logger, method string, reply *any, fn func() (any, error)) (err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("panic in RPC method", "method", method, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = &models.Error{Kind: models.KindInternal, Message: "panic", Err: fmt.Errorf("%v", p)}
		}
	}()
	v, err := fn()
	if err != nil {
		return abandoned(ctx, err)
	}
	*reply = v
	return nil
}

type commonEndpoint struct {
	svc *services.Common
	log *slog.Logger
}

func (e *commonEndpoint) Version(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "version", reply, func() (any, error) {
		return e.svc.VersionInfo(), p.scan(signature{name: "exp_version"})
	})
}

func (e *commonEndpoint) Login(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "login", reply, func() (any, error) {
		var db, login, pw string
		if err := p.scan(signature{name: "exp_login", params: []string{"db", "login", "password"}, required: 3}, &db, &login, &pw); err != nil {
			return nil, err
		}
		return e.svc.Login(r.Context(), db, login, pw)
	})
}

func (e *commonEndpoint) Authenticate(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "authenticate", reply, func() (any, error) {
		var db, login, pw string
		var env any
		if err := p.scan(signature{name: "exp_authenticate", params: []string{"db", "login", "password", "user_agent_env"}, required: 4},
			&db, &login, &pw, &env); err != nil {
			return nil, err
		}
		return e.svc.Authenticate(r.Context(), db, login, pw)
	})
}

func (e *commonEndpoint) About(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "about", reply, func() (any, error) {
		var extended bool
		if err := p.scan(signature{name: "exp_about", params: []string{"extended"}}, &extended); err != nil {
			return nil, err
		}
		return e.svc.About(extended), nil
	})
}

func (e *commonEndpoint) SetLoglevel(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "set_loglevel", reply, func() (any, error) {
		var level, logger any
		return true, p.scan(signature{name: "exp_set_loglevel", params: []string{"loglevel", "logger"}, required: 1}, &level, &logger)
	})
}

type objectEndpoint struct {
	svc  *services.Object
	auth *services.Auth
	log  *slog.Logger
}

// execute runs the call as the identity its credentials prove
// (password-in-call).
func (e *objectEndpoint) execute(ctx context.Context, cr services.Credentials, model, method string, args []any, kwargs map[string]any) (any, error) {
	id, err := e.auth.Password(ctx, cr)
	if err != nil {
		return nil, err
	}
	return e.svc.Execute(ctx, id, model, method, args, kwargs)
}

func (e *objectEndpoint) ExecuteKw(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "execute_kw", reply, func() (any, error) {
		var cr services.Credentials
		var model, method string
		var args []any
		var kwargs map[string]any
		if err := p.scan(signature{name: "execute_kw", params: []string{"db", "uid", "passwd", "obj", "method", "args", "kw"}, required: 6},
			&cr.DB, &cr.UID, &cr.Password, &model, &method, &args, &kwargs); err != nil {
			return nil, err
		}
		return e.execute(r.Context(), cr, model, method, args, kwargs)
	})
}

func (e *objectEndpoint) Execute(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "execute", reply, func() (any, error) {
		var cr services.Credentials
		var model, method string
		if err := p.scan(signature{name: "execute", params: []string{"db", "uid", "passwd", "obj", "method"}, required: 5, varargs: true},
			&cr.DB, &cr.UID, &cr.Password, &model, &method); err != nil {
			return nil, err
		}
		return e.execute(r.Context(), cr, model, method, append([]any{}, (*p)[5:]...), nil)
	})
}

type dbEndpoint struct {
	svc *services.Database
	log *slog.Logger
}

func (e *dbEndpoint) List(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "list", reply, func() (any, error) {
		var document bool
		if err := p.scan(signature{name: "exp_list", params: []string{"document"}}, &document); err != nil {
			return nil, err
		}
		return e.svc.List(r.Context())
	})
}

func (e *dbEndpoint) DbExist(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "db_exist", reply, func() (any, error) {
		var name string
		if err := p.scan(signature{name: "exp_db_exist", params: []string{"db_name"}, required: 1}, &name); err != nil {
			return nil, err
		}
		return e.svc.Exist(r.Context(), name)
	})
}

func (e *dbEndpoint) ListLang(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "list_lang", reply, func() (any, error) {
		return e.svc.ListLang(), p.scan(signature{name: "exp_list_lang"})
	})
}

func (e *dbEndpoint) ServerVersion(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "server_version", reply, func() (any, error) {
		return e.svc.ServerVersion(), p.scan(signature{name: "exp_server_version"})
	})
}

func (e *dbEndpoint) ListCountries(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "list_countries", reply, func() (any, error) {
		var master string
		if err := p.scan(signature{name: "exp_list_countries", params: []string{"master_pwd"}, required: 1}, &master); err != nil {
			return nil, err
		}
		return e.svc.ListCountries(master)
	})
}

func (e *dbEndpoint) CreateDatabase(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "create_database", reply, func() (any, error) {
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
		return e.svc.CreateDatabase(r.Context(), master, name, o)
	})
}

func (e *dbEndpoint) DuplicateDatabase(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "duplicate_database", reply, func() (any, error) {
		var master, src, dst string
		var neutralize bool
		if err := p.scan(signature{name: "exp_duplicate_database", params: []string{"master_pwd", "db_original_name", "db_name", "neutralize_database"}, required: 3},
			&master, &src, &dst, &neutralize); err != nil {
			return nil, err
		}
		return e.svc.DuplicateDatabase(r.Context(), master, src, dst)
	})
}

func (e *dbEndpoint) Drop(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "drop", reply, func() (any, error) {
		var master, name string
		if err := p.scan(signature{name: "exp_drop", params: []string{"master_pwd", "db_name"}, required: 2}, &master, &name); err != nil {
			return nil, err
		}
		return e.svc.Drop(r.Context(), master, name)
	})
}

func (e *dbEndpoint) Rename(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "rename", reply, func() (any, error) {
		var master, oldName, newName string
		if err := p.scan(signature{name: "exp_rename", params: []string{"master_pwd", "old_name", "new_name"}, required: 3}, &master, &oldName, &newName); err != nil {
			return nil, err
		}
		return e.svc.Rename(r.Context(), master, oldName, newName)
	})
}

func (e *dbEndpoint) ChangeAdminPassword(r *http.Request, p *Params, reply *any) error {
	return guard(r.Context(), e.log, "change_admin_password", reply, func() (any, error) {
		var master, newPw string
		if err := p.scan(signature{name: "exp_change_admin_password", params: []string{"master_pwd", "new_password"}, required: 2}, &master, &newPw); err != nil {
			return nil, err
		}
		return e.svc.ChangeAdminPassword(master, newPw)
	})
}

func (e *dbEndpoint) unsupported(r *http.Request, method string, p *Params, reply *any) error {
	return guard(r.Context(), e.log, method, reply, func() (any, error) {
		var master string
		if len(*p) > 0 {
			master, _ = (*p)[0].(string)
		}
		return nil, e.svc.Unsupported(master, method)
	})
}

func (e *dbEndpoint) Dump(r *http.Request, p *Params, reply *any) error {
	return e.unsupported(r, "dump", p, reply)
}

func (e *dbEndpoint) Restore(r *http.Request, p *Params, reply *any) error {
	return e.unsupported(r, "restore", p, reply)
}

func (e *dbEndpoint) MigrateDatabases(r *http.Request, p *Params, reply *any) error {
	return e.unsupported(r, "migrate_databases", p, reply)
}

// methodTable maps each service's Odoo method names to the Go method names
// of its receiver, found by reflection so that the table can never disagree
// with what gorilla registered.
type methodTable map[string]map[string]string

func newMethodTable(receivers map[string]any) methodTable {
	t := methodTable{}
	for service, recv := range receivers {
		t[service] = map[string]string{}
		typ := reflect.TypeOf(recv)
		for i := 0; i < typ.NumMethod(); i++ {
			name := typ.Method(i).Name
			t[service][snake(name)] = name
		}
	}
	return t
}

// resolve returns "service.GoMethod" for gorilla, or Odoo's error for an
// unknown service or method.
func (t methodTable) resolve(service, method string) (string, error) {
	methods, ok := t[service]
	if !ok {
		return "", models.ServerErrorf("builtins.KeyError", "'%s'", service)
	}
	goName, ok := methods[method]
	if !ok || !validMethodName(method) {
		switch service {
		case "object":
			return "", models.ServerErrorf("builtins.NameError", "Method not available %s", method)
		case "common": // Odoo raises a plain Exception here, and KeyError for db
			return "", models.ServerErrorf("builtins.Exception", "Method not found: %s", method)
		}
		return "", models.ServerErrorf("builtins.KeyError", "Method not found: %s", method)
	}
	return service + "." + goName, nil
}

func validMethodName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// snake turns ExecuteKw into execute_kw.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
