package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // DuckDB driver for the baseline

	"github.com/tpserver/tpserver/internal/testsupport"
	"github.com/tpserver/tpserver/lake"
)

// duckdbConvertCmd is the hidden first argument that makes the bench binary
// run the DuckDB-alone baseline conversion, so that it is measured as a
// child process exactly like tpserver collect.
const duckdbConvertCmd = "__duckdb_convert"

// measured is one timed child process.
type measured struct {
	took   time.Duration
	cpu    time.Duration // user + system, of the process and its waited children (rusage)
	maxRSS int64         // bytes
}

// runMeasured runs cmd and returns its wall time, CPU time and peak RSS (of
// the process and its descendants, see watchPeakRSS).
func runMeasured(cmd *exec.Cmd) (measured, error) {
	var stderr bytes.Buffer
	if cmd.Stderr == nil {
		cmd.Stderr = &stderr
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return measured{}, fmt.Errorf("%s: %w", strings.Join(cmd.Args, " "), err)
	}
	peak := watchPeakRSS(cmd.Process.Pid)
	err := cmd.Wait()
	took := time.Since(start)
	maxRSS := peak()
	if err != nil {
		return measured{}, fmt.Errorf("%s: %w\n%s", strings.Join(cmd.Args, " "), err, lastLines(stderr.String(), 20))
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return measured{took: took, cpu: cpu, maxRSS: maxRSS}, nil
}

// medianRun is the run of ms whose fields are each the median of that field
// over ms (for an even count, the mean of the two middle values, so that
// two runs give their mean rather than the larger).
func medianRun(ms []measured) measured {
	pick := func(f func(measured) int64) int64 {
		v := make([]int64, len(ms))
		for i, m := range ms {
			v[i] = f(m)
		}
		slices.Sort(v)
		if len(v)%2 == 0 {
			return (v[len(v)/2-1] + v[len(v)/2]) / 2
		}
		return v[len(v)/2]
	}
	return measured{
		took:   time.Duration(pick(func(m measured) int64 { return int64(m.took) })),
		cpu:    time.Duration(pick(func(m measured) int64 { return int64(m.cpu) })),
		maxRSS: pick(func(m measured) int64 { return m.maxRSS }),
	}
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}

// tpserverBinary returns bin, or builds ./cmd/tpserver.
func tpserverBinary(bin string) (string, func(), error) {
	if bin != "" {
		return bin, func() {}, nil
	}
	var b testsupport.Binary
	p, err := b.Path()
	if err != nil {
		return "", nil, fmt.Errorf("build tpserver: %w", err)
	}
	return p, b.Remove, nil
}

// collectConfig is the .tpc file of the benchmark's local partition.
const collectConfig = `partition "aws_cloudtrail_log" "bench" {
  source "file" {
    paths       = [%q]
    file_layout = ` + "`AWSLogs/%%{NUMBER:account_id}/CloudTrail/%%{DATA:region}/%%{YEAR:year}/%%{MONTHNUM:month}/%%{MONTHDAY:day}/%%{DATA}.json.gz`" + `
  }
}
`

// collectResult is what collectSection measured, for later sections.
type collectResult struct {
	configDir, dataDir string
}

// collectRunsFor is how many times the collect section runs each tpserver
// binary: runs, or when it is 0, 3 for up to a million events asked for
// (-events; -events 1000000 generates 1,040,776) and 1 above.
func collectRunsFor(runs, events int) int {
	if runs > 0 {
		return runs
	}
	if events <= 1_000_000 {
		return 3
	}
	return 1
}

// collectSection times tpserver collect (runs times, alternating with the
// collect of baselineBin, if set, into a lake of its own), DuckDB alone and
// zcat over ds.
func collectSection(r *report, bin, baselineBin, dir string, ds *dataset, runs int) (*collectResult, error) {
	cr := &collectResult{configDir: filepath.Join(dir, "config"), dataDir: filepath.Join(dir, "data")}
	if err := os.MkdirAll(cr.configDir, 0o755); err != nil {
		return nil, fmt.Errorf("config dir: %w", err)
	}
	tpc := fmt.Sprintf(collectConfig, ds.dir)
	if err := os.WriteFile(filepath.Join(cr.configDir, "bench.tpc"), []byte(tpc), 0o644); err != nil {
		return nil, fmt.Errorf("write config: %w", err)
	}
	tp, base, err := alternateCollects(bin, baselineBin, cr, filepath.Join(dir, "baseline-data"), ds, runs)
	if err != nil {
		return nil, err
	}

	fmt.Fprintln(os.Stderr, "bench: DuckDB alone")
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("own executable: %w", err)
	}
	parquet := filepath.Join(dir, "duckdb.parquet")
	dk, err := runMeasured(exec.Command(self, duckdbConvertCmd, ds.dir, parquet))
	if err != nil {
		return nil, fmt.Errorf("duckdb baseline: %w", err)
	}
	os.Remove(parquet)

	fmt.Fprintln(os.Stderr, "bench: zcat")
	zc := exec.Command("sh", "-c", `find "$1" -name '*.json.gz' -print0 | xargs -0 zcat > /dev/null`, "sh", ds.dir)
	zm, err := runMeasured(zc)
	if err != nil {
		return nil, fmt.Errorf("zcat baseline: %w", err)
	}
	collectTable(r, ds, tp, base, dk, zm)
	lakeTable(r, *tp, base)
	return cr, nil
}

