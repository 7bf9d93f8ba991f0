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

	"github.com/tpserver/tpserver/internal/testsupport"
)

// trailGen writes synthetic CloudTrail log files in the S3 delivery layout.
// Every event has a unique eventID, so every event has its own tp_id.
type trailGen struct {
	root  string
	days  []time.Time
	accts []string
	// notBefore, if set, is the earliest event time written.
	notBefore time.Time
	mu        sync.Mutex
	nextID    int64
	events    int64
	files     int
}

var genEventNames = []string{"DescribeInstances", "GetObject", "PutObject", "AssumeRole", "ListBuckets", "ConsoleLogin", "CreateUser", "Decrypt"}

// newTrailGen covers days days, the last of them lastDaysAgo days before
// today (UTC).
func newTrailGen(root string, lastDaysAgo, days int, accts ...string) *trailGen {
	g := &trailGen{root: root, accts: accts}
	first := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -lastDaysAgo-days+1)
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
	// Events of today lie in the past.
	lo, hi := day, day.Add(24*time.Hour)
	if now := time.Now(); now.Before(hi) {
		hi = now
	}
	if g.notBefore.After(lo) {
		lo = g.notBefore
	}
	span := max(hi.Sub(lo), time.Second)
	w.WriteString(`{"Records":[`)
	for i := range n {
		if i > 0 {
			w.WriteByte(',')
		}
		id := first + int64(i)
		t := lo.Add(time.Duration(rng.Int63n(int64(span))))
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
	mtime        map[string]time.Time // of parquet and tmp files
	rows         int64                // rows of the listed files
	batch        int64
	manifests    int
}

