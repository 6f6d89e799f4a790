package services

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/godoo/godoo/auth"
	"github.com/godoo/godoo/models"
)

// DefaultReadYourWrites is how long the reads of a user who wrote stay on
// the primary when Config.ReadYourWrites is zero.
const DefaultReadYourWrites = 2 * time.Second

// replicaRest is how long reads stay on the primary after the replica did
// not answer, so that a replica that is down costs one failed attempt per
// database and period rather than one per call.
const replicaRest = 5 * time.Second

// ErrReplicaDown is wrapped by Ready when the process serves but a
// database's replica does not answer: reads go to the primary meanwhile.
var ErrReplicaDown = errors.New("degraded")

// replicas is what the services know of the replicas: which pool replays
// which primary, who wrote last and when a replica last failed.
type replicas struct {
	// primaryOf maps each replica pool to its primary's pool.
	primaryOf map[*bun.DB]*bun.DB
	// wrote is when each user of each database last wrote (read-your-writes).
	wrote map[writer]time.Time
	// downAt is when each database's replica last failed.
	downAt map[string]time.Time
	// access is each database's access cache on its replica.
	access map[string]*replicaAccess
}

// replicaAccess is the access cache of a replica for one generation of
// the primary. It serves only once the replica has replayed the primary's
// log up to pos, the primary's position when this process first saw the
// generation, which is past every change the generation counts; until
// then calls on the replica read the rights anew.
type replicaAccess struct {
	gen    auth.Generation
	born   time.Time
	pos    string
	caught bool
	cache  *models.AccessCache
}

// writer is a user of a database.
type writer struct {
	db  string
	uid int64
}

// readYourWrites is the configured window, DefaultReadYourWrites when zero,
// none when negative.
func (c *core) readYourWrites() time.Duration {
	switch d := c.cfg.ReadYourWrites; {
	case d == 0:
		return DefaultReadYourWrites
	case d < 0:
		return 0
	default:
		return d
	}
}

// replicaFor returns the replica pool a read-only call of id runs on, nil
// for the primary: when the store has no replica, when id wrote within the
// read-your-writes window (so that a client reads what it just wrote,
// whichever replica lag), or when the replica failed a moment ago.
func (c *core) replicaFor(ctx context.Context, id auth.Identity, primary *bun.DB) *bun.DB {
	rs, ok := c.store.(models.ReplicaStore)
	if !ok {
		return nil
	}
	now := c.cfg.Now()
	c.mu.Lock()
	at, wrote := c.rep.wrote[writer{id.DB, id.UID}]
	down, isDown := c.rep.downAt[id.DB]
	c.mu.Unlock()
	if wrote && now.Sub(at) < c.readYourWrites() || isDown && now.Sub(down) < replicaRest {
		return nil
	}
	rdb, err := rs.OpenReplica(ctx, id.DB)
	if err != nil {
		c.replicaFailed(id.DB, err)
		return nil
	}
	if rdb == nil {
		return nil
	}
	if c.wroteElsewhere(ctx, rs, id, primary) {
		return nil
	}
	c.mu.Lock()
	if c.rep.primaryOf == nil {
		c.rep.primaryOf = map[*bun.DB]*bun.DB{}
	}
	c.rep.primaryOf[rdb] = primary
	c.mu.Unlock()
	return rdb
}

// replicaAccessCache returns the access cache of the replica pool rdb of
// database name, whose primary pool is primary, or nil while the replica
// has not replayed the changes of the primary's current generation.
func (c *core) replicaAccessCache(ctx context.Context, primary, rdb *bun.DB, name string) *models.AccessCache {
	rs := c.store.(models.ReplicaStore)
	gen, ok, err := c.auth.Generation(ctx, primary, name)
	if err != nil || !ok {
		return nil
	}
	c.mu.Lock()
	a := c.rep.access[name]
	now := c.cfg.Now()
	if a == nil || a.gen != gen || now.Sub(a.born) > accessTTL {
		a = &replicaAccess{gen: gen, born: now, cache: models.NewAccessCache()}
		a.cache.Counts = &c.accessCounts
		if c.rep.access == nil {
			c.rep.access = map[string]*replicaAccess{}
		}
		c.rep.access[name] = a
	}
	pos, caught := a.pos, a.caught
	c.mu.Unlock()
	if caught {
		return a.cache
	}
	if pos == "" {
		if pos, err = rs.PrimaryPosition(ctx, primary); err != nil {
			return nil
		}
		c.mu.Lock()
		a.pos = pos
		c.mu.Unlock()
	}
	if done, err := rs.ReplayedPast(ctx, rdb, pos); err != nil || !done {
		return nil
	}
	c.mu.Lock()
	a.caught = true
	c.mu.Unlock()
	return a.cache
}

