package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// processPeakRSS returns this process's peak resident set size in bytes (VmHWM
// from /proc/self/status), or 0 where that is not available. Unlike the
// rusage a parent reads, it is not inflated by the memory of the process
// that started this one.
func processPeakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fields := strings.Fields(rest)
			if len(fields) >= 1 {
				kb, err := strconv.ParseInt(fields[0], 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}
