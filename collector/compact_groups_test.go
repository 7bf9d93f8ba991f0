package collector

import (
	"fmt"
	"testing"

	"github.com/tpserver/tpserver/lake"
)

// TestCompactionGroupsAreBoundedInBytes checks that a day's small files are
// merged in groups of at most compactGroupBytes, whatever the size of the
// day, and that merged files of half a group or more are left alone.
func TestCompactionGroupsAreBoundedInBytes(t *testing.T) {
	const fileBytes = compactGroupBytes / 10
	var live []lake.DataFile
	for i := range 35 {
		live = append(live, lake.DataFile{Path: fmt.Sprintf("d1/f%d", i), Dir: "d1", Rows: 1000, Size: fileBytes})
	}
	live = append(live,
		lake.DataFile{Path: "d2/merged", Dir: "d2", Rows: 50_000, Size: compactSmallBytes},
		lake.DataFile{Path: "d2/new", Dir: "d2", Rows: 100, Size: 1000})
	groups := compactionGroups(live)
	if len(groups) != 4 {
		t.Fatalf("35 files of a tenth of a group each: %d groups, want 4", len(groups))
	}
	seen := map[string]bool{}
	for _, g := range groups {
		var bytes int64
		for _, f := range g.files {
			if f.Dir != "d1" {
				t.Fatalf("group holds %s: a file of half a group is not small", f.Path)
			}
			if seen[f.Path] {
				t.Fatalf("%s is in two groups", f.Path)
			}
			seen[f.Path] = true
			bytes += f.Size
		}
		if bytes > compactGroupBytes || bytes != g.bytes || int64(len(g.files))*1000 != g.rows {
			t.Fatalf("group of %d files: %d bytes (counted %d), %d rows", len(g.files), bytes, g.bytes, g.rows)
		}
	}
	if len(seen) != 35 {
		t.Fatalf("%d of the 35 small files are merged", len(seen))
	}
}
