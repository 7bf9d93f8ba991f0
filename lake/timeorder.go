package lake

import (
	"sort"
	"strings"
)

// FileOrder is the order of the rows inside every data file: newest first.
// With the files of a scan also listed newest first (NewestFirst), the rows
// of a table come out of a scan newest first, so DuckDB's top-N dynamic
// filter ("latest N events", ORDER BY the event time DESC LIMIT N) is set
// by the first row groups read and skips every older row group by its
// min/max statistics.
const FileOrder = "tp_timestamp DESC, tp_id DESC"

// Row group sizes: DuckDB reads a Parquet file in whole row groups and skips
// a row group by the min/max statistics of its columns, so a row group is
// the unit of pruning by time.
const (
	// RowGroupsPerFile is how many row groups a file is cut into: a file
	// holds one day, so a row group holds about an hour of events and a
	// "last hour" query reads about one row group of the newest file.
	RowGroupsPerFile = 24
	// MinRowGroupRows is DuckDB's vector size, the smallest row group its
	// writer makes.
	MinRowGroupRows = 2048
	// MaxRowGroupRows is DuckDB's default row group size.
	MaxRowGroupRows = 122880
)

// RowGroupRows is the row group size of a data file of rows rows: about
// rows/RowGroupsPerFile, rounded up to a multiple of MinRowGroupRows and
// within [MinRowGroupRows, MaxRowGroupRows]. Row groups small enough to prune
// by the hour, but no more than RowGroupsPerFile per file (and not under
// DuckDB's vector size), so the Parquet metadata, which DuckDB caches per
// row group, stays proportional to the number of files.
func RowGroupRows(rows int64) int64 {
	n := (rows + RowGroupsPerFile - 1) / RowGroupsPerFile
	n = (n + MinRowGroupRows - 1) / MinRowGroupRows * MinRowGroupRows
	return min(max(n, MinRowGroupRows), MaxRowGroupRows)
}

// NewestFirst orders data files for a scan: by tp_date, newest first, and
// within a day by manifest position, last first (a later batch holds later
// events). Files keep the partitions' interleaving by day. Together with
// FileOrder inside each file, a scan meets the newest rows first.
func NewestFirst(files []DataFile) {
	idx := make(map[string]int, len(files))
	for i, f := range files {
		idx[f.Path] = i
	}
	sort.SliceStable(files, func(i, j int) bool {
		if c := strings.Compare(files[i].Date, files[j].Date); c != 0 {
			return c > 0
		}
		return idx[files[i].Path] > idx[files[j].Path]
	})
}
