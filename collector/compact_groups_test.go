package collector

import (
	"fmt"
	"testing"

	"github.com/tpserver/tpserver/lake"
)

// TestCompactionGroupsAreWholeDays checks that a day's files are merged in
// one group, whatever the size of the day (compaction's memory is bounded
// by its time windows, not by the group), and that a file dwarfing the rest
// of its day is left alone. (Groups were capped at 8 MB of Parquet while a
// day was sorted whole; a large day then ended in several files.)
func TestCompactionGroupsAreWholeDays(t *testing.T) {
	var live []lake.DataFile
	for i := range 35 {
		live = append(live, lake.DataFile{Path: fmt.Sprintf("d1/f%d", i), Dir: "d1", Rows: 1000, Size: 1 << 20})
	}
	live = append(live,
		lake.DataFile{Path: "d2/merged", Dir: "d2", Rows: 50_000, Size: 5 << 20},
		lake.DataFile{Path: "d2/new", Dir: "d2", Rows: 100, Size: 1000},
		lake.DataFile{Path: "d3/merged", Dir: "d3", Rows: 5000, Size: 500 << 20},
		lake.DataFile{Path: "d3/a", Dir: "d3", Rows: 1000, Size: 1000},
		lake.DataFile{Path: "d3/b", Dir: "d3", Rows: 1000, Size: 1000})
	groups := compactionGroups(live)
	if len(groups) != 2 {
		t.Fatalf("%d groups, want 2 (d1 whole, d3 whole, d2 left alone)", len(groups))
	}
	want := map[string]int{"d1": 35, "d3": 3}
	for _, g := range groups {
		dir := g.files[0].Dir
		var rows, bytes int64
		for _, f := range g.files {
			if f.Dir != dir {
				t.Fatalf("group of %s holds %s", dir, f.Path)
			}
			rows += f.Rows
			bytes += f.Size
		}
		if len(g.files) != want[dir] || rows != g.rows || bytes != g.bytes {
			t.Fatalf("group of %s: %d files (want %d), %d rows (counted %d), %d bytes (counted %d)",
				dir, len(g.files), want[dir], rows, g.rows, bytes, g.bytes)
		}
		delete(want, dir)
	}
}
