package lake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/tpserver/tpserver/lake/internal/durable"
)

// StagedFile is a complete data file written aside, at Temp, waiting for a
// commit to rename it to Final and list it in the manifest. Temp is Final
// with TempFileExt in place of DataFileExt.
type StagedFile struct {
	Temp, Final string
	Rows        int64
	Key         PartitionKey
	// Replaces, if set, is the manifest path of a live file this one
	// rewrites (and the change retires): the new file takes its place in
	// the manifest's list instead of going at the end.
	Replaces string
}

// DataFileName names the n-th data file of a batch, without extension.
// Names never repeat because batch numbers only grow.
func DataFileName(batch int64, n int) string {
	return fmt.Sprintf("data_%010d_%d", batch, n)
}

// Stage returns where the n-th file of a batch, holding rows rows of key's
// hive directory dir, is written aside and where it is published.
func Stage(dir string, key PartitionKey, batch int64, n int, rows int64) StagedFile {
	base := filepath.Join(dir, DataFileName(batch, n))
	return StagedFile{Temp: base + TempFileExt, Final: base + DataFileExt, Rows: rows, Key: key}
}

// Change is one commit to a partition.
type Change struct {
	// Add are data files to publish and list as live.
	Add []StagedFile
	// Retire are live files (manifest paths) that stop being live; they
	// stay on disk, listed as retired, for queries already reading them.
	Retire []string
	// Log are the collection-log entries of the commit; Commit sets their
	// Batch.
	Log []LogEntry
	// Purge are retired files (manifest paths) to drop from the manifest
	// and delete once the commit is made.
	Purge []string
	// Time is stamped on added and retired files.
	Time time.Time
}

// changesData reports whether the change takes a batch number: everything
// but a pure purge does.
func (c Change) changesData() bool {
	return len(c.Add)+len(c.Retire)+len(c.Log) > 0
}

// Step is a step of a commit, in the order they happen.
type Step int

// The steps of a commit. Until StepCommitted the partition's committed state
// is the old one; from it on, the new one.
const (
	// StepPublished: one staged file was renamed to its final name and
	// the rename synced (once per added file).
	StepPublished Step = iota
	// StepLogged: the log entries were appended and synced.
	StepLogged
	// StepManifestWritten: the new manifest is durable aside, not yet
	// renamed over the old one.
	StepManifestWritten
	// StepCommitted: the new manifest replaced the old one (the commit
	// point) and its directory was synced.
	StepCommitted
	// StepPurged: the purged files were deleted.
	StepPurged
)

func (s Step) String() string {
	switch s {
	case StepPublished:
		return "published"
	case StepLogged:
		return "logged"
	case StepManifestWritten:
		return "manifest written"
	case StepCommitted:
		return "committed"
	case StepPurged:
		return "purged"
	}
	return fmt.Sprintf("step %d", int(s))
}

// Commit applies a change to the partition, in this order: staged files are
// renamed into place, the log entries are appended and synced, the manifest
// naming the new live files is replaced atomically (the commit point), then
// purged files are deleted. Readers, and Open after a crash at any point,
// see the old state or the new one, never a mix: before the manifest is
// replaced, the renamed files are orphans and the log entries belong to a
// batch the manifest does not name.
//
// A commit that fails before its commit point is undone: the staged and
// renamed files are removed and the log is cut back, so the partition can
// take another commit. It returns the new manifest.
func (p *Partition) Commit(c Change) (*Manifest, error) {
	if p.broken != nil {
		return nil, fmt.Errorf("partition %s.%s must be reopened after a failed commit: %w", p.table, p.name, p.broken)
	}
	next, slots := p.nextManifest(c)
	log := append([]LogEntry(nil), c.Log...)
	for i := range log {
		log[i].Batch = next.Batch
	}
	logSize := int64(-1)
	undo := func(err error) (*Manifest, error) {
		p.undo(c.Add, logSize)
		return nil, err
	}
	for _, f := range c.Add {
		if err := durable.Rename(f.Temp, f.Final); err != nil {
			return undo(fmt.Errorf("publish %s: %w", f.Final, err))
		}
		if err := p.step(StepPublished); err != nil {
			return undo(err)
		}
	}
	if len(log) > 0 {
		size, err := appendLog(p.LogPath(), log)
		logSize = size
		if err != nil {
			return undo(err)
		}
		if err := p.step(StepLogged); err != nil {
			return undo(err)
		}
	}
	for i, f := range c.Add {
		next.Files[slots[i]] = f.dataFile(p.dataDir, c.Time)
	}
	b, err := json.MarshalIndent(next, "", " ")
	if err != nil {
		return undo(fmt.Errorf("encode manifest: %w", err))
	}
	renamed := false
	err = durable.WriteFileStep(p.ManifestPath(), b, func() error {
		if err := p.step(StepManifestWritten); err != nil {
			return err
		}
		renamed = true
		return nil
	})
	if err != nil && !renamed {
		return undo(fmt.Errorf("commit manifest: %w", err))
	}
	// The manifest is renamed in: the change is committed, whatever else fails.
	p.manifest = next
	if err != nil {
		return next, fmt.Errorf("commit manifest: %w", err)
	}
	if err := p.step(StepCommitted); err != nil {
		return next, err
	}
	return next, p.purge(c.Purge)
}

