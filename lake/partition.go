package lake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/tpserver/tpserver/lake/internal/durable"
)

// Partition is one partition opened for writing: its committed manifest,
// and the exclusive lock that keeps any other writer out until Close. Every
// change to the partition goes through Commit.
type Partition struct {
	dataDir, stateDir string
	table, name       string
	manifest          *Manifest
	unlock            func()
	// broken is set when a failed commit could not be undone in place; the
	// partition must be opened again, which recovers it.
	broken error
	// afterStep, when set, is called after each step of a commit; tests
	// use it to fail or stop a commit at any step.
	afterStep func(Step) error
}

// Recovery is what opening a partition removed of an interrupted commit.
type Recovery struct {
	// RemovedFiles counts data files the manifest does not name.
	RemovedFiles int
	// RolledBackLog reports that log lines of uncommitted batches, or a
	// torn line, were removed.
	RolledBackLog bool
}

// Open locks a partition for writing and loads its committed state,
// removing what an interrupted commit left: log entries of batches the
// manifest does not name, temporary files, and data files the manifest
// neither lists nor retires. each, if not nil, is called for every committed
// log entry, oldest first. It fails at once if another writer holds the
// partition.
func Open(dataDir, stateDir, table, partition string, each func(LogEntry)) (*Partition, Recovery, error) {
	unlock, err := lockPartition(stateDir, table, partition)
	if err != nil {
		return nil, Recovery{}, err
	}
	p := &Partition{dataDir: dataDir, stateDir: stateDir, table: table, name: partition, unlock: unlock}
	rec, err := p.recover(each)
	if err != nil {
		unlock()
		return nil, rec, fmt.Errorf("open partition %s.%s: %w", table, partition, err)
	}
	return p, rec, nil
}

// recover loads the manifest and the log and removes what is not committed.
func (p *Partition) recover(each func(LogEntry)) (Recovery, error) {
	var rec Recovery
	m, err := ReadManifest(p.ManifestPath())
	if err != nil {
		return rec, err
	}
	p.manifest = m
	if rec.RolledBackLog, err = readLog(p.LogPath(), m.Batch, each); err != nil {
		return rec, err
	}
	rec.RemovedFiles, err = removeOrphans(p.dataDir, PartitionDir(p.dataDir, p.table, p.name), m)
	return rec, err
}

// Close releases the partition's lock.
func (p *Partition) Close() {
	if p.unlock != nil {
		p.unlock()
		p.unlock = nil
	}
}

// Manifest returns the committed manifest. It must not be modified.
func (p *Partition) Manifest() *Manifest { return p.manifest }

// NextBatch is the batch number the next commit takes; data files written
// for it are named with DataFileName(NextBatch(), n).
func (p *Partition) NextBatch() int64 { return p.manifest.Batch + 1 }

// ManifestPath is the partition's manifest file.
func (p *Partition) ManifestPath() string { return ManifestPath(p.dataDir, p.table, p.name) }

// LogPath is the partition's collection log.
func (p *Partition) LogPath() string { return LogPath(p.stateDir, p.table, p.name) }

// removeOrphans deletes data files under root that m neither lists nor
// retires, and half-written temporary files (data files and manifests).
func removeOrphans(dataDir, root string, m *Manifest) (int, error) {
	known := map[string]bool{}
	for _, f := range m.Files {
		known[f.Path] = true
	}
	for _, f := range m.Retired {
		known[f.Path] = true
	}
	removed := 0
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
		case strings.HasSuffix(name, TempFileExt):
		case strings.HasPrefix(name, "."+ManifestName+".") && strings.HasSuffix(name, ".tmp"):
			// A manifest being written when the commit died.
		case strings.HasSuffix(name, DataFileExt):
			rel, err := filepath.Rel(dataDir, path)
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

// ErrLocked is the error of Open when another writer holds the partition.
var ErrLocked = errors.New("partition is locked by another writer")

// lockedError names the partition and lock file, and is ErrLocked.
type lockedError struct{ msg string }

func (e lockedError) Error() string        { return e.msg }
func (e lockedError) Is(target error) bool { return target == ErrLocked }

// lockPartition takes an exclusive lock so two writers never change the
// same partition at once.
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
		return nil, lockedError{fmt.Sprintf("partition %s.%s is being collected by another process (lock %s)", table, partition, path)}
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// RunInfo is what a partition remembers of its last completed collection
// run, next to its log. It is not part of any commit.
type RunInfo struct {
	// LastTo is the upper bound of the last completed run's window.
	LastTo time.Time `json:"last_to"`
}

// RunInfoPath is the run info file of one partition, in the state dir.
func RunInfoPath(stateDir, table, partition string) string {
	return filepath.Join(stateDir, fmt.Sprintf("collection_%s_%s.json", table, partition))
}

// RunInfo reads the partition's run info; a missing or unreadable one is
// the zero RunInfo.
func (p *Partition) RunInfo() RunInfo {
	var ri RunInfo
	if b, err := os.ReadFile(RunInfoPath(p.stateDir, p.table, p.name)); err == nil {
		if json.Unmarshal(b, &ri) != nil {
			return RunInfo{}
		}
	}
	return ri
}

// SaveRunInfo replaces the partition's run info atomically.
func (p *Partition) SaveRunInfo(ri RunInfo) error {
	b, _ := json.Marshal(ri)
	if err := durable.WriteFile(RunInfoPath(p.stateDir, p.table, p.name), b); err != nil {
		return fmt.Errorf("save run info: %w", err)
	}
	return nil
}