// alternateCollects runs the collect of bin, and of baselineBin if set,
// runs times each, alternating and swapping which goes first every round
// (bin, base, base, bin, ...) so that a drift of the machine's load falls
// on both alike. Each run starts from an empty lake; bin's last lake stays
// in cr.dataDir for the later sections, the baseline's is removed.
func alternateCollects(bin, baselineBin string, cr *collectResult, baseDataDir string, ds *dataset, runs int) (tp, base *collectRun, err error) {
	tp = &collectRun{}
	if baselineBin != "" {
		base = &collectRun{}
	}
	defer os.RemoveAll(baseDataDir)
	one := func(name, b string, dataDir string, into *collectRun, round int) error {
		fmt.Fprintf(os.Stderr, "bench: %s collect, run %d of %d\n", name, round+1, runs)
		if err := os.RemoveAll(dataDir); err != nil {
			return fmt.Errorf("empty %s: %w", dataDir, err)
		}
		run, err := timeCollect(b, cr.configDir, dataDir, ds)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		into.runs = append(into.runs, run.measured)
		into.unlimited = max(into.unlimited, run.unlimited)
		return nil
	}
	for round := range runs {
		order := []func() error{
			func() error { return one("tpserver", bin, cr.dataDir, tp, round) },
		}
		if base != nil {
			b := func() error { return one("baseline tpserver", baselineBin, baseDataDir, base, round) }
			if round%2 == 0 {
				order = append(order, b)
			} else {
				order = append([]func() error{b}, order...)
			}
		}
		for _, f := range order {
			if err := f(); err != nil {
				return nil, nil, err
			}
		}
		// The baseline's lake is measured after its last run, while it
		// is still there.
		if base != nil && round == runs-1 {
			if base.lake, err = measureLake(baseDataDir); err != nil {
				return nil, nil, fmt.Errorf("baseline: %w", err)
			}
		}
	}
	tp.measured = medianRun(tp.runs)
	if tp.lake, err = measureLake(cr.dataDir); err != nil {
		return nil, nil, err
	}
	if base != nil {
		base.measured = medianRun(base.runs)
	}
	return tp, base, nil
}

