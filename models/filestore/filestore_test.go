package filestore

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWriteLayoutAndDedup(t *testing.T) {
	d := New(filepath.Join(t.TempDir(), "filestore", "db1"))
	a, err := d.Write(strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum([]byte("hello"))
	want := hex.EncodeToString(sum[:])
	if a.Checksum != want || a.Fname != want[:2]+"/"+want || a.Size != 5 {
		t.Fatalf("blob = %+v, want checksum %s", a, want)
	}
	got, err := os.ReadFile(filepath.Join(d.Root(), want[:2], want))
	if err != nil || string(got) != "hello" {
		t.Fatalf("file = %q, %v", got, err)
	}
	b, err := d.Write(strings.NewReader("hello"))
	if err != nil || b != a {
		t.Fatalf("second write = %+v, %v; want %+v", b, err, a)
	}
	if n := countFiles(t, d.Root(), want[:2]); n != 1 {
		t.Fatalf("%d files for one content, want 1", n)
	}
	entries, _ := os.ReadDir(d.Root())
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".write-") {
			t.Fatalf("temporary file %s left behind", e.Name())
		}
	}
}

func countFiles(t *testing.T, root, sub string) int {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, sub))
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestCollect(t *testing.T) {
	tests := []struct {
		name    string
		inUse   []string // contents still referred to
		removed int
	}{
		{"nothing referred to", nil, 2},
		{"one referred to", []string{"kept"}, 1},
		{"both referred to", []string{"kept", "gone"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(t.TempDir())
			blobs := map[string]Blob{}
			for _, c := range []string{"kept", "gone"} {
				b, err := d.Write(strings.NewReader(c))
				if err != nil {
					t.Fatal(err)
				}
				blobs[c] = b
			}
			removed, err := d.Collect(func(names []string) (map[string]bool, error) {
				if len(names) != 2 {
					t.Errorf("asked about %v, want the 2 marked names", names)
				}
				keep := map[string]bool{}
				for _, c := range tt.inUse {
					keep[blobs[c].Fname] = true
				}
				return keep, nil
			})
			if err != nil || removed != tt.removed {
				t.Fatalf("Collect = %d, %v; want %d", removed, err, tt.removed)
			}
			for c, b := range blobs {
				kept := false
				for _, u := range tt.inUse {
					kept = kept || u == c
				}
				if d.Exists(b.Fname) != kept {
					t.Errorf("%s: exists = %v, want %v", c, !kept, kept)
				}
			}
			if m, err := d.Marked(); err != nil || len(m) != 0 {
				t.Fatalf("checklist after collection = %v, %v; want empty", m, err)
			}
			// A second collection has nothing to look at.
			n, err := d.Collect(func([]string) (map[string]bool, error) {
				t.Error("asked with an empty checklist")
				return nil, nil
			})
			if n != 0 || err != nil {
				t.Fatalf("second Collect = %d, %v", n, err)
			}
		})
	}
}

func TestNamesStayInside(t *testing.T) {
	d := New(t.TempDir())
	for _, bad := range []string{"../../etc/passwd", "/etc/passwd", "ab/../../x", "AB/" + strings.Repeat("A", 40), ""} {
		if _, err := d.Open(bad); err != ErrBadName {
			t.Errorf("Open(%q) = %v, want ErrBadName", bad, err)
		}
		if err := d.Mark(bad); err != ErrBadName {
			t.Errorf("Mark(%q) = %v, want ErrBadName", bad, err)
		}
	}
}

// bigSize is the content of the memory test: 50 MB.
const bigSize = 50 << 20

// TestWriteStreams writes 50 MB decoded from base64 text, as a binary
// value arrives in a request, and checks that what was allocated meanwhile
// is a small fraction of the content: it is never held whole.
func TestWriteStreams(t *testing.T) {
	text := base64.StdEncoding.EncodeToString(make([]byte, bigSize))
	d := New(t.TempDir())
	alloc := allocated(func() {
		b, err := d.Write(base64.NewDecoder(base64.StdEncoding, strings.NewReader(text)))
		if err != nil || b.Size != bigSize {
			t.Fatalf("Write = %+v, %v", b, err)
		}
	})
	t.Logf("writing %d MB from base64 allocated %d KB", bigSize>>20, alloc>>10)
	if alloc > 4<<20 {
		t.Fatalf("writing %d bytes allocated %d bytes: the content was held in memory", bigSize, alloc)
	}
	f, err := d.Open(mustOnlyName(t, d))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, err := io.Copy(io.Discard, f)
	if err != nil || n != bigSize {
		t.Fatalf("read back %d bytes, %v", n, err)
	}
}

func mustOnlyName(t *testing.T, d *Dir) string {
	t.Helper()
	m, err := d.Marked()
	if err != nil || len(m) != 1 {
		t.Fatalf("marked = %v, %v", m, err)
	}
	return m[0]
}

// allocated is how many bytes fn allocated on the heap.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// BenchmarkWrite50MB reports the bytes allocated to store a 50 MB content
// from its base64 text (go test -bench Write50MB -benchmem ./models/filestore).
func BenchmarkWrite50MB(b *testing.B) {
	text := base64.StdEncoding.EncodeToString(make([]byte, bigSize))
	d := New(b.TempDir())
	b.SetBytes(bigSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Write(base64.NewDecoder(base64.StdEncoding, strings.NewReader(text))); err != nil {
			b.Fatal(err)
		}
	}
}
