package models

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"unsafe"
)

// KeyOrders remembers the order in which a request gave the keys of its
// dicts. Decoded objects are Go maps, which keep no order, while Odoo
// answers some requests in the order of a dict of the request (web_read's
// specification: the fields of each record in the order asked for). A
// decoder notes the order of each object whose keys are not already
// sorted; OrderedKeys gives it back. The zero value is ready to use; a
// KeyOrders is written by one decoder, then only read.
type KeyOrders struct {
	byMap map[unsafe.Pointer][]string
}

// Note records keys, in the order received, as those of obj. Objects of
// fewer than two keys, or whose keys came sorted, need no entry.
func (k *KeyOrders) Note(obj map[string]any, keys []string) {
	if len(keys) < 2 || slices.IsSorted(keys) {
		return
	}
	if k.byMap == nil {
		k.byMap = map[unsafe.Pointer][]string{}
	}
	k.byMap[reflect.ValueOf(obj).UnsafePointer()] = keys
}

type keyOrdersKey struct{}

// WithKeyOrders returns ctx carrying the key orders of the request's
// decoded values.
func WithKeyOrders(ctx context.Context, k *KeyOrders) context.Context {
	if k == nil || k.byMap == nil {
		return ctx
	}
	return context.WithValue(ctx, keyOrdersKey{}, k)
}

// OrderedKeys returns the keys of obj in the order the request gave them
// when ctx knows it, else sorted. A noted order is only used when it
// names exactly obj's keys: obj changed since, or a map made later at the
// same address, falls back to sorting.
func OrderedKeys(ctx context.Context, obj map[string]any) []string {
	if k, ok := ctx.Value(keyOrdersKey{}).(*KeyOrders); ok && len(obj) > 1 {
		if keys, ok := k.byMap[reflect.ValueOf(obj).UnsafePointer()]; ok && sameKeys(keys, obj) {
			return slices.Clone(keys)
		}
	}
	keys := make([]string, 0, len(obj))
	for key := range obj {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

// sameKeys reports whether keys, distinct, are exactly obj's.
func sameKeys(keys []string, obj map[string]any) bool {
	if len(keys) != len(obj) {
		return false
	}
	for _, key := range keys {
		if _, ok := obj[key]; !ok {
			return false
		}
	}
	return true
}