func readLake(t *testing.T, dataDir string) lakeFiles {
	t.Helper()
	lf := lakeFiles{listed: map[string]bool{}, retired: map[string]bool{}, mtime: map[string]time.Time{}}
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
		if strings.HasSuffix(path, ".parquet") || strings.HasSuffix(path, ".parquet.tmp") {
			if info, err := d.Info(); err == nil {
				lf.mtime[rel] = info.ModTime()
			}
		}
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

// fresh reports whether any of paths was written after t (so not left by an
// earlier run).
func (lf lakeFiles) fresh(paths []string, t time.Time) bool {
	for _, p := range paths {
		if lf.mtime[p].After(t) {
			return true
		}
	}
	return false
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

// TestCollectSurvivesSIGKILL kills `tpserver collect` with SIGKILL at many
// points of its work while source files keep arriving in waves, resumes, and
// checks that every source event is in the lake exactly once.
//
// The collector here decodes roughly 10-15k events/s on 2 shared cores, so
// runs over a batch of 250,000 rows would take minutes; instead each wave is
// small and published by the run's final flush, and because every wave adds
// files to the same days, each completed run also compacts. Kills are either
// timed (uniform over the expected length of a run), or land shortly after a
// *.parquet.tmp file appears (flush or compaction COPY), or shortly after a
// manifest commit (log/run info, compaction).
func TestCollectSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: kills collection many times")
	}
	bin := tpserverBinary(t)
	start := time.Now()

	seed := time.Now().UnixNano()
	if s := os.Getenv("TPSERVER_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d (set TPSERVER_CRASH_SEED to replay)", seed)

	// 6 waves × 2 accounts × 4 days × 12 files × 250 events: 144,000
	// events in 576 files.
	const waves, filesPerDay, eventsPerFile = 6, 12, 250
	src := filepath.Join(t.TempDir(), "trail")
	gen := newTrailGen(src, 2, 4, "111111111111", "222222222222")
	delivered := 0
	deliver := func() {
		gen.generate(t, src, fmt.Sprintf("w%d_", delivered), filesPerDay, eventsPerFile, seed+int64(delivered)*7)
		delivered++
	}
	deliver()

	e := newEnv(t)
	e.localPartitionConfig(t, src)

	// More waves arrive while too few kills have landed.
	// On a fast machine many runs finish before their kill: waves keep
	// coming (up to maxWaves) until enough kills landed.
	const minKills, maxRuns, maxWaves = 18, 80, 24
	phases := map[string]int{}
	modes := map[string]int{}
	kills, completed, compactions := 0, 0, 0
	// The length of the last completed run: kills are timed within it, so
	// that they land as collection gets faster (a longest-ever bound, never
	// below its first guess, let most runs end before their kill).
	lastRun := 3 * time.Second
	// Loaded machines run collect slowly: the kills, not the clock, end
	// the test; the deadline only stops a hung one.
	deadline := time.Now().Add(150 * time.Second)
	caughtUp := false // the last run completed with every delivered file
	for run := 0; run < maxRuns && time.Now().Before(deadline); run++ {
		if caughtUp {
			if kills >= minKills && delivered >= waves {
				break
			}
			if delivered >= maxWaves {
				break
			}
			deliver()
			caughtUp = false
		}
		before := readLake(t, e.dataDir)
		cmd := exec.Command(bin, "--config-path", e.configDir, "--data-dir", e.dataDir,
			"collect", "--from", "2000-01-01", "--progress=false")
		var outb, errb testsupport.SyncBuffer
		cmd.Stdout, cmd.Stderr = &outb, &errb
		runStart := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()

		// Pick when to kill.
		var mode string
		var trigger func(lakeFiles) bool
		var delay time.Duration
		switch r := rng.Intn(20); {
		case r < 10:
			mode = "timed"
			delay = time.Duration(rng.Int63n(int64(lastRun * 12 / 10)))
		case r < 14:
			mode = "on-tmp"
			trigger = func(lf lakeFiles) bool { return lf.fresh(lf.tmp, runStart) }
			delay = time.Duration(rng.Int63n(int64(250 * time.Millisecond)))
		case r < 16:
			// A renamed-in file the manifest does not name yet: the
			// window between publish and commit.
			mode = "on-publish"
			trigger = func(lf lakeFiles) bool { return lf.fresh(lf.orphans(), runStart) }
		default:
			mode = "on-commit"
			trigger = func(lf lakeFiles) bool { return lf.batch > before.batch }
			delay = time.Duration(rng.Int63n(int64(lastRun / 2)))
		}
		var err error
		done := false
		if trigger != nil {
			poll := time.NewTicker(3 * time.Millisecond)
		wait:
			for {
				select {
				case err = <-exited:
					done = true
					break wait
				case <-poll.C:
					if trigger(readLake(t, e.dataDir)) {
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
				// A run that ended on its own just before the signal
				// landed completed: it is checked as one.
				done = err == nil
			}
		}
		after := readLake(t, e.dataDir)
		if after.rows < before.rows {
			t.Errorf("run %d: committed rows went down: %d -> %d", run, before.rows, after.rows)
		}
		if done {
			if err != nil {
				t.Fatalf("run %d exited on its own with %v\nstdout:\n%s\nstderr:\n%s", run, err, outb.String(), errb.String())
			}
			completed++
			took := time.Since(runStart)
			lastRun = took
			if strings.Contains(outb.String(), "Compacted ") {
				compactions++
			}
			t.Logf("run %2d: %-10s completed in %s (wave %d): committed rows %d -> %d, %d live files", run, mode,
				took.Round(time.Millisecond), delivered, before.rows, after.rows, len(after.listed))
			if after.rows != gen.events {
				t.Fatalf("a completed run left %d rows committed, want %d:\n%s", after.rows, gen.events, outb.String())
			}
			caughtUp = true
			continue
		}
		if ws, ok := err.(*exec.ExitError); !ok || ws.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("run %d: want death by SIGKILL, got %v\n%s", run, err, errb.String())
		}
		kills++
		modes[mode]++
		phase := classify(t, e.dataDir, gen.events, before, after)
		phases[phase]++
		t.Logf("run %2d: %-10s killed after %6s (wave %d): %-36s committed rows %d -> %d, batch %d, %d live, %d retired, %d tmp, %d orphans",
			run, mode, delay.Round(time.Millisecond), delivered, phase, before.rows, after.rows, after.batch,
			len(after.listed), len(after.retired), len(after.tmp), len(after.orphans()))
		// Sometimes new files arrive after a crash, before the resume.
		if delivered < waves && after.rows == gen.events && rng.Intn(3) == 0 {
			deliver()
		}
	}
	t.Logf("%d kills (%v), %d completed runs (%d compacted), %d of %d waves in %s",
		kills, modes, completed, compactions, delivered, maxWaves, time.Since(start).Round(time.Millisecond))
	for p, n := range phases {
		t.Logf("  %-36s %d", p, n)
	}
	if kills < 15 {
		t.Errorf("only %d kills landed (want >= 15)", kills)
	}
	for delivered < waves {
		deliver()
	}
	total := gen.events
	t.Logf("%d files, %d events delivered", gen.files, total)

	// Resume to completion.
	out, errOut, code := e.run(t, "collect", "--from", "2000-01-01", "--progress=false")
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
	// The collection log names every source file once, in committed batches.
	if n := pendingLogEntries(t, e.dataDir, lf.batch); n != 0 {
		t.Errorf("%d collection log entries of uncommitted batches remain", n)
	}
	keys, lines := collectionLogKeys(t, e.dataDir)
	if lines != gen.files || len(keys) != gen.files {
		t.Errorf("collection log: %d lines, %d distinct files; want %d", lines, len(keys), gen.files)
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

// collectionLogKeys returns the distinct source files in the collection
// logs and the number of log lines.
func collectionLogKeys(t *testing.T, dataDir string) (map[string]bool, int) {
	t.Helper()
	keys := map[string]bool{}
	lines := 0
	logs, _ := filepath.Glob(filepath.Join(dataDir, "state", "collection_*.log"))
	for _, p := range logs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line == "" {
				continue
			}
			lines++
			var e struct {
				K string `json:"k"`
			}
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Errorf("collection log line %q: %v", line, err)
			}
			keys[e.K] = true
		}
	}
	return keys, lines
}

// classify tells from the files a killed run left behind where it died.
func classify(t *testing.T, dataDir string, total int64, before, after lakeFiles) string {
	t.Helper()
	allRows := after.rows == total
	switch {
	case len(after.tmp) > 0 && len(after.orphans()) > 0 && allRows:
		return "compaction: writing, some days published"
	case len(after.tmp) > 0 && len(after.orphans()) > 0:
		return "flush: renaming files in"
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