// collectTable reports the collection runs: medians of tpserver's and the
// baseline's runs, each run, and the one run of DuckDB alone and zcat.
func collectTable(r *report, ds *dataset, tp, base *collectRun, dk, zm measured) {
	r.section("Collection")
	r.line(fmt.Sprintf("%d events, %d files, %.1f MB gzipped. MB/s is gzipped input per second; CPU is user + system time of the process and its children (rusage). "+
		"tpserver collect runs %d times, alternating with the baseline build if one is given (the first of each round swaps); its rows are medians of each column.\n",
		ds.events, ds.files, mb(ds.gzBytes), len(tp.runs)))
	row := func(name string, runs int, m measured, ref *measured) []string {
		eps := float64(ds.events) / m.took.Seconds()
		mbs := mb(ds.gzBytes) / m.took.Seconds()
		cells := []string{name, fmt.Sprint(runs), m.took.Round(time.Millisecond).String(), fmt.Sprintf("%.0f", eps), fmt.Sprintf("%.2f", mbs),
			fmt.Sprintf("%.1f s", m.cpu.Seconds()), fmt.Sprintf("%.0f MiB", float64(m.maxRSS)/(1<<20))}
		if ref == nil {
			return append(cells, "", "", "")
		}
		return append(cells, fmt.Sprintf("%.2f", m.took.Seconds()/ref.took.Seconds()),
			fmt.Sprintf("%.2f", ref.cpu.Seconds()/m.cpu.Seconds()), fmt.Sprintf("%.2f", float64(ref.maxRSS)/float64(m.maxRSS)))
	}
	rows := [][]string{row("tpserver collect", len(tp.runs), tp.measured, nil)}
	if base != nil {
		rows = append(rows, row("baseline tpserver collect (-baseline-bin)", len(base.runs), base.measured, &tp.measured))
	}
	rows = append(rows,
		row("DuckDB alone (read_json + COPY TO parquet)", 1, dk, &tp.measured),
		row("zcat of all files (RSS: sh, find, xargs, zcat)", 1, zm, &tp.measured))
	r.table([]string{"run", "runs", "time", "events/s", "MB/s", "CPU", "peak RSS", "tpserver/this throughput", "tpserver/this CPU", "tpserver/this RSS"}, rows)
	r.line("\nEach run (time, CPU, peak RSS): tpserver " + runList(tp.runs) + baselineRuns(base) + ".")
	r.line(fmt.Sprintf("\nCompaction groups rewritten without their memory limit (warnings in the collect's log, most in one run): tpserver %d%s.",
		tp.unlimited, baselineNote(base)))
}

// runList lists runs as "time / CPU / peak RSS" each.
func runList(runs []measured) string {
	var parts []string
	for _, m := range runs {
		parts = append(parts, fmt.Sprintf("%s / %.1f s / %.0f MiB", m.took.Round(100*time.Millisecond), m.cpu.Seconds(), float64(m.maxRSS)/(1<<20)))
	}
	return strings.Join(parts, "; ")
}

func baselineRuns(base *collectRun) string {
	if base == nil {
		return ""
	}
	return "; baseline " + runList(base.runs)
}

// lakeTable reports the layout of the collected lakes and what it costs a
// small query.
func lakeTable(r *report, tp collectRun, base *collectRun) {
	r.line(fmt.Sprintf("\nThe lake after collection (and compaction): live data files, files per day (most), and `%s` in-process (tpserver's DuckDB set-up over the lake, median of %d runs after a warm-up). Ratio = tpserver / baseline time.\n", lakeCountSQL, queryRuns))
	row := func(name string, l lakeShape, ratio string) []string {
		return []string{name, fmt.Sprint(l.files), fmt.Sprint(l.days), fmt.Sprint(l.perDay), ms(l.count), ratio}
	}
	rows := [][]string{row("tpserver collect", tp.lake, "")}
	if base != nil {
		rows = append(rows, row("baseline tpserver collect (-baseline-bin)", base.lake, fmt.Sprintf("%.2f", tp.lake.count.Seconds()/base.lake.count.Seconds())))
	}
	r.table([]string{"lake", "live files", "days", "files/day (most)", "count(*)", "tpserver/this count(*)"}, rows)
}

// lakeCountSQL is the small query timed on each collected lake.
const lakeCountSQL = "select count(*) from aws_cloudtrail_log"

// lakeShape is the layout of a collected lake and its count(*) time.
type lakeShape struct {
	files, days, perDay int
	count               time.Duration
}

// measureLake reads the bench partition's manifest under dataDir and times
// count(*) over it in-process.
func measureLake(dataDir string) (lakeShape, error) {
	var l lakeShape
	m, err := lake.ReadManifest(lake.ManifestPath(dataDir, lake.CloudTrailTableName, "bench"))
	if err != nil {
		return l, fmt.Errorf("lake manifest: %w", err)
	}
	perDay := map[string]int{}
	for _, f := range m.Files {
		perDay[f.Date]++
		l.perDay = max(l.perDay, perDay[f.Date])
	}
	l.files, l.days = len(m.Files), len(perDay)
	db, closeDB, err := lakeDuckDB(context.Background(), dataDir)
	if err != nil {
		return l, err
	}
	defer closeDB()
	if l.count, err = median(func() error { return sqlQuery(db, lakeCountSQL) }); err != nil {
		return l, fmt.Errorf("count(*) in-process: %w", err)
	}
	return l, nil
}

