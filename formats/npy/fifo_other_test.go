//go:build !unix

package npy

import "errors"

func mkfifo(string) error { return errors.New("no FIFOs on this platform") }
