package pgstore

import "time"

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