func baselineNote(base *collectRun) string {
	if base == nil {
		return ""
	}
	return fmt.Sprintf(", baseline %d", base.unlimited)
}

// collectRun is one or more timed tpserver collects of one binary.
type collectRun struct {
	// measured is the run, or the medians of runs.
	measured
	runs []measured
	// unlimited counts the compaction groups rewritten without their
	// memory limit, as the collect's log warns.
	unlimited int
	// lake is the collected lake's layout.
	lake lakeShape
}

// compactUnlimitedWarning is what tpserver collect logs when a compaction
// group ran out of its memory limit and is rewritten without it.
const compactUnlimitedWarning = "compaction out of its memory limit"

// timeCollect runs bin's collect of the benchmark partition into dataDir,
// measures it and checks that it collected every event.
func timeCollect(bin, configDir, dataDir string, ds *dataset) (collectRun, error) {
	var log bytes.Buffer
	cmd := exec.Command(bin, "collect", "--config-path", configDir, "--data-dir", dataDir,
		"--from", "2000-01-01", "--progress=false")
	cmd.Stderr = &log
	m, err := runMeasured(cmd)
	if err != nil {
		return collectRun{}, fmt.Errorf("tpserver collect: %w\n%s", err, lastLines(log.String(), 20))
	}
	out, err := exec.Command(bin, "query", "--config-path", configDir, "--data-dir", dataDir, "-o", "csv",
		"select count(*) from aws_cloudtrail_log").Output()
	if err != nil {
		return collectRun{}, fmt.Errorf("tpserver query count: %w", err)
	}
	rows := lastLines(strings.TrimSpace(string(out)), 1)
	if n, _ := strconv.Atoi(rows); n != ds.events {
		return collectRun{}, fmt.Errorf("tpserver collected %s rows, want %d", rows, ds.events)
	}
	return collectRun{measured: m, unlimited: strings.Count(log.String(), compactUnlimitedWarning)}, nil
}

// duckdbConvertMain converts the CloudTrail files under args[0] to the
// Parquet file args[1] with DuckDB alone.
func duckdbConvertMain(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: %s <cloudtrail dir> <out.parquet>", duckdbConvertCmd)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return fmt.Errorf("open duckdb: %w", err)
	}
	defer db.Close()
	glob := filepath.Join(args[0], "**", "*.json.gz")
	q := fmt.Sprintf(`COPY (
  SELECT * REPLACE (eventTime::TIMESTAMP AS eventTime)
  FROM (SELECT unnest(Records, max_depth := 2)
        FROM read_json(%s, columns = {'Records': '%s[]'}, maximum_object_size = 1073741824))
) TO %s (FORMAT parquet)`, sqlString(glob), recordType, sqlString(args[1]))
	if _, err := db.Exec(q); err != nil {
		return fmt.Errorf("duckdb convert: %w", err)
	}
	return nil
}

// recordType is the CloudTrail record as DuckDB reads it: top-level
// fields typed, nested objects kept as JSON, as tpserver's table does.
const recordType = `STRUCT(eventVersion VARCHAR, userIdentity JSON, eventTime VARCHAR, eventSource VARCHAR,
eventName VARCHAR, awsRegion VARCHAR, sourceIPAddress VARCHAR, userAgent VARCHAR, errorCode VARCHAR,
errorMessage VARCHAR, requestParameters JSON, responseElements JSON, additionalEventData JSON,
requestID VARCHAR, eventID VARCHAR, readOnly BOOLEAN, resources JSON, eventType VARCHAR,
apiVersion VARCHAR, managementEvent BOOLEAN, recipientAccountId VARCHAR, sharedEventID VARCHAR,
vpcEndpointId VARCHAR, serviceEventDetails JSON, eventCategory VARCHAR, tlsDetails JSON,
sessionCredentialFromConsole VARCHAR, edgeDeviceDetails JSON, insightDetails JSON)`

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
