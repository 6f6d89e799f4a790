package models

import (
	"context"
	"time"
)

// IdentityWindow is how long a password re-check lasts (Odoo's 10 minutes).
const IdentityWindow = 10 * time.Minute

// IdentityCheck is what a call knows of its user's last password re-check,
// Odoo's session key identity-check-last.
type IdentityCheck struct {
	// Last is when the user last passed the check; zero for never.
	Last time.Time
	// Record keeps a new check time in the caller's web session. It is nil
	// outside a web session (XML-RPC, JSON-RPC): the check then lasts for
	// the call only, as with Odoo's throwaway session of an RPC request.
	Record func(ctx context.Context, at time.Time) error
}

// IdentityFresh reports whether the user passed the check in the last ten
// minutes.
func (e *Env) IdentityFresh() bool {
	return e.Identity != nil && !e.Identity.Last.IsZero() && e.Now.Sub(e.Identity.Last) < IdentityWindow
}
