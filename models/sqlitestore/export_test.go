package sqlitestore

// DSN returns the connection string the store uses for the file at path.
func (s *Store) DSN(path string) string { return s.dsn(path) }
