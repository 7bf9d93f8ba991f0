package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// trailGen writes synthetic CloudTrail log files in the S3 delivery layout.
// Every event has a unique eventID, so every event has its own tp_id.
type trailGen struct {
	root   string
	days   []time.Time
	accts  []string
	mu     sync.Mutex
	nextID int64
	events int64
	files  int
}

var genEventNames = []string{"DescribeInstances", "GetObject", "PutObject", "AssumeRole", "ListBuckets", "ConsoleLogin", "CreateUser", "Decrypt"}

func newTrailGen(root string, days int, accts ...string) *trailGen {
	g := &trailGen{root: root, accts: accts}
	first := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -days-1)
	for i := range days {
		g.days = append(g.days, first.AddDate(0, 0, i))
	}
	return g
}

// ids reserves n event ids.
func (g *trailGen) ids(n int) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	id := g.nextID
	g.nextID += int64(n)
	g.events += int64(n)
	g.files++
	return id
}

// writeFile writes one gzipped file of n events for acct and day into dir
// (the source root), named uniquely with tag, and returns its path.
func (g *trailGen) writeFile(dir, acct string, day time.Time, tag string, n int, rng *rand.Rand) (string, error) {
	first := g.ids(n)
	p := filepath.Join(dir, "AWSLogs", acct, "CloudTrail", "us-east-1", day.Format("2006"), day.Format("01"), day.Format("02"),
		fmt.Sprintf("%s_CloudTrail_us-east-1_%sT0000Z_%s.json.gz", acct, day.Format("20060102"), tag))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", err
	}
	// Written aside and renamed in, as S3 delivers whole objects.
	tmp := filepath.Join(dir, "."+filepath.Base(p)+".part")
	f, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	w := bufio.NewWriterSize(zw, 64<<10)
	w.WriteString(`{"Records":[`)
	for i := range n {
		if i > 0 {
			w.WriteByte(',')
		}
		id := first + int64(i)
		t := day.Add(time.Duration(rng.Int63n(int64(24 * time.Hour))))
		name := genEventNames[rng.Intn(len(genEventNames))]
		user := "user" + strconv.Itoa(rng.Intn(50))
		fmt.Fprintf(w, `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDA%[1]s","arn":"arn:aws:iam::%[2]s:user/%[1]s","accountId":"%[2]s","accessKeyId":"AKIA%[1]s","userName":"%[1]s"},`+
			`"eventTime":"%[3]s","eventSource":"ec2.amazonaws.com","eventName":"%[4]s","awsRegion":"us-east-1","sourceIPAddress":"198.51.%[5]d.%[6]d","userAgent":"aws-cli/2.15.0 Python/3.11",`+
			`"requestParameters":{"instancesSet":{"items":[{"instanceId":"i-%[7]012x"}]},"filterSet":{}},"responseElements":null,`+
			`"requestID":"req-%[7]d","eventID":"%08[7]x-0000-4000-8000-%012[8]x","readOnly":true,"resources":[{"accountId":"%[2]s","type":"AWS::EC2::Instance","ARN":"arn:aws:ec2:us-east-1:%[2]s:instance/i-%[7]012x"}],`+
			`"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"%[2]s","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"ec2.us-east-1.amazonaws.com"}}`,
			user, acct, t.Format(time.RFC3339), name, rng.Intn(256), rng.Intn(256), id, id*2654435761%(1<<40))
	}
	w.WriteString("]}")
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return p, os.Rename(tmp, p)
}

// generate writes filesPerDay files of eventsPerFile events for every
// account and day, in parallel.
func (g *trailGen) generate(t *testing.T, dir string, tag string, filesPerDay, eventsPerFile int, seed int64) {
	t.Helper()
	type job struct {
		acct string
		day  time.Time
		i    int
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var firstErr error
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewSource(seed + int64(w)))
			for j := range jobs {
				if _, err := g.writeFile(dir, j.acct, j.day, fmt.Sprintf("%s%04d", tag, j.i), eventsPerFile, rng); err != nil {
					errMu.Lock()
					firstErr = err
					errMu.Unlock()
				}
			}
		}()
	}
	for _, a := range g.accts {
		for _, d := range g.days {
			for i := range filesPerDay {
				jobs <- job{a, d, i}
			}
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		t.Fatal(firstErr)
	}
}

// lakeFiles describes the data files of the cloudtrail table on disk and in
// its manifests.
type lakeFiles struct {
	parquet, tmp []string // relative to the data dir
	listed       map[string]bool
	retired      map[string]bool
	rows         int64 // rows of the listed files
	batch        int64
	manifests    int
}

