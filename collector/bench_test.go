package collector

import (
	"context"
	"testing"
	"time"

	"github.com/tpserver/tpserver/collector/demo"
)

// BenchmarkCollectDemo collects three days of the demo data set (about
// 9,000 events in 900 small gzipped files) into a fresh lake per iteration.
func BenchmarkCollectDemo(b *testing.B) {
	src := b.TempDir()
	sum, err := demo.Generate(src, demo.Options{End: time.Date(2025, 5, 4, 0, 0, 0, 0, time.UTC), Days: 3})
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
	b.ReportMetric(float64(sum.Files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
