package lake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

const testTable, testPartition = "t", "p"

var testDay = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// testLake is a data dir and state dir for one partition.
type testLake struct {
	t                 *testing.T
	dataDir, stateDir string
}

func newTestLake(t *testing.T) *testLake {
	dir := t.TempDir()
	return &testLake{t: t, dataDir: filepath.Join(dir, "data"), stateDir: filepath.Join(dir, "state")}
}

// open opens the partition and returns it with its committed log keys.
func (l *testLake) open() (*Partition, []string, Recovery) {
	l.t.Helper()
	var keys []string
	p, rec, err := Open(l.dataDir, l.stateDir, testTable, testPartition, func(e LogEntry) {
		keys = append(keys, fmt.Sprintf("%d:%s", e.Batch, e.Key))
	})
	if err != nil {
		l.t.Fatal(err)
	}
	return p, keys, rec
}

// stage writes a data file aside for the next batch of p.
func (l *testLake) stage(p *Partition, n int, content string) StagedFile {
	l.t.Helper()
	key := PartitionKey{Table: testTable, Partition: testPartition, Index: "default", Date: testDay}
	f := Stage(key.Dir(l.dataDir), key, p.NextBatch(), n, int64(len(content)))
	if err := os.MkdirAll(filepath.Dir(f.Temp), 0o755); err != nil {
		l.t.Fatal(err)
	}
	if err := os.WriteFile(f.Temp, []byte(content), 0o644); err != nil {
		l.t.Fatal(err)
	}
	return f
}