// replicaFailed keeps reads of name on the primary for replicaRest.
func (c *core) replicaFailed(name string, err error) {
	c.mu.Lock()
	if c.rep.downAt == nil {
		c.rep.downAt = map[string]time.Time{}
	}
	_, was := c.rep.downAt[name]
	c.rep.downAt[name] = c.cfg.Now()
	c.mu.Unlock()
	if !was {
		c.log.Warn("the replica does not answer: reads go to the primary", "db", name, "err", err)
	}
}

// replicaAnswered forgets an earlier failure of name's replica.
func (c *core) replicaAnswered(name string) {
	c.mu.Lock()
	_, was := c.rep.downAt[name]
	delete(c.rep.downAt, name)
	c.mu.Unlock()
	if was {
		c.log.Info("the replica answers again: reads go to it", "db", name)
	}
}

// wroteElsewhere reports whether id wrote within the read-your-writes
// window through another process, as the primary, through db, has it
// (RecordWrite): a client may write through one instance and read through
// the next. What it learns is kept as this process's own, so the next
// reads of the window ask no more. The question costs the primary one
// look-up by primary key per read routed to the replica; no window (no
// read-your-writes) spares it. When the primary cannot answer, the read
// goes there too. The instances' clocks (Config.Now) must agree to well
// within the window, as NTP keeps them.
func (c *core) wroteElsewhere(ctx context.Context, rs models.ReplicaStore, id auth.Identity, db *bun.DB) bool {
	window := c.readYourWrites()
	if window == 0 {
		return false
	}
	at, ok, err := rs.LastWrite(ctx, db, id.UID)
	if err != nil {
		return true
	}
	if !ok || c.cfg.Now().Sub(at) >= window {
		return false
	}
	c.noteWrite(id, at)
	return true
}

// wrote records that id wrote now, for read-your-writes: in this process,
// and on the primary for the others when there is a replica.
func (c *core) wrote(ctx context.Context, id auth.Identity, db *bun.DB) {
	rs, ok := c.store.(models.ReplicaStore)
	if !ok || c.readYourWrites() == 0 {
		return
	}
	now := c.cfg.Now()
	c.noteWrite(id, now)
	// A replica that is down now will serve reads again: the write is
	// recorded whenever one is configured.
	if rdb, err := rs.OpenReplica(ctx, id.DB); err == nil && rdb == nil {
		return
	}
	if err := rs.RecordWrite(ctx, db, id.UID, now); err != nil {
		c.log.WarnContext(ctx, "recording a write for read-your-writes failed: other processes may read this user's next calls on the replica", "db", id.DB, "err", c.store.Classify(err))
	}
}

// noteWrite records in this process that id wrote at at.
func (c *core) noteWrite(id auth.Identity, at time.Time) {
	now := c.cfg.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rep.wrote == nil {
		c.rep.wrote = map[writer]time.Time{}
	}
	// Entries past the window are dropped as the map grows, so that it
	// holds the users who wrote recently only.
	if len(c.rep.wrote) >= 1024 {
		for w, t := range c.rep.wrote {
			if now.Sub(t) >= c.readYourWrites() {
				delete(c.rep.wrote, w)
			}
		}
	}
	if at.After(c.rep.wrote[writer{id.DB, id.UID}]) {
		c.rep.wrote[writer{id.DB, id.UID}] = at
	}
}

// onReplica runs a read-only call on the replica pool rdb. ok is false when
// the call must run again on the primary: the replica refused a write (the
// method was not read-only after all; asWrite is then true, as Odoo retries
// such a call in a read-write transaction) or failed otherwise than with an
// error of the call's own (down, or cut off by replay).
func (c *core) onReplica(ctx context.Context, name string, rdb *bun.DB, uid int64, fn func(ctx context.Context, env *models.Env) (any, error)) (res any, ok, asWrite bool, err error) {
	res, err = c.run(ctx, rdb, uid, true, fn)
	if err == nil {
		c.replicaAnswered(name)
		return res, true, false, nil
	}
	if c.store.(models.ReplicaStore).ReplicaRefusedWrite(err) {
		c.log.InfoContext(ctx, "a read-only call wrote: run again on the primary", "db", name)
		return nil, false, true, nil
	}
	if models.AsError(err) != nil && models.KindOf(err) != models.KindRetryable || ctx.Err() != nil {
		return nil, true, false, err
	}
	c.replicaFailed(name, err)
	return nil, false, false, nil
}

// readyReplicas checks the replica of every database in names; it returns
// an error wrapping ErrReplicaDown naming the first that does not answer.
func (c *core) readyReplicas(ctx context.Context, names []string) error {
	rs, ok := c.store.(models.ReplicaStore)
	if !ok {
		return nil
	}
	for _, name := range names {
		rdb, err := rs.OpenReplica(ctx, name)
		if err == nil && rdb != nil {
			err = rdb.PingContext(ctx)
		}
		if err != nil {
			c.replicaFailed(name, err)
			return fmt.Errorf("%w: the replica does not answer, reads go to the primary", ErrReplicaDown)
		}
	}
	return nil
}
