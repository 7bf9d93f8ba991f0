package collector

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/tpserver/tpserver/lake"
)

// partitionState is everything a partition remembers between runs: the
// manifest of its live data files (the commit point, shared with readers)
// and the log of source files whose rows those data files hold.
//
// A batch is committed in this order: data files are written and renamed
// into place, the batch's source files are appended to the collection log,
// then the manifest naming the new files and the batch number is replaced
// atomically. On load, log entries of batches the manifest does not name, and
// data files the manifest does not list, are the remains of an interrupted
// run and are removed; so every source file's rows are published exactly
// once, whenever a run is killed.
type partitionState struct {
	dataDir, stateDir string
	table, partition  string

	manifest *lake.Manifest
	// collected maps the locations of source files collected in full or in
	// part to what of them is collected.
	collected map[string]fileState
	// lastTo is the upper bound of the last completed run.
	lastTo time.Time
}

// logEntry is one line of the collection log.
//
// An entry without Part says the source file is collected in full (the only
// kind of entry older logs have). An entry with Part says its events with a
// time in [From, To) are collected, in addition to what earlier entries of
// the file say; an absent bound is no bound. Min and Max, in both kinds, are
// the earliest and latest event times of the whole file, so a run can tell
// whether the file holds events of its window that are not collected yet.
type logEntry struct {
	Batch int64  `json:"b"`
	Key   string `json:"k"`
	Size  int64  `json:"s,omitempty"`
	Rows  int64  `json:"r"`
	// Forget marks a source whose rows were deleted by --overwrite: it is
	// no longer collected, or with Part, its events in [From, To) are not.
	Forget bool       `json:"forget,omitempty"`
	Part   bool       `json:"part,omitempty"`
	From   *time.Time `json:"from,omitempty"`
	To     *time.Time `json:"to,omitempty"`
	Min    *time.Time `json:"min,omitempty"`
	Max    *time.Time `json:"max,omitempty"`
}

// window returns the event times a partial entry covers or forgets.
func (e logEntry) window() span {
	var from, to time.Time
	if e.From != nil {
		from = *e.From
	}
	if e.To != nil {
		to = *e.To
	}
	return spanOf(from, to)
}

// events returns the span of the file's event times the entry records,
// allTime when it records none (entries of older logs).
func (e logEntry) events() span {
	if e.Min == nil || e.Max == nil {
		return allTime
	}
	return span{e.Min.UnixMicro(), e.Max.UnixMicro() + 1}
}

// setWindow records a partial entry's window; unbounded ends stay absent.
func (e *logEntry) setWindow(w span) {
	e.Part = true
	from, to := w.bounds()
	if !from.IsZero() {
		e.From = &from
	}
	if !to.IsZero() {
		e.To = &to
	}
}

// apply updates the collected files with one committed log entry.
func (s *partitionState) apply(e logEntry) {
	f, known := s.collected[e.Key]
	switch {
	case e.Forget && !e.Part:
		delete(s.collected, e.Key)
	case e.Forget:
		if !known {
			return
		}
		f.covered = f.covered.remove(e.window())
		if len(f.covered) == 0 {
			delete(s.collected, e.Key)
			return
		}
		s.collected[e.Key] = f
	case !e.Part:
		s.collected[e.Key] = fileState{covered: spans{allTime}, events: e.events()}
	default:
		if !known {
			f = fileState{events: allTime}
		}
		f.covered = f.covered.add(e.window())
		f.events = e.events()
		s.collected[e.Key] = f
	}
}

type runInfo struct {
	LastTo time.Time `json:"last_to"`
}

func (s *partitionState) manifestPath() string {
	return lake.ManifestPath(s.dataDir, s.table, s.partition)
}

func (s *partitionState) logPath() string {
	return filepath.Join(s.stateDir, fmt.Sprintf("collection_%s_%s.log", s.table, s.partition))
}

func (s *partitionState) runInfoPath() string {
	return filepath.Join(s.stateDir, fmt.Sprintf("collection_%s_%s.json", s.table, s.partition))
}