// disk lists the partition's data and temporary files, relative to the
// data dir.
func (l *testLake) disk() []string {
	l.t.Helper()
	var out []string
	filepath.WalkDir(PartitionDir(l.dataDir, testTable, testPartition), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != ManifestName {
			rel, _ := filepath.Rel(l.dataDir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// snapshot is what a reopened partition shows.
type snapshot struct {
	Batch   int64
	Live    []string
	Retired []string
	Log     []string
	Disk    []string
}

func (l *testLake) snapshot() snapshot {
	l.t.Helper()
	p, keys, _ := l.open()
	defer p.Close()
	s := snapshot{Batch: p.Manifest().Batch, Log: keys, Disk: l.disk()}
	for _, f := range p.Manifest().Files {
		s.Live = append(s.Live, f.Path)
	}
	for _, f := range p.Manifest().Retired {
		s.Retired = append(s.Retired, f.Path)
	}
	return s
}

// seed commits one file with one source, the "old state" of the tests.
func (l *testLake) seed() {
	l.t.Helper()
	p, _, _ := l.open()
	defer p.Close()
	f := l.stage(p, 0, "seed rows")
	if _, err := p.Commit(Change{Add: []StagedFile{f}, Log: []LogEntry{{Key: "s1", Rows: 1}}, Time: testDay}); err != nil {
		l.t.Fatal(err)
	}
}

// change is the "new state" of the tests: it rewrites the seed file into
// two files, retires it and logs a second source.
func (l *testLake) change(p *Partition) Change {
	seed := p.Manifest().Files[0].Path
	return Change{
		Add:    []StagedFile{l.stage(p, 0, "new a"), l.stage(p, 1, "new b")},
		Retire: []string{seed},
		Log:    []LogEntry{{Key: "s2", Rows: 2}, {Key: "s3", Rows: 3}},
		Time:   testDay.Add(time.Hour),
	}
}

const dir = "tp_table=t/tp_partition=p/tp_index=default/tp_date=2024-03-01/"

var (
	oldState = snapshot{
		Batch: 1,
		Live:  []string{dir + "data_0000000001_0.parquet"},
		Log:   []string{"1:s1"},
		Disk:  []string{dir + "data_0000000001_0.parquet"},
	}
	newState = snapshot{
		Batch:   2,
		Live:    []string{dir + "data_0000000002_0.parquet", dir + "data_0000000002_1.parquet"},
		Retired: []string{dir + "data_0000000001_0.parquet"},
		Log:     []string{"1:s1", "2:s2", "2:s3"},
		Disk:    []string{dir + "data_0000000001_0.parquet", dir + "data_0000000002_0.parquet", dir + "data_0000000002_1.parquet"},
	}
)

// faultPoint is the n-th occurrence of a step in a commit.
type faultPoint struct {
	step Step
	n    int
}

// commitSteps are every step the test change goes through, in order.
var commitSteps = []faultPoint{
	{StepPublished, 0}, {StepPublished, 1}, {StepLogged, 0}, {StepManifestWritten, 0}, {StepCommitted, 0},
}

// hookAt returns a step hook that calls fault at point.
func hookAt(point faultPoint, fault func() error) func(Step) error {
	seen := map[Step]int{}
	return func(s Step) error {
		n := seen[s]
		seen[s]++
		if s == point.step && n == point.n {
			return fault()
		}
		return nil
	}
}

func TestCommitWithoutFaults(t *testing.T) {
	l := newTestLake(t)
	l.seed()
	if got := l.snapshot(); !reflect.DeepEqual(got, oldState) {
		t.Fatalf("after seed:\n got %+v\nwant %+v", got, oldState)
	}
	p, _, _ := l.open()
	m, err := p.Commit(l.change(p))
	p.Close()
	if err != nil {
		t.Fatal(err)
	}
	if m.Files[0].Size != int64(len("new a")) || m.Files[1].Rows != int64(len("new b")) || m.Files[0].Date != "2024-03-01" {
		t.Fatalf("new files: %+v", m.Files)
	}
	if got := l.snapshot(); !reflect.DeepEqual(got, newState) {
		t.Fatalf("after change:\n got %+v\nwant %+v", got, newState)
	}
}

// errFault is the failure a hook injects.
var errFault = errors.New("injected fault")

// crash stands for the process dying: the hook panics, so no code of the
// commit runs after the step.
type crash struct{}

// TestCommitFailsAtEachStep fails the commit after each step: up to the
// commit point it is undone at once and the old state stays, with nothing
// left on disk, and the partition takes the same change again; after it the
// new state stays.
func TestCommitFailsAtEachStep(t *testing.T) {
	for _, point := range commitSteps {
		t.Run(fmt.Sprintf("%s#%d", point.step, point.n), func(t *testing.T) {
			l := newTestLake(t)
			l.seed()
			p, _, _ := l.open()
			p.afterStep = hookAt(point, func() error { return errFault })
			_, err := p.Commit(l.change(p))
			if !errors.Is(err, errFault) {
				t.Fatalf("commit error %v, want the injected fault", err)
			}
			want := oldState
			if point.step == StepCommitted {
				want = newState
			}
			if got := l.disk(); !reflect.DeepEqual(got, want.Disk) {
				t.Fatalf("disk right after the failure:\n got %v\nwant %v", got, want.Disk)
			}
			if point.step != StepCommitted {
				p.afterStep = nil
				if _, err := p.Commit(l.change(p)); err != nil {
					t.Fatalf("retry after an undone commit: %v", err)
				}
				want = newState
			}
			p.Close()
			if got := l.snapshot(); !reflect.DeepEqual(got, want) {
				t.Fatalf("reopened:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestCommitCrashesAtEachStep stops the commit dead after each step, as
// kill -9 would, and reopens: the partition shows the old state before the
// commit point and the new one from it on, and opening removes the files
// and log lines the dead commit left.
func TestCommitCrashesAtEachStep(t *testing.T) {
	for _, point := range commitSteps {
		t.Run(fmt.Sprintf("%s#%d", point.step, point.n), func(t *testing.T) {
			l := newTestLake(t)
			l.seed()
			p, _, _ := l.open()
			p.afterStep = hookAt(point, func() error { panic(crash{}) })
			func() {
				defer func() {
					if r := recover(); r != (crash{}) {
						t.Fatalf("commit did not crash: %v", r)
					}
				}()
				p.Commit(l.change(p))
			}()
			p.Close() // the dead process's lock goes with it
			leftovers := len(l.disk()) > len(oldState.Disk)
			p, _, rec := l.open()
			p.Close()
			want, removed := oldState, 2
			if point.step == StepCommitted {
				want, removed = newState, 0
			}
			if rec.RemovedFiles > removed || (point.step == StepPublished && rec.RemovedFiles != point.n+1) {
				t.Fatalf("recovery removed %d data files (leftovers %v)", rec.RemovedFiles, leftovers)
			}
			wantLogRollback := point.step == StepLogged || point.step == StepManifestWritten
			if rec.RolledBackLog != wantLogRollback {
				t.Fatalf("log rolled back %v, want %v", rec.RolledBackLog, wantLogRollback)
			}
			if got := l.snapshot(); !reflect.DeepEqual(got, want) {
				t.Fatalf("reopened:\n got %+v\nwant %+v", got, want)
			}
			assertLogLines(t, l, want.Log)
		})
	}
}

// assertLogLines checks the log file holds exactly the committed entries.
func assertLogLines(t *testing.T, l *testLake, want []string) {
	t.Helper()
	b, err := os.ReadFile(LogPath(l.stateDir, testTable, testPartition))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("log lines %q, want %d", lines, len(want))
	}
	for i, line := range lines {
		batch, key, _ := strings.Cut(want[i], ":")
		if !strings.Contains(line, `"b":`+batch+`,`) || !strings.Contains(line, `"k":"`+key+`"`) {
			t.Fatalf("log line %d is %s, want entry %s", i, line, want[i])
		}
	}
}

func TestOpenRollsBackTornAndUncommittedLog(t *testing.T) {
	l := newTestLake(t)
	l.seed()
	path := LogPath(l.stateDir, testTable, testPartition)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"b":2,"k":"uncommitted","r":1}` + "\n" + `{"b":1,"k":"tor`)
	f.Close()
	halfManifest := filepath.Join(PartitionDir(l.dataDir, testTable, testPartition), "."+ManifestName+".123.tmp")
	os.WriteFile(halfManifest, []byte(`{"version":`), 0o644)
	p, keys, rec := l.open()
	p.Close()
	if !rec.RolledBackLog || !reflect.DeepEqual(keys, []string{"1:s1"}) {
		t.Fatalf("recovery %+v, committed log %v", rec, keys)
	}
	assertLogLines(t, l, []string{"1:s1"})
	if _, err := os.Stat(halfManifest); !os.IsNotExist(err) {
		t.Fatalf("half-written manifest left: %v", err)
	}
}

func TestLogLinesAreByteCompatible(t *testing.T) {
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	lines := []string{
		`{"b":1,"k":"/a","s":10,"r":3}`,
		`{"b":2,"k":"/b","r":0,"forget":true}`,
		`{"b":3,"k":"/c","r":1,"part":true,"from":"2024-01-01T00:00:00Z","min":"2024-01-01T00:00:00Z","max":"2024-01-01T00:00:00Z"}`,
	}
	entries := []LogEntry{
		{Batch: 1, Key: "/a", Size: 10, Rows: 3},
		{Batch: 2, Key: "/b", Forget: true},
		{Batch: 3, Key: "/c", Rows: 1, Part: true, From: &from, Min: &from, Max: &from},
	}
	if got, want := string(encodeLog(entries)), strings.Join(lines, "\n")+"\n"; got != want {
		t.Fatalf("encoded log:\n%s\nwant\n%s", got, want)
	}
}

func TestPurgeRetiredDeletesAfterGrace(t *testing.T) {
	l := newTestLake(t)
	l.seed()
	p, _, _ := l.open()
	defer p.Close()
	if _, err := p.Commit(l.change(p)); err != nil {
		t.Fatal(err)
	}
	retiredAt := testDay.Add(time.Hour)
	if err := p.PurgeRetired(retiredAt.Add(time.Minute), 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if len(p.Manifest().Retired) != 1 || len(l.disk()) != 3 {
		t.Fatalf("purged within the grace: %+v, disk %v", p.Manifest(), l.disk())
	}
	if err := p.PurgeRetired(retiredAt.Add(10*time.Minute), 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if len(p.Manifest().Retired) != 0 || len(l.disk()) != 2 || p.Manifest().Batch != 2 {
		t.Fatalf("after purge: %+v, disk %v", p.Manifest(), l.disk())
	}
}

func TestOpenRefusesSecondWriter(t *testing.T) {
	l := newTestLake(t)
	p, _, _ := l.open()
	defer p.Close()
	if _, _, err := Open(l.dataDir, l.stateDir, testTable, testPartition, nil); !errors.Is(err, ErrLocked) {
		t.Fatalf("a second writer opening a locked partition: %v", err)
	}
}