// nextManifest is the manifest after the change, with empty slots for the
// added files (filled in once they are renamed and their size is known):
// slots[i] is the index in Files of c.Add[i].
func (p *Partition) nextManifest(c Change) (*Manifest, []int) {
	cur := p.manifest
	next := &Manifest{Version: cur.Version, Batch: cur.Batch}
	if next.Version == 0 {
		next.Version = 1
	}
	if c.changesData() {
		next.Batch++
	}
	retire := setOf(c.Retire)
	replacement := map[string]int{}
	for i, f := range c.Add {
		if f.Replaces != "" {
			replacement[f.Replaces] = i
		}
	}
	slots := make([]int, len(c.Add))
	placed := make([]bool, len(c.Add))
	for _, f := range cur.Files {
		if !retire[f.Path] {
			next.Files = append(next.Files, f)
			continue
		}
		if i, ok := replacement[f.Path]; ok {
			slots[i], placed[i] = len(next.Files), true
			next.Files = append(next.Files, DataFile{})
		}
	}
	for i := range c.Add {
		if !placed[i] {
			slots[i] = len(next.Files)
			next.Files = append(next.Files, DataFile{})
		}
	}
	purge := setOf(c.Purge)
	for _, r := range cur.Retired {
		if !purge[r.Path] {
			next.Retired = append(next.Retired, r)
		}
	}
	for _, f := range cur.Files {
		if retire[f.Path] {
			next.Retired = append(next.Retired, RetiredFile{Path: f.Path, Retired: c.Time})
		}
	}
	return next, slots
}

func setOf(paths []string) map[string]bool {
	m := make(map[string]bool, len(paths))
	for _, p := range paths {
		m[p] = true
	}
	return m
}

// step runs the test hook after a step.
func (p *Partition) step(s Step) error {
	if p.afterStep == nil {
		return nil
	}
	if err := p.afterStep(s); err != nil {
		return fmt.Errorf("commit %s.%s after step %s: %w", p.table, p.name, s, err)
	}
	return nil
}

// undo removes what a commit that failed before its commit point wrote:
// staged and renamed files, and appended log entries (logSize is the log's
// size before the append, or -1). If it cannot, the partition is marked
// broken: Open recovers it.
func (p *Partition) undo(added []StagedFile, logSize int64) {
	var errs []error
	for _, f := range added {
		for _, path := range []string{f.Temp, f.Final} {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	if logSize >= 0 {
		if err := truncateLog(p.LogPath(), logSize); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		p.broken = errors.Join(errs...)
	}
}

// purge deletes files a committed manifest no longer names. If it is
// interrupted, the next Open removes them as orphans.
func (p *Partition) purge(paths []string) error {
	for _, rel := range paths {
		path := filepath.Join(p.dataDir, filepath.FromSlash(rel))
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("delete retired file %s: %w", rel, err)
		}
	}
	if len(paths) == 0 {
		return nil
	}
	return p.step(StepPurged)
}

// PurgeRetired commits a manifest without the retired files older than
// grace at now, then deletes them.
func (p *Partition) PurgeRetired(now time.Time, grace time.Duration) error {
	var gone []string
	for _, r := range p.manifest.Retired {
		if now.Sub(r.Retired) >= grace {
			gone = append(gone, r.Path)
		}
	}
	if len(gone) == 0 {
		return nil
	}
	_, err := p.Commit(Change{Purge: gone, Time: now})
	return err
}

// dataFile describes a published file for the manifest.
func (f StagedFile) dataFile(dataDir string, now time.Time) DataFile {
	rel := func(path string) string {
		r, err := filepath.Rel(dataDir, path)
		if err != nil {
			return path
		}
		return filepath.ToSlash(r)
	}
	var size int64
	if info, err := os.Stat(f.Final); err == nil {
		size = info.Size()
	}
	return DataFile{
		Path: rel(f.Final), Rows: f.Rows, Size: size,
		Date: f.Key.Date.Format(DateFormat), Dir: rel(filepath.Dir(f.Final)), Time: now,
	}
}
