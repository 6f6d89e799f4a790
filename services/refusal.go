package services

import (
	"context"
	"time"

	"github.com/godoo/godoo/models"
)

// DefaultRefusalDelay is how long a call with refused credentials waits
// before its answer, unless Config.RefusalDelay says otherwise. A client
// that guesses keys or passwords one call after the other on a few
// connections gets fewer guesses a second by far (four connections went
// from about 7 500 refusals a second to at most 200), and the server's
// time stays with valid callers; someone who mistyped a password does not
// notice 20 ms. The wait holds no database connection.
const DefaultRefusalDelay = 20 * time.Millisecond

// refused waits the refusal delay when err refuses credentials, then
// returns err. Other errors, and nil, return at once.
func (c *core) refused(ctx context.Context, err error) error {
	if models.KindOf(err) != models.KindAccessDenied {
		return err
	}
	d := c.cfg.RefusalDelay
	if d == 0 {
		d = DefaultRefusalDelay
	}
	if d < 0 {
		return err
	}
	if c.pause != nil {
		c.pause(ctx, d)
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
	return err
}
