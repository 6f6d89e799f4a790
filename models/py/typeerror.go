package py

import (
	"strconv"
	"strings"
)

// The texts of the TypeErrors CPython raises when a call does not fit the
// function's signature. fn is the function as CPython names it: its
// qualified name ("BaseModel.search") or its plain name ("exp_login").
// Counts of positional arguments are the caller's to make: a method counts
// self, as Python does.

// MissingArguments is the TypeError of a call that lacks required
// positional arguments, named in order.
func MissingArguments(fn string, missing []string) string {
	return fn + "() missing " + strconv.Itoa(len(missing)) + " required positional argument" + plural(len(missing)) + ": " + Names(missing)
}

// TooManyPositional is the TypeError of a call with more positional
// arguments than the function takes: it takes from min to max, and given
// were passed.
func TooManyPositional(fn string, min, max, given int) string {
	was := " were given"
	if given == 1 {
		was = " was given"
	}
	if min == max {
		return fn + "() takes " + strconv.Itoa(max) + " positional argument" + plural(max) + " but " + strconv.Itoa(given) + was
	}
	return fn + "() takes from " + strconv.Itoa(min) + " to " + strconv.Itoa(max) + " positional arguments but " + strconv.Itoa(given) + was
}

// UnexpectedKeyword is the TypeError of a keyword argument the function
// has no parameter for.
func UnexpectedKeyword(fn, name string) string {
	return fn + "() got an unexpected keyword argument '" + name + "'"
}

// MultipleValues is the TypeError of a parameter given both by position
// and by keyword.
func MultipleValues(fn, name string) string {
	return fn + "() got multiple values for argument '" + name + "'"
}

// ArgumentType is the TypeError of an argument of the wrong type, as
// CPython's argument clinic words it for built-in functions: want is the
// expected type's name ("str", "int", "list", "dict").
func ArgumentType(fn, param, want string, v any) string {
	return fn + "() argument '" + param + "' must be " + want + ", not " + TypeName(v)
}

// Names lists names as CPython does in these messages: 'a'; 'a' and 'b';
// 'a', 'b', and 'c'.
func Names(names []string) string {
	var b strings.Builder
	for i, n := range names {
		switch {
		case i == 0:
		case len(names) == 2:
			b.WriteString(" and ")
		case i == len(names)-1:
			b.WriteString(", and ")
		default:
			b.WriteString(", ")
		}
		b.WriteString("'" + n + "'")
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
