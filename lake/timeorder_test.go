package lake

import (
	"fmt"
	"testing"
)

func TestRowGroupRows(t *testing.T) {
	for _, tc := range []struct{ rows, want int64 }{
		{0, MinRowGroupRows},
		{1, MinRowGroupRows},
		{24 * MinRowGroupRows, MinRowGroupRows},
		{24*MinRowGroupRows + 1, 2 * MinRowGroupRows},
		{1_000_000, 43008}, // 41,667 rounded up to 21 × 2048
		{24 * MaxRowGroupRows, MaxRowGroupRows},
		{8_000_000, MaxRowGroupRows},
	} {
		if got := RowGroupRows(tc.rows); got != tc.want {
			t.Errorf("RowGroupRows(%d) = %d, want %d", tc.rows, got, tc.want)
		}
		if got := RowGroupRows(tc.rows); got%MinRowGroupRows != 0 {
			t.Errorf("RowGroupRows(%d) = %d, not a multiple of %d", tc.rows, got, MinRowGroupRows)
		}
	}
}

func TestNewestFirst(t *testing.T) {
	// Manifest order: two partitions, days ascending, a day with two
	// batches.
	files := []DataFile{
		{Path: "a/1", Date: "2024-01-01"},
		{Path: "a/2", Date: "2024-01-02"},
		{Path: "a/3", Date: "2024-01-02"},
		{Path: "a/4", Date: "2024-01-03"},
		{Path: "b/1", Date: "2024-01-02"},
		{Path: "b/2", Date: "2023-12-31"},
	}
	NewestFirst(files)
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	if want := "[a/4 b/1 a/3 a/2 a/1 b/2]"; fmt.Sprint(got) != want {
		t.Fatalf("NewestFirst = %v, want %s", got, want)
	}
}
