package models

import "slices"

// readOnlyMethods is the closed list of model methods that never write,
// whatever the model: what a read-only key may call, and what may be sent
// to a read replica. A method is on it only when no model of godoo (nor of
// Odoo, whose names it keeps) changes data in it; a new method is written
// until it is added here.
var readOnlyMethods = map[string]bool{
	"read":                true,
	"search":              true,
	"search_read":         true,
	"search_count":        true,
	"search_fetch":        true,
	"name_search":         true,
	"exists":              true,
	"fields_get":          true,
	"read_group":          true,
	"web_read":            true,
	"web_search_read":     true,
	"web_read_group":      true,
	"default_get":         true,
	"check_access_rights": true,
	"check_access_rule":   true,
	"check_access":        true,
	"has_access":          true,
	"context_get":         true,
	"has_group":           true,
	"get_views":           true,
	"get_view":            true,
}

// IsReadOnlyMethod reports whether method is on the closed list of methods
// that never write (read, search*, name_search, fields_get, read_group,
// check_access*, default_get, context_get and the web client's reads).
func IsReadOnlyMethod(method string) bool {
	return readOnlyMethods[method]
}

// ReadOnlyMethods returns the closed list of methods that never write, in
// alphabetical order, for documentation and listings.
func ReadOnlyMethods() []string {
	out := make([]string, 0, len(readOnlyMethods))
	for m := range readOnlyMethods {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}
