//go:build !unix

package robust

import "errors"

// makeSpecial fails: the special-file cases need a Unix system.
func makeSpecial(string, bool) error { return errors.New("no FIFOs or /dev/zero on this platform") }