func readLake(t *testing.T, dataDir string) lakeFiles {
	t.Helper()
	lf := lakeFiles{listed: map[string]bool{}, retired: map[string]bool{}}
	root := filepath.Join(dataDir, "tp_table=aws_cloudtrail_log")
	err := filepath.WalkDir(dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dataDir, path)
		rel = filepath.ToSlash(rel)
		switch {
		case strings.HasSuffix(path, ".parquet.tmp"):
			lf.tmp = append(lf.tmp, rel)
		case strings.HasSuffix(path, ".parquet") && strings.HasPrefix(path, root+string(filepath.Separator)):
			lf.parquet = append(lf.parquet, rel)
		case d.Name() == "_manifest.json":
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var m struct {
				Batch int64 `json:"batch"`
				Files []struct {
					Path string `json:"path"`
					Rows int64  `json:"rows"`
				} `json:"files"`
				Retired []struct {
					Path string `json:"path"`
				} `json:"retired"`
			}
			if err := json.Unmarshal(b, &m); err != nil {
				return fmt.Errorf("%s: %v", path, err)
			}
			lf.manifests++
			lf.batch += m.Batch
			for _, f := range m.Files {
				lf.listed[f.Path] = true
				lf.rows += f.Rows
			}
			for _, f := range m.Retired {
				lf.retired[f.Path] = true
			}
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return lf
}

// orphans are parquet files that no manifest lists or retires.
func (lf lakeFiles) orphans() []string {
	var out []string
	for _, p := range lf.parquet {
		if !lf.listed[p] && !lf.retired[p] {
			out = append(out, p)
		}
	}
	return out
}

// pendingLogEntries counts collection log lines of batches the manifest has
// not committed (left by a kill between the log append and the commit).
func pendingLogEntries(t *testing.T, dataDir string, batch int64) int {
	t.Helper()
	logs, _ := filepath.Glob(filepath.Join(dataDir, "state", "collection_*.log"))
	n := 0
	for _, p := range logs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line == "" {
				continue
			}
			var e struct {
				B int64 `json:"b"`
			}
			if json.Unmarshal([]byte(line), &e) != nil || e.B > batch {
				n++
			}
		}
	}
	return n
}

func TestCollectSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: kills collection many times")
	}
	bin := tpserverBinary(t)
	start := time.Now()

	// ~720k events in 640 files: 2 accounts × 8 days × 40 files × 1,125
	// events, so a run flushes two full batches of 250,000 rows and a last
	// partial one, and compaction merges several files per day.
	src := filepath.Join(t.TempDir(), "trail")
	gen := newTrailGen(src, 8, "111111111111", "222222222222")
	gen.generate(t, src, "a", 40, 1125, 1)
	total := gen.events
	t.Logf("generated %d files, %d events in %s", gen.files, total, time.Since(start).Round(time.Millisecond))

	// Calibrate: one uninterrupted run over the same source in another lake.
	cal := newEnv(t)
	cal.localPartitionConfig(t, src)
	calStart := time.Now()
	out, errOut, code := cal.run(t, "collect", "--from", "2000-01-01", "--progress=false")
	full := time.Since(calStart)
	if code != 0 {
		t.Fatalf("calibration collect: exit %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("uninterrupted collect took %s:\n%s", full.Round(time.Millisecond), out)

	e := newEnv(t)
	e.localPartitionConfig(t, src)
	seed := time.Now().UnixNano()
	if s := os.Getenv("TPSERVER_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d (set TPSERVER_CRASH_SEED to replay)", seed)

	const wantKills, maxRuns = 18, 40
	phases := map[string]int{}
	kills, completed := 0, 0
	deadline := time.Now().Add(70 * time.Second)
	for run := 0; kills < wantKills && run < maxRuns && time.Now().Before(deadline); run++ {
		// Estimate what is left: the uncommitted share of the rows, plus
		// start-up and compaction.
		before := readLake(t, e.dataDir)
		left := time.Duration(float64(full) * (1 - float64(before.rows)/float64(total)))
		left = max(left, full/4)
		cmd := exec.Command(bin, "--config-path", e.configDir, "--data-dir", e.dataDir,
			"collect", "--from", "2000-01-01", "--progress=false")
		var outb, errb syncBuffer
		cmd.Stdout, cmd.Stderr = &outb, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()

		mode := "timed"
		var delay time.Duration
		if rng.Intn(3) == 0 {
			// Wait for a file being written (flush or compaction COPY) and
			// kill a little later.
			mode = "on-tmp"
			delay = time.Duration(rng.Int63n(int64(300 * time.Millisecond)))
		} else {
			delay = time.Duration(rng.Int63n(int64(left)))
		}
		done := false
		var err error
		if mode == "on-tmp" {
			poll := time.NewTicker(5 * time.Millisecond)
		wait:
			for {
				select {
				case err = <-exited:
					done = true
					break wait
				case <-poll.C:
					if len(readLake(t, e.dataDir).tmp) > 0 {
						break wait
					}
				}
			}
			poll.Stop()
		}
		if !done {
			select {
			case err = <-exited:
				done = true
			case <-time.After(delay):
				cmd.Process.Signal(syscall.SIGKILL)
				err = <-exited
			}
		}
		if done {
			if err != nil {
				t.Fatalf("run %d exited on its own with %v\nstdout:\n%s\nstderr:\n%s", run, err, outb.String(), errb.String())
			}
			completed++
			t.Logf("run %d (%s, %s) completed before the kill:\n%s", run, mode, delay.Round(time.Millisecond), outb.String())
			break
		}
		if ws, ok := err.(*exec.ExitError); !ok || ws.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("run %d: want death by SIGKILL, got %v\n%s", run, err, errb.String())
		}
		kills++
		after := readLake(t, e.dataDir)
		phase := classify(t, e.dataDir, total, before, after)
		phases[phase]++
		t.Logf("kill %2d: %-6s after %6s (est. left %6s): %-34s committed rows %d -> %d, batch %d, %d live files",
			kills, mode, delay.Round(time.Millisecond), left.Round(time.Millisecond), phase, before.rows, after.rows, after.batch, len(after.listed))
		if after.rows < before.rows {
			t.Errorf("committed rows went down: %d -> %d", before.rows, after.rows)
		}
	}
	t.Logf("%d kills, %d completed runs in %s; phases: %v", kills, completed, time.Since(start).Round(time.Millisecond), phases)
	if kills < 15 {
		t.Errorf("only %d kills landed (want >= 15); the data may be too small for this machine", kills)
	}

	// Resume to completion.
	out, errOut, code = e.run(t, "collect", "--from", "2000-01-01", "--progress=false")
	if code != 0 {
		t.Fatalf("final collect: exit %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("final collect:\n%s", out)

	out, errOut, code = e.run(t, "query", "-o", "csv", "--header=false", "select count(*), count(distinct tp_id) from aws_cloudtrail_log")
	if code != 0 {
		t.Fatalf("query: exit %d: %s", code, errOut)
	}
	want := fmt.Sprintf("%d,%d", total, total)
	if got := strings.TrimSpace(out); got != want {
		t.Errorf("count(*), count(distinct tp_id) = %s, want %s", got, want)
	}

	lf := readLake(t, e.dataDir)
	if len(lf.tmp) > 0 {
		t.Errorf("temporary files remain: %v", lf.tmp)
	}
	if o := lf.orphans(); len(o) > 0 {
		t.Errorf("%d parquet files are neither listed nor retired by a manifest: %v", len(o), o)
	}
	for p := range lf.listed {
		if _, err := os.Stat(filepath.Join(e.dataDir, filepath.FromSlash(p))); err != nil {
			t.Errorf("manifest lists a missing file: %v", err)
		}
	}
	if lf.rows != total {
		t.Errorf("manifests list %d rows, want %d", lf.rows, total)
	}
	t.Logf("lake: %d live files, %d retired, %d parquet files on disk", len(lf.listed), len(lf.retired), len(lf.parquet))

	// Nothing is left to collect.
	out, errOut, code = e.run(t, "collect", "--from", "2000-01-01", "--progress=false")
	if code != 0 {
		t.Fatalf("collect again: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, " 0 collected, ") {
		t.Errorf("collect after completion collected files again:\n%s", out)
	}
	out, _, _ = e.run(t, "query", "-o", "csv", "--header=false", "select count(*) from aws_cloudtrail_log")
	if strings.TrimSpace(out) != fmt.Sprint(total) {
		t.Errorf("count after a second collect = %s, want %d", strings.TrimSpace(out), total)
	}
	t.Logf("total %s", time.Since(start).Round(time.Millisecond))
}

// classify tells from the files a killed run left behind where it died.
func classify(t *testing.T, dataDir string, total int64, before, after lakeFiles) string {
	t.Helper()
	allRows := after.rows == total
	switch {
	case len(after.tmp) > 0 && allRows:
		return "compaction: writing parquet"
	case len(after.tmp) > 0:
		return "flush: writing parquet"
	case pendingLogEntries(t, dataDir, after.batch) > 0:
		return "between log append and commit"
	case len(after.orphans()) > 0 && allRows:
		return "compaction: published, not committed"
	case len(after.orphans()) > 0:
		return "flush: published, not committed"
	case len(after.retired) > len(before.retired):
		return "after compaction commit"
	case allRows && after.rows > before.rows:
		return "after last batch commit"
	case allRows:
		return "compaction (nothing visible)"
	case after.rows > before.rows:
		return "after a batch commit"
	}
	return "start-up/decode/stage"
}
