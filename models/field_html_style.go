package models

import (
	"regexp"
	"strings"
)

// styleAllowed are the style properties an html field declared
// sanitize_style keeps, Odoo's _Cleaner._style_whitelist: text, spacing,
// box and table layout, which no property here can turn into a request to
// another site beyond a background image (whose URL safeStyle has vetted).
var styleAllowed = func() map[string]bool {
	m := setOf(`font-size font-family font-weight font-style background-color color text-align
		line-height letter-spacing text-transform text-decoration opacity float vertical-align display
		object-fit padding padding-top padding-left padding-bottom padding-right margin margin-top
		margin-left margin-bottom margin-right white-space background-image background-position
		background-size background-repeat background-origin border border-color border-radius
		border-style border-width border-top border-bottom height width max-width min-width min-height
		border-collapse border-spacing caption-side empty-cells table-layout`)
	for _, side := range []string{"top", "bottom", "left", "right"} {
		for _, what := range []string{"style", "color", "width", "left-radius", "right-radius"} {
			m["border-"+side+"-"+what] = true
		}
	}
	return m
}()

// styleDeclaration is one "property: value" of a style attribute, as Odoo's
// _style_re reads it: a value runs to the next semicolon, save within
// quotes.
var styleDeclaration = regexp.MustCompile(`([\p{L}\p{N}_-]+)\s*:\s*((?:[^;"']|"[^";]*"|'[^';]*')+)`)

// allowedStyle is a style attribute with only its properties of
// styleAllowed, written as Odoo's parse_style writes them: "name:value"
// joined by "; ", names in lower case, a property given twice at its first
// place with its last value; "" when none is left, and Odoo then drops the
// attribute.
func allowedStyle(style string) string {
	var names []string
	values := map[string]string{}
	for _, m := range styleDeclaration.FindAllStringSubmatch(style, -1) {
		name := strings.ToLower(m[1])
		if !styleAllowed[name] {
			continue
		}
		if _, seen := values[name]; !seen {
			names = append(names, name)
		}
		values[name] = m[2]
	}
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + ":" + values[name]
	}
	return strings.Join(parts, "; ")
}
