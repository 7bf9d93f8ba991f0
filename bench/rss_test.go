package main

import (
	"os/exec"
	"testing"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// TestRunMeasuredPeakRSSIsTheChilds checks that a child's peak RSS is its
// own, however large the bench process is: a child holding 200 MiB shows
// about that, a small one stays small while this process holds 300 MiB.
func TestRunMeasuredPeakRSSIsTheChilds(t *testing.T) {
	py := testsupport.Tool(t, "python3", "apt-get install python3")
	ballast := make([]byte, 300<<20)
	for i := range ballast {
		ballast[i] = 1
	}
	small, err := runMeasured(exec.Command("sh", "-c", "sleep 0.3"))
	if err != nil {
		t.Fatal(err)
	}
	if small.maxRSS == 0 || small.maxRSS > 50<<20 {
		t.Errorf("sleep: peak RSS %d MiB, want a few MiB", small.maxRSS>>20)
	}
	big, err := runMeasured(exec.Command("sh", "-c", py+` -c "import time; b = b'x' * (200 << 20); time.sleep(0.3)"`))
	if err != nil {
		t.Fatal(err)
	}
	if big.maxRSS < 200<<20 || big.maxRSS > 280<<20 {
		t.Errorf("python holding 200 MiB below sh: peak RSS %d MiB", big.maxRSS>>20)
	}
	_ = ballast[len(ballast)-1]
}
