package services

import (
	"context"
	"strconv"
	"strings"

	"github.com/godoo/godoo/models"
	"github.com/godoo/godoo/models/py"
)

// Common is Odoo's common service: version and login, no authentication.
type Common struct{ c *core }

// VersionInfo is the payload of common.version and /web/webclient/version_info.
func (s *Common) VersionInfo() *models.Dict {
	return versionInfo(s.c.cfg.ServerVersion)
}

// versionKeys are the keys of RPC_VERSION_1 in Odoo's order.
var versionKeys = []string{"server_version", "server_version_info", "server_serie", "protocol_version"}

// versionInfo builds Odoo's RPC_VERSION_1 for a version string such as
// "18.0", "17.0+e" or "saas~17.4".
func versionInfo(v string) *models.Dict {
	base, edition, _ := strings.Cut(v, "+")
	major, minor := any(int64(0)), int64(0)
	serie := base
	if strings.HasPrefix(base, "saas~") {
		mj, mn, _ := strings.Cut(strings.TrimPrefix(base, "saas~"), ".")
		major = "saas~" + mj
		minor, _ = strconv.ParseInt(mn, 10, 64)
	} else {
		mj, mn, _ := strings.Cut(base, ".")
		n, _ := strconv.ParseInt(mj, 10, 64)
		major = n
		minor, _ = strconv.ParseInt(mn, 10, 64)
	}
	return models.DictOf(versionKeys, []any{v, []any{major, minor, int64(0), "final", int64(0), edition}, serie, int64(1)})
}

// Login is common.login: the uid, or false for bad credentials.
func (s *Common) Login(ctx context.Context, db, login string, password any) (any, error) {
	return s.Authenticate(ctx, db, login, password)
}

// Authenticate is common.authenticate. Bad credentials are not a fault:
// Odoo returns False. A missing database is a fault, and so is a password
// that is empty or no text (see passwordText).
func (s *Common) Authenticate(ctx context.Context, db, login string, password any) (any, error) {
	pool, err := s.c.open(ctx, db)
	if err != nil {
		return nil, err
	}
	pw, err := passwordText(password)
	if err != nil {
		return nil, err
	}
	uid, err := s.c.auth.Login(ctx, pool, db, login, pw, remoteAddr(ctx))
	if models.KindOf(s.c.refused(ctx, err)) == models.KindAccessDenied {
		return false, nil
	}
	if err != nil {
		return nil, err
	}
	return uid, nil
}

// passwordText is the password of a login as text, or Odoo's failure for
// one it cannot check: an empty password (or None, False, 0) fails the
// check of API keys it falls to (AssertionError), a password that is no
// text fails the hashing library's (TypeError). Odoo reaches these only
// for a login that exists, answering False for any other; godoo fails
// alike for every login, so that no answer tells which logins exist.
func passwordText(v any) (string, error) {
	if s, ok := v.(string); ok && s != "" {
		return s, nil
	}
	if !py.Truthy(v) {
		return "", models.ServerErrorf("builtins.AssertionError", "scope and key required")
	}
	return "", models.ServerErrorf("builtins.TypeError", "secret must be unicode or bytes, not %s", py.TypeName(v))
}

// About is common.about: Odoo's fixed text, with the version when extended.
func (s *Common) About(extended bool) any {
	const info = "See http://openerp.com"
	if extended {
		return []any{info, s.c.cfg.ServerVersion}
	}
	return info
}
