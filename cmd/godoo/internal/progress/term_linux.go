package progress

import "golang.org/x/sys/unix"

// IsTerminal reports whether fd is a terminal: whether it has terminal
// attributes. A character device such as /dev/null is not one.
func IsTerminal(fd uintptr) bool {
	_, err := unix.IoctlGetTermios(int(fd), unix.TCGETS)
	return err == nil
}