// loadState reads a partition's state and removes what an interrupted run
// left behind. It returns how many orphaned data files were removed.
func loadState(dataDir, stateDir, table, partition string) (*partitionState, int, error) {
	s := &partitionState{dataDir: dataDir, stateDir: stateDir, table: table, partition: partition, collected: map[string]fileState{}}
	m, err := lake.ReadManifest(s.manifestPath())
	if err != nil {
		return nil, 0, err
	}
	s.manifest = m
	if err := s.loadLog(); err != nil {
		return nil, 0, err
	}
	removed, err := s.removeOrphans()
	if err != nil {
		return nil, removed, err
	}
	if b, err := os.ReadFile(s.runInfoPath()); err == nil {
		var ri runInfo
		if json.Unmarshal(b, &ri) == nil {
			s.lastTo = ri.LastTo
		}
	}
	return s, removed, nil
}

// loadLog reads the collection log, dropping entries of uncommitted batches.
func (s *partitionState) loadLog() error {
	f, err := os.Open(s.logPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read collection log: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var kept []logEntry
	dropped := false
	for sc.Scan() {
		var e logEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// A torn last line of an interrupted append.
			dropped = true
			continue
		}
		if e.Batch > s.manifest.Batch {
			dropped = true
			continue
		}
		kept = append(kept, e)
		s.apply(e)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read collection log: %w", err)
	}
	if !dropped {
		return nil
	}
	var b strings.Builder
	for _, e := range kept {
		line, _ := json.Marshal(e)
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := writeFileAtomic(s.logPath(), []byte(b.String())); err != nil {
		return fmt.Errorf("roll back collection log: %w", err)
	}
	return nil
}

// removeOrphans deletes data files in the partition that the manifest
// neither lists nor retires, and half-written temporary files.
func (s *partitionState) removeOrphans() (int, error) {
	known := map[string]bool{}
	for _, f := range s.manifest.Files {
		known[f.Path] = true
	}
	for _, f := range s.manifest.Retired {
		known[f.Path] = true
	}
	removed := 0
	root := lake.PartitionDir(s.dataDir, s.table, s.partition)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		name := d.Name()
		switch {
		case strings.HasSuffix(name, lake.TempFileExt):
		case strings.HasSuffix(name, lake.DataFileExt):
			rel, err := filepath.Rel(s.dataDir, path)
			if err != nil || known[filepath.ToSlash(rel)] {
				return nil
			}
			removed++
		default:
			return nil
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove leftover %s: %w", path, err)
		}
		return nil
	})
	return removed, err
}

// appendLog records the source files of a batch (before the batch commits).
func (s *partitionState) appendLog(entries []logEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if err := os.MkdirAll(s.stateDir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(s.logPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("open collection log: %w", err)
	}
	w := bufio.NewWriter(f)
	for _, e := range entries {
		line, _ := json.Marshal(e)
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("append collection log: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync collection log: %w", err)
	}
	return f.Close()
}

// commitManifest atomically replaces the manifest: the commit point.
func (s *partitionState) commitManifest(m *lake.Manifest) error {
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(s.manifestPath(), b); err != nil {
		return fmt.Errorf("commit manifest: %w", err)
	}
	s.manifest = m
	return nil
}

// purgeRetired deletes retired files older than grace and commits a manifest
// without them.
func (s *partitionState) purgeRetired(now time.Time, grace time.Duration) error {
	if len(s.manifest.Retired) == 0 {
		return nil
	}
	next := *s.manifest
	next.Retired = nil
	var gone []string
	for _, r := range s.manifest.Retired {
		if now.Sub(r.Retired) < grace {
			next.Retired = append(next.Retired, r)
			continue
		}
		gone = append(gone, r.Path)
	}
	if len(gone) == 0 {
		return nil
	}
	// Commit first: a file the manifest no longer names is an orphan, and
	// orphans are removed on load if the deletion below is interrupted.
	if err := s.commitManifest(&next); err != nil {
		return err
	}
	for _, p := range gone {
		if err := os.Remove(filepath.Join(s.dataDir, filepath.FromSlash(p))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("delete retired file %s: %w", p, err)
		}
	}
	return nil
}

func (s *partitionState) saveRunInfo(lastTo time.Time) error {
	s.lastTo = lastTo
	b, _ := json.Marshal(runInfo{LastTo: lastTo})
	return writeFileAtomic(s.runInfoPath(), b)
}

// writeFileAtomic writes b to path through a synced temporary file and a rename.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// lockPartition takes an exclusive lock so two runs never write the same
// partition at once.
func lockPartition(stateDir, table, partition string) (func(), error) {
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("create state dir: %w", err)
	}
	path := filepath.Join(stateDir, fmt.Sprintf("collection_%s_%s.lock", table, partition))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("partition %s.%s is being collected by another process (lock %s)", table, partition, path)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
