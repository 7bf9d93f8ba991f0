package collector

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/tpserver/tpserver/collector/demo"
)

// BenchmarkCollectDemoDays collects TP_BENCH_DAYS days of demo data (default
// 40, about 100,000 events) into a fresh lake per iteration; the data set is
// generated once, before the timer starts. TP_BENCH_SCALE sets
// demo.Options.Scale: TP_BENCH_DAYS=1 TP_BENCH_SCALE=60 gives about 140,000
// events in busy-account files of about 55 events, the bench program's layout. Run it with -benchtime 1x under
// /usr/bin/time -v to see the collection's peak RSS.
func BenchmarkCollectDemoDays(b *testing.B) {
	days := 40
	if s := os.Getenv("TP_BENCH_DAYS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("TP_BENCH_DAYS: %v", err)
		}
		days = n
	}
	scale := 1
	if s := os.Getenv("TP_BENCH_SCALE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("TP_BENCH_SCALE: %v", err)
		}
		scale = n
	}
	src := b.TempDir()
	sum, err := demo.Generate(src, demo.Options{End: time.Date(2025, 5, 4, 0, 0, 0, 0, time.UTC), Days: days, Scale: scale})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &Collector{DataDir: b.TempDir()}
		res, err := c.Collect(context.Background(), testPartitionB(b, src), Options{From: epoch})
		if err != nil || res.Rows != int64(sum.Events) {
			b.Fatalf("collect: %+v %v", res, err)
		}
	}
	b.ReportMetric(float64(sum.Events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
