package wire

// The encoders scan strings eight bytes at a time (SWAR: SIMD within a
// register) for the bytes they must escape. LSBs has the lowest bit of each
// byte set, MSBs the highest.
const (
	LSBs = 0x0101010101010101
	MSBs = 0x8080808080808080
)

// Load8 reads the first eight bytes of s as a little-endian word.
func Load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
