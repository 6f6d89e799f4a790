package models

import "io"

// DumpFormat is the form in which a store writes a database out.
type DumpFormat int

const (
	// DumpPlain is what goes into the zip of db.dump: PostgreSQL's plain
	// SQL (dump.sql, as Odoo's), or SQLite's database file.
	DumpPlain DumpFormat = iota
	// DumpCustom is db.dump's format "dump": PostgreSQL's custom format
	// (pg_dump --format=c), or SQLite's database file.
	DumpCustom
)

// Progress is told how far a long store operation has got: the units it
// will take once known, then the units done as they are done. A store
// reports what it can count (SQLite's pages, PostgreSQL's bytes).
type Progress interface {
	Total(n int64)
	Add(n int64)
}

// NoProgress is a Progress that is told nothing.
type NoProgress struct{}

// Total does nothing.
func (NoProgress) Total(int64) {}

// Add does nothing.
func (NoProgress) Add(int64) {}

// CountReader returns a reader of r that adds to p what is read through it.
func CountReader(r io.Reader, p Progress) io.Reader { return &countReader{r, p} }

// CountWriter returns a writer to w that adds to p what is written through
// it.
func CountWriter(w io.Writer, p Progress) io.Writer { return &countWriter{w, p} }

type countReader struct {
	r io.Reader
	p Progress
}

func (c *countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.Add(int64(n))
	return n, err
}

type countWriter struct {
	w io.Writer
	p Progress
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.p.Add(int64(n))
	return n, err
}
