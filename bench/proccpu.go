package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of /proc/<pid>/stat's CPU times (USER_HZ, 100 on
// Linux).
const clockTick = 10 * time.Millisecond

// treeCPU is the CPU time (user + system) used so far by process pid, its
// exited and reaped children and its live children: the server's CPU
// whether it is one process (tpserver) or one per connection
// (PostgreSQL's backends, children of the postmaster). Zero when /proc
// cannot be read.
func treeCPU(pid int) time.Duration {
	self, ok := procStat(pid)
	if !ok {
		return 0
	}
	total := self.cpu + self.childCPU
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		child, err := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		if err != nil || child == pid {
			continue
		}
		if st, ok := procStat(child); ok && st.ppid == pid {
			total += st.cpu + st.childCPU
		}
	}
	return total
}

// procTimes are the fields of /proc/<pid>/stat that treeCPU reads.
type procTimes struct {
	ppid          int
	cpu, childCPU time.Duration
}

// procStat reads pid's parent and CPU times (its own, and its reaped
// children's).
func procStat(pid int) (procTimes, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procTimes{}, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces
	if i < 0 {
		return procTimes{}, false
	}
	// After the name: state ppid ... utime(14) stime(15) cutime(16) cstime(17).
	f := strings.Fields(s[i+1:])
	if len(f) < 15 {
		return procTimes{}, false
	}
	n := func(k int) int64 { v, _ := strconv.ParseInt(f[k-3], 10, 64); return v }
	return procTimes{
		ppid:     int(n(4)),
		cpu:      time.Duration(n(14)+n(15)) * clockTick,
		childCPU: time.Duration(n(16)+n(17)) * clockTick,
	}, true
}
