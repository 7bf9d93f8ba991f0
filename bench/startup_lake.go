package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tpserver/tpserver/lake"
)

// startupPartition is the partition of the start-up section's lakes.
const startupPartition = "bench"

// splitLake describes a lake written by splitLakeFiles.
type splitLake struct {
	dataDir  string
	files    []string // live data files, as the manifest lists them
	rows     int64
	bytes    int64
	lastDate time.Time
}

// splitLakeFiles writes the rows of the collected lake under srcData into
// a new lake at dataDir of about nfiles Parquet files of aws_cloudtrail_log,
// each holding consecutive rows in tp_timestamp order (split again at
// midnight, so a file's rows lie in its tp_date directory), and publishes
// them through the lake's commit path in one commit.
func splitLakeFiles(db *sql.DB, srcData, dataDir string, nfiles int) (*splitLake, error) {
	table := lake.CloudTrailTableName
	src, err := lake.LiveFiles(srcData, table)
	if err != nil {
		return nil, fmt.Errorf("list the collected lake: %w", err)
	}
	if len(src) == 0 {
		return nil, fmt.Errorf("the collected lake %s has no data files", srcData)
	}
	quoted := make([]string, len(src))
	for i, f := range src {
		quoted[i] = sqlString(f)
	}
	read := "read_parquet([" + strings.Join(quoted, ", ") + "], hive_partitioning = false)"
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("split lake: %w", err)
	}
	// One COPY per file: a partitioned COPY of thousands of files holds
	// a buffer per file and column at once.
	q := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE split AS
  SELECT * EXCLUDE (split_rank), tp_timestamp::DATE AS split_date,
         split_rank * %d // (SELECT count(*) FROM %s) AS split_file
  FROM (SELECT *, row_number() OVER (ORDER BY tp_timestamp, tp_id) - 1 AS split_rank FROM %s)
  ORDER BY tp_timestamp, tp_id`, nfiles, read, read)
	if _, err := db.Exec(q); err != nil {
		return nil, fmt.Errorf("split the lake into %d files: %w", nfiles, err)
	}
	type split struct {
		date time.Time
		file int64
		rows int64
	}
	var splits []split
	rows, err := db.Query(`SELECT split_date, split_file, count(*) FROM split GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		return nil, fmt.Errorf("split the lake: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s split
		if err := rows.Scan(&s.date, &s.file, &s.rows); err != nil {
			return nil, fmt.Errorf("split the lake: %w", err)
		}
		splits = append(splits, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("split the lake: %w", err)
	}

	p, _, err := lake.Open(dataDir, filepath.Join(dataDir, "state"), table, startupPartition, nil)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	batch := p.NextBatch()
	var add []lake.StagedFile
	for i, s := range splits {
		key := lake.PartitionKey{Table: table, Partition: startupPartition, Index: "default", Date: s.date}
		sf := lake.Stage(key.Dir(dataDir), key, batch, i, s.rows)
		if err := os.MkdirAll(filepath.Dir(sf.Temp), 0o755); err != nil {
			return nil, fmt.Errorf("stage %s: %w", sf.Final, err)
		}
		q := fmt.Sprintf(`COPY (SELECT * EXCLUDE (split_date, split_file) FROM split WHERE split_date = '%s' AND split_file = %d)
  TO %s (FORMAT parquet, COMPRESSION zstd)`, s.date.Format(lake.DateFormat), s.file, sqlString(sf.Temp))
		if _, err := db.Exec(q); err != nil {
			return nil, fmt.Errorf("write %s: %w", sf.Temp, err)
		}
		// A lake tpserver starts on was written earlier: DuckDB does not
		// trust its Parquet metadata cache for files modified in the last
		// seconds.
		old := time.Now().Add(-time.Hour)
		if err := os.Chtimes(sf.Temp, old, old); err != nil {
			return nil, fmt.Errorf("stage %s: %w", sf.Final, err)
		}
		add = append(add, sf)
	}
	if _, err := db.Exec("DROP TABLE split"); err != nil {
		return nil, fmt.Errorf("split the lake: %w", err)
	}
	if _, err := p.Commit(lake.Change{Add: add, Time: time.Now()}); err != nil {
		return nil, fmt.Errorf("commit the split lake: %w", err)
	}
	live, err := lake.Live(dataDir, table)
	if err != nil {
		return nil, err
	}
	out := &splitLake{dataDir: dataDir}
	for _, f := range live {
		out.files = append(out.files, f.Path)
		out.rows += f.Rows
		out.bytes += f.Size
		if d := f.Key().Date; d.After(out.lastDate) {
			out.lastDate = d
		}
	}
	return out, nil
}

// writeFileList writes one path a line, for the DuckDB baseline.
func writeFileList(path string, files []string) error {
	if err := os.WriteFile(path, []byte(strings.Join(files, "\n")+"\n"), 0o644); err != nil {
		return fmt.Errorf("write file list: %w", err)
	}
	return nil
}

// readFileList reads what writeFileList wrote.
func readFileList(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read file list: %w", err)
	}
	return strings.Fields(string(b)), nil
}

// procStatusKB reads a field such as VmRSS or VmHWM (kB) of /proc/<pid>/status,
// in bytes.
func procStatusKB(pid int, field string) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == field+":" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n * 1024
		}
	}
	return 0
}
