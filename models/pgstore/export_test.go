package pgstore

import (
	"context"
	"fmt"
	"time"
)

// ConnStrings returns the key=value connection strings a store built from dsn
// uses for its maintenance database and for database name.
func ConnStrings(dsn, name string) (maint, db string, err error) {
	s, err := New(dsn)
	if err != nil {
		return "", "", err
	}
	defer s.Close()
	return s.params.withDB(s.maintName), s.params.withDB(name), nil
}

// WithFeedPing sets how often the LISTEN connections are pinged, so that a
// test sees an unanswered ping within milliseconds instead of 15 seconds.
func WithFeedPing(d time.Duration) Option {
	return func(s *Store) { s.feedPing = d }
}

// FindTool looks PostgreSQL's client program tool up as the store does,
// with dirs in place of /usr/lib/postgresql/*/bin.
func FindTool(tool string, dirs []string) (string, error) {
	saved := toolDirs
	defer func() { toolDirs = saved }()
	toolDirs = func() []string { return dirs }
	return findTool(tool)
}

// WithTempNames makes the databases being restored take names that start
// with p until the test ends.
func WithTempNames(tb interface{ Cleanup(func()) }, p string) {
	saved := tempName
	n := 0
	tempName = func() (string, error) { n++; return fmt.Sprintf("%srestore_%d", p, n), nil }
	tb.Cleanup(func() { tempName = saved })
}

// ToolCommand returns the arguments and the environment with which a store
// built from dsn runs PostgreSQL's program tool on database db.
func ToolCommand(dsn, tool, db string) (args, env []string, err error) {
	s, err := New(dsn)
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	cmd, err := s.pgTool(context.Background(), tool, db)
	if err != nil {
		return nil, nil, err
	}
	return cmd.Args, cmd.Env, nil
}

// WithSettling makes SettleAuth call f each time it found listeners that
// have not acknowledged its barrier yet, with their number.
func WithSettling(f func(name string, seq int64, pending int)) Option {
	return func(s *Store) { s.settling = f }
}

// WithListenDialing makes the dialer of every LISTEN connection call f
// before it dials, so that a test can hold a dial while the watch closes,
// and the function f returns with the dial's outcome.
func WithListenDialing(f func() (dialed func(error))) Option {
	return func(s *Store) { s.listenDialing = f }
}
