package trace

import (
	"sort"
	"strconv"
	"strings"

	"chunkpipe/pipeline"
)

// stageRank orders the worker groups on every track list: read, decode,
// kernel, write, then anything else.
var stageRank = map[string]int{
	pipeline.StageRead:   0,
	pipeline.StageDecode: 1,
	pipeline.StageKernel: 2,
	pipeline.StageWrite:  3,
}

// splitWorker splits a worker name like "kernel-12" into its stage rank and
// number. Names without a numeric suffix get number -1.
func splitWorker(name string) (rank, n int) {
	stage, num := name, -1
	if i := strings.LastIndexByte(name, '-'); i >= 0 {
		if v, err := strconv.Atoi(name[i+1:]); err == nil {
			stage, num = name[:i], v
		}
	}
	r, ok := stageRank[stage]
	if !ok {
		r = len(stageRank)
	}
	return r, num
}

// workerLess reports whether worker a's track comes before worker b's.
func workerLess(a, b string) bool {
	ra, na := splitWorker(a)
	rb, nb := splitWorker(b)
	if ra != rb {
		return ra < rb
	}
	if na != nb {
		return na < nb
	}
	return a < b
}

// workerOrder returns the distinct workers of spans in track order.
func workerOrder(spans []pipeline.Span) []string {
	seen := make(map[string]bool)
	var names []string
	for _, s := range spans {
		if !seen[s.Worker] {
			seen[s.Worker] = true
			names = append(names, s.Worker)
		}
	}
	sort.Slice(names, func(i, j int) bool { return workerLess(names[i], names[j]) })
	return names
}
