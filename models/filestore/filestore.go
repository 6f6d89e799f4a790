// Package filestore keeps the content of attachments as files, laid out as
// Odoo's filestore: one directory per database, each content in
// <first two hex digits>/<sha1 of the content>, so that equal contents are
// one file. Files are never deleted when written or unlinked: their names
// go to a checklist, and Collect deletes those that no attachment refers to
// any more, once the transactions that wrote or unlinked them are over.
// That way a rolled-back transaction neither loses a file another
// attachment still uses nor leaks one it wrote.
//
// The package knows no database: Collect asks its caller which of the
// marked names are still referred to, and the caller holds the lock that
// keeps writers out meanwhile.
package filestore

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
)

// checklist is the folder, beside the content folders, of the names marked
// for collection: one empty file per name, at the name's own path.
const checklist = "checklist"

// fnameRE is the only shape of a stored name: a name read from the
// database is refused unless it has it, so that no row can point outside
// the store.
var fnameRE = regexp.MustCompile(`^[0-9a-f]{2}/[0-9a-f]{40}$`)

// ErrBadName is returned for a stored name that is not one this package
// writes.
var ErrBadName = errors.New("filestore: not a stored file name")

// Dir is the filestore of one database.
type Dir struct {
	root string
	// mu keeps two collections of this process apart; other processes are
	// kept apart by the caller's database lock.
	mu sync.Mutex
}

// New returns the filestore rooted at root (data dir/filestore/<db>). The
// folder is created when the first content is written.
func New(root string) *Dir { return &Dir{root: root} }

// Root is the folder of the filestore.
func (d *Dir) Root() string { return d.root }

// Blob is a content as it was stored.
type Blob struct {
	// Fname is the stored name, "ab/ab12...", kept in store_fname.
	Fname string
	// Checksum is the SHA-1 of the content, in hexadecimal.
	Checksum string
	Size     int64
}

// ValidName reports whether fname is a name Write gives.
func ValidName(fname string) bool { return fnameRE.MatchString(fname) }

// Write copies r into the store while hashing it, so that a content of any
// size is never held in memory, and marks its name for collection: if the
// caller's transaction rolls back, the next collection deletes it (unless
// another attachment has the same content). A content already stored is
// kept as it is and the copy dropped.
func (d *Dir) Write(r io.Reader) (Blob, error) {
	if err := os.MkdirAll(d.root, 0o700); err != nil {
		return Blob{}, err
	}
	tmp, err := os.CreateTemp(d.root, ".write-*")
	if err != nil {
		return Blob{}, err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	h := sha1.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Blob{}, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	b := Blob{Fname: sum[:2] + "/" + sum, Checksum: sum, Size: n}
	if err := d.Mark(b.Fname); err != nil {
		return Blob{}, err
	}
	full := d.path(b.Fname)
	if _, err := os.Stat(full); err == nil {
		return b, nil // deduplicated: the same content is there
	}
	if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
		return Blob{}, err
	}
	if err := os.Rename(tmp.Name(), full); err != nil {
		return Blob{}, err
	}
	return b, nil
}

func (d *Dir) path(fname string) string { return filepath.Join(d.root, filepath.FromSlash(fname)) }

// Open opens a stored content for reading.
func (d *Dir) Open(fname string) (*os.File, error) {
	if !ValidName(fname) {
		return nil, ErrBadName
	}
	return os.Open(d.path(fname))
}

// Exists reports whether a content is stored under fname.
func (d *Dir) Exists(fname string) bool {
	if !ValidName(fname) {
		return false
	}
	_, err := os.Stat(d.path(fname))
	return err == nil
}

// Mark puts fname on the checklist of the next collection (Odoo's
// _mark_for_gc): done when a content is written and when an attachment
// that refers to it is unlinked or rewritten.
func (d *Dir) Mark(fname string) error {
	if !ValidName(fname) {
		return ErrBadName
	}
	p := filepath.Join(d.root, checklist, filepath.FromSlash(fname))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

// Marked returns the names on the checklist, sorted.
func (d *Dir) Marked() ([]string, error) {
	base := filepath.Join(d.root, checklist)
	var out []string
	err := filepath.WalkDir(base, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if e.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(base, p)
		if err != nil {
			return err
		}
		if name := filepath.ToSlash(rel); ValidName(name) {
			out = append(out, name)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// Collect deletes the marked files that inUse does not report as referred
// to, and clears the checklist of every name it looked at. The caller
// holds, for the whole call, the lock that keeps other transactions from
// writing rows (Odoo locks ir_attachment in share mode), so that a name
// inUse does not report cannot gain a row before its file is gone. It
// returns how many files were deleted.
func (d *Dir) Collect(inUse func(fnames []string) (map[string]bool, error)) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	marked, err := d.Marked()
	if err != nil || len(marked) == 0 {
		return 0, err
	}
	keep, err := inUse(marked)
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, name := range marked {
		if !keep[name] {
			err := os.Remove(d.path(name))
			if err == nil {
				removed++
			} else if !errors.Is(err, fs.ErrNotExist) {
				return removed, err
			}
		}
		if err := os.Remove(filepath.Join(d.root, checklist, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
	}
	return removed, nil
}
