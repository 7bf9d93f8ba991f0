package main

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestTreeCPU: the CPU time of a child that ran and was reaped counts in
// its parent's tree, as a PostgreSQL backend's does in the postmaster's.
func TestTreeCPU(t *testing.T) {
	self := os.Getpid()
	if _, ok := procStat(self); !ok {
		t.Skip("no /proc on this system")
	}
	before := treeCPU(self)
	cmd := exec.Command("sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	child := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if got := treeCPU(self) - before; got < child-2*clockTick {
		t.Fatalf("tree CPU grew by %v, the child alone used %v", got, child)
	}
	if child < 50*time.Millisecond {
		t.Logf("child used only %v", child)
	}
	if _, ok := procStat(-1); ok {
		t.Fatal("stat of no process")
	}
}
