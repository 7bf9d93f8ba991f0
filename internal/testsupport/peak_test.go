package testsupport

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestWatchPeakKeepsTheLargestValue(t *testing.T) {
	values := []int64{3, 9, 4, 1}
	var calls atomic.Int64
	stop := WatchPeak(time.Millisecond, func() int64 {
		n := calls.Add(1) - 1
		return values[min(n, int64(len(values)-1))]
	})
	for calls.Load() < int64(len(values)) {
		time.Sleep(time.Millisecond)
	}
	if got := stop(); got != 9 {
		t.Errorf("peak = %d, want 9", got)
	}
	n := calls.Load()
	time.Sleep(5 * time.Millisecond)
	if calls.Load() != n {
		t.Error("read is still called after stop")
	}
}
