package models

import (
	"encoding/json"
	"iter"
	"slices"
)

// Dict is a dictionary that keeps its keys in the order they were first
// set, as a Python dict does. Odoo's answers are Python dicts written in
// that order (XML-RPC structs and JSON objects alike), and clients that
// compare answers as text see the order, so an answer whose order matters
// is built as a Dict rather than a Go map, whose order is random.
//
// Lookups walk the keys for small dicts and use an index built on demand
// for larger ones. The zero Dict is empty and ready to use; a Dict is not
// safe for concurrent writes.
type Dict struct {
	keys   []string
	values []any
	index  map[string]int // position of each key, kept only past dictIndexFrom keys
	shared bool           // keys belongs to the caller of DictOf: copy before changing it in place
}

// dictIndexFrom is the size from which a Dict keeps an index of its keys:
// below it, comparing strings in a row is faster than hashing.
const dictIndexFrom = 16

// NewDict returns an empty Dict with room for n keys.
func NewDict(n int) *Dict {
	return &Dict{keys: make([]string, 0, n), values: make([]any, 0, n)}
}

// DictOf returns the Dict of keys[i] → values[i], in that order. A key
// repeated keeps its first place and its last value, as in Python's
// dict(zip(keys, values)). The Dict keeps values and may share keys with
// other Dicts made from the same slice (the rows of one read share their
// field names), so neither slice may be changed by the caller afterwards.
// It panics when the slices differ in length, a programming error.
func DictOf(keys []string, values []any) *Dict {
	if len(keys) != len(values) {
		panic("models.DictOf: keys and values differ in length")
	}
	if !distinct(keys) {
		d := NewDict(len(keys))
		for i, k := range keys {
			d.Set(k, values[i])
		}
		return d
	}
	return &Dict{keys: slices.Clip(keys), values: slices.Clip(values), shared: true}
}

// distinct reports whether no key appears twice.
func distinct(keys []string) bool {
	if len(keys) > dictIndexFrom {
		seen := make(map[string]struct{}, len(keys))
		for _, k := range keys {
			if _, dup := seen[k]; dup {
				return false
			}
			seen[k] = struct{}{}
		}
		return true
	}
	for i, k := range keys {
		if slices.Contains(keys[:i], k) {
			return false
		}
	}
	return true
}

// Len is the number of keys.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.keys)
}

// find returns the position of k, or -1.
func (d *Dict) find(k string) int {
	if d.index != nil {
		if i, ok := d.index[k]; ok {
			return i
		}
		return -1
	}
	if len(d.keys) > dictIndexFrom {
		d.index = make(map[string]int, len(d.keys))
		for i, key := range d.keys {
			d.index[key] = i
		}
		return d.find(k)
	}
	return slices.Index(d.keys, k)
}

// Get returns the value of k and whether k is set.
func (d *Dict) Get(k string) (any, bool) {
	if d == nil {
		return nil, false
	}
	if i := d.find(k); i >= 0 {
		return d.values[i], true
	}
	return nil, false
}

// Set gives k the value v. A key already set keeps its place; a new one
// goes last.
func (d *Dict) Set(k string, v any) {
	if i := d.find(k); i >= 0 {
		d.values[i] = v
		return
	}
	d.keys = append(d.keys, k) // a shared slice is clipped, so this copies it
	d.values = append(d.values, v)
	d.shared = false
	if d.index != nil {
		d.index[k] = len(d.keys) - 1
	}
}

// Delete removes k, if set; the keys after it keep their order.
func (d *Dict) Delete(k string) {
	if d == nil {
		return
	}
	i := d.find(k)
	if i < 0 {
		return
	}
	if d.shared {
		d.keys, d.shared = slices.Clone(d.keys), false
	}
	d.keys = slices.Delete(d.keys, i, i+1)
	d.values = slices.Delete(d.values, i, i+1)
	d.index = nil
}

// Keys returns the keys in order. The slice must not be changed.
func (d *Dict) Keys() []string {
	if d == nil {
		return nil
	}
	return d.keys
}

// Values returns the values in the order of the keys. The slice must not
// be changed.
func (d *Dict) Values() []any {
	if d == nil {
		return nil
	}
	return d.values
}

// All yields each key and its value, in order.
func (d *Dict) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		for i := range d.Len() {
			if !yield(d.keys[i], d.values[i]) {
				return
			}
		}
	}
}

// Map returns the keys and values as a Go map, for code that looks values
// up and does not care about order.
func (d *Dict) Map() map[string]any {
	m := make(map[string]any, d.Len())
	for k, v := range d.All() {
		m[k] = v
	}
	return m
}

// MarshalJSON writes the Dict as an object with its keys in order, for
// encoding/json users (logs, tools); the wire encoders of rpc write Dicts
// themselves.
func (d *Dict) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, k := range d.Keys() {
		if i > 0 {
			b = append(b, ',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(d.values[i])
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, kb...), ':'), vb...)
	}
	return append(b, '}'), nil
}
