package auth

import (
	"time"

	"github.com/godoo/godoo/models"
)

// Identity is who a request runs as, whatever proved it: what every auth
// mode of the HTTP front resolves (the public user, a web session, a
// header or native key, HTTP Basic credentials with a key, the password
// or key of an RPC call) and what the services run model methods as.
type Identity struct {
	// DB is the database the identity belongs to.
	DB    string
	UID   int64
	Login string
	// Mode is the auth mode that resolved the identity: public, user,
	// api_key, bearer, basic_api_key or password.
	Mode string
	// KeyID and KeyName name the key used, when there is one (KeyName is
	// only known for auth.api.key header keys).
	KeyID   int64
	KeyName string
	// Limits are the restrictions of the key used (allowed methods, read
	// only, networks); nil when no key was used or it restricts nothing.
	// The services check them before any model code runs.
	Limits *models.KeyLimits
	// Groups are the codes of the header key's groups (auth.api.key.group).
	Groups []string
	// Session is the web session the identity came with (mode user), for
	// the identity check of sensitive methods; nil for the other modes,
	// which must confirm the password on every such call.
	Session *SessionCheck
}

// SessionCheck is the identity check of a web session: its row, and when
// its user last confirmed the password on it.
type SessionCheck struct {
	Row     int64
	Checked time.Time
}
