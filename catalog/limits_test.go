package catalog

import (
	"context"
	"strings"
	"testing"

	"github.com/tpserver/tpserver/lake"
)

func TestOpenSetsEngineLimits(t *testing.T) {
	ctx := context.Background()
	c, err := Open(ctx, Options{DataDir: t.TempDir(), InMemory: true, Tables: []lake.Table{lake.CloudTrailLog()}, MemoryLimit: "512MB", Threads: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	conn, err := c.OpenSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var memory string
	var threads int
	if err := conn.QueryRowContext(ctx, "select current_setting('memory_limit'), current_setting('threads')").Scan(&memory, &threads); err != nil {
		t.Fatal(err)
	}
	// DuckDB shows 512MB as 488.2 MiB.
	if !strings.HasPrefix(memory, "488.") || threads != 3 {
		t.Fatalf("memory_limit %q, threads %d; want 512MB and 3", memory, threads)
	}

	_, err = Open(ctx, Options{DataDir: t.TempDir(), InMemory: true, MemoryLimit: "lots"})
	if err == nil || !strings.Contains(err.Error(), "memory_limit") {
		t.Fatalf("Open with memory_limit 'lots': %v", err)
	}
}
