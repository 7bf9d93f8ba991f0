package testsupport

import (
	"sync"
	"sync/atomic"
	"time"
)

// WatchPeak calls read at once and then every interval until the returned
// function is called; that function returns the largest value read. It is
// how benchmarks follow a process's peak RSS while it works.
func WatchPeak(interval time.Duration, read func() int64) (stop func() int64) {
	var peak atomic.Int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}
