package models

import "testing"

// TestBinaryToDB checks the base64 validation of binary values, which runs
// as a stream so that a large image is not decoded whole.
func TestBinaryToDB(t *testing.T) {
	f := &Field{Name: "image_1920", Type: Binary}
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"", true},
		{"aGVsbG8=", true},
		{"aGVs\nbG8=", true},
		{"aGVsbG8", false},
		{"aGVs*G8=", false},
		{"aGVsbG8=aGVs", false},
	} {
		_, err := f.toDB(c.in)
		if (err == nil) != c.ok {
			t.Errorf("%q: err = %v, want ok = %v", c.in, err, c.ok)
		}
	}
}
