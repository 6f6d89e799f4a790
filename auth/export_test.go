package auth

// HashWithSalt exposes hashWithSalt to the external auth_test package.
var HashWithSalt = hashWithSalt

// ParseHash exposes the hash parser; it returns the round count.
func ParseHash(hash string) (rounds int, ok bool) {
	h, ok := parseHash(hash)
	return h.rounds, ok
}
