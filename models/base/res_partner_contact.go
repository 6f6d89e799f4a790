package base

import (
	"regexp"
	"strings"
)

// partnerNameCreate is res.partner's name_create: "Name <email>" makes a
// partner named Name with that email, a lone address one named by it.
func partnerNameCreate(text string) map[string]any {
	name, email := parseContact(text)
	vals := map[string]any{"name": name}
	if name == "" {
		vals["name"] = email
	}
	if email != "" {
		vals["email"] = email
	}
	return vals
}

var (
	// angleAddress is `Name <addr@host>`, the name perhaps quoted.
	angleAddress = regexp.MustCompile(`^\s*(.*?)\s*<\s*([^<>\s@]+@[^<>\s@]+)\s*>\s*$`)
	// trailingAddress is `Name addr@host` or a lone address.
	trailingAddress = regexp.MustCompile(`^\s*(.*?)\s*([^<>\s@",]+@[^<>\s@",]+)\s*$`)
)

// parseContact is Odoo's parse_contact_from_email: the name and the email
// (in lower case, as email_normalize) of "Name <email>", `"Name, Jr."
// <email>`, "Name email" or "email"; other text is all name.
func parseContact(text string) (name, email string) {
	if strings.TrimSpace(text) == "" {
		return "", ""
	}
	m := angleAddress.FindStringSubmatch(text)
	if m == nil {
		m = trailingAddress.FindStringSubmatch(text)
	}
	if m == nil {
		return text, ""
	}
	name = m[1]
	if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
		name = strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(name[1 : len(name)-1])
	}
	return strings.TrimSpace(name), strings.ToLower(m[2])
}
