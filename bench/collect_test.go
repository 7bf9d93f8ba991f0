package main

import (
	"testing"
	"time"
)

func TestMedianRun(t *testing.T) {
	runs := []measured{
		{took: 3 * time.Second, cpu: 10 * time.Second, maxRSS: 300},
		{took: 1 * time.Second, cpu: 30 * time.Second, maxRSS: 100},
		{took: 2 * time.Second, cpu: 20 * time.Second, maxRSS: 500},
	}
	got := medianRun(runs)
	want := measured{took: 2 * time.Second, cpu: 20 * time.Second, maxRSS: 300}
	if got != want {
		t.Errorf("median of three runs = %+v, want %+v (each field on its own)", got, want)
	}
	got = medianRun(runs[:2])
	want = measured{took: 2 * time.Second, cpu: 20 * time.Second, maxRSS: 200}
	if got != want {
		t.Errorf("median of two runs = %+v, want their mean %+v", got, want)
	}
}

func TestCollectRunsFor(t *testing.T) {
	for _, c := range []struct{ runs, events, want int }{
		{0, 1_000_000, 3}, {0, 1_000_001, 1}, {0, 10_000_000, 1}, {5, 10_000_000, 5}, {1, 4000, 1},
	} {
		if got := collectRunsFor(c.runs, c.events); got != c.want {
			t.Errorf("collectRunsFor(%d, %d) = %d, want %d", c.runs, c.events, got, c.want)
		}
	}
}
