package collector

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/tpserver/tpserver/lake"
)

// A day whose rewrite does not fit in compaction's memory limit is
// rewritten without it: the compaction still merges the files, keeps every
// row, and says so in the log.
func TestCompactionBeyondItsMemoryLimitStillMerges(t *testing.T) {
	src, data := t.TempDir(), t.TempDir()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	core, logs := observer.New(zapcore.WarnLevel)
	c := &Collector{DataDir: data, RetireGrace: time.Hour, Logger: zap.New(core), compactMemory: "64KB"}
	p := testPartition(t, src)
	for i := 0; i < 4; i++ {
		writeTrail(t, src, day, fmt.Sprintf("f%d", i), 50, "111122223333")
		if _, err := c.Collect(context.Background(), p, Options{From: epoch}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := c.Compact(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if res.FilesBefore != 4 || res.FilesAfter != 1 || res.Rows != 200 {
		t.Fatalf("compaction: %+v", res)
	}
	if n := logs.FilterMessage("compaction out of its memory limit, rewriting without it").Len(); n != 1 {
		t.Errorf("%d warnings of a rewrite without the limit, want 1 (did the limit not bite?)", n)
	}
	m, _ := lake.ReadManifest(lake.ManifestPath(data, p.Table, p.Name))
	if len(m.Files) != 1 {
		t.Fatalf("after compaction: %d live files", len(m.Files))
	}
	if rows, ids := lakeRows(t, data); rows != 200 || ids != 200 {
		t.Fatalf("lake rows %d ids %d", rows, ids)
	}
}
