package main

import (
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// rssPollInterval is how often watchPeakRSS reads the process tree.
const rssPollInterval = 20 * time.Millisecond

// watchPeakRSS follows the peak RSS of the process pid and its descendants
// while they run: the largest VmHWM (high-water RSS of the process's own
// memory) any of them shows, read every rssPollInterval from /proc. The
// rusage of a waited child does not do: its ru_maxrss starts from the
// bench process's own high-water RSS, inherited when the child execs from
// the parent's memory (Linux, with Go's vfork-style start), so a child
// started by a large bench process reports at least the bench's RSS. The
// returned function stops watching and returns the peak in bytes; a peak
// within the last interval before exit can be missed.
func watchPeakRSS(pid int) (stop func() int64) {
	return testsupport.WatchPeak(rssPollInterval, func() int64 { return treeHWM(pid) })
}

// treeHWM returns the largest VmHWM of pid and its descendants.
func treeHWM(pid int) int64 {
	hwm := procStatusKB(pid, "VmHWM")
	for _, c := range descendants(pid) {
		hwm = max(hwm, procStatusKB(c, "VmHWM"))
	}
	return hwm
}

// descendants lists the processes below pid, from each process's parent
// in /proc/<pid>/stat.
func descendants(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp, ok := parentPID(p); ok {
			children[pp] = append(children[pp], p)
		}
	}
	var out []int
	for queue := children[pid]; len(queue) > 0; queue = queue[1:] {
		out = append(out, queue[0])
		queue = append(queue, children[queue[0]]...)
	}
	return out
}

// parentPID reads the parent of p from /proc/<p>/stat, whose second field
// (the command) is in parentheses and may hold spaces.
func parentPID(p int) (int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/stat")
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0, false
	}
	pp, err := strconv.Atoi(f[1])
	return pp, err == nil
}
