package collector

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/tpserver/tpserver/lake"
)

// partitionState is a partition opened for one run: the lake partition
// (its manifest, lock and commit path) and what the collection log says is
// collected. Every change goes through commit, which is lake.Partition's
// Commit: so every source file's rows are published exactly once, whenever
// a run is killed (see the lake package for the commit order and recovery).
type partitionState struct {
	part *lake.Partition
	// mu guards collected: a run's discovery reads it while its commits
	// update it.
	mu sync.RWMutex
	// collected maps the locations (locationKey) of source files collected
	// in full or in part to what of them is collected. With a source file
	// per 50 events it is most of a large run's Go heap, so it is the one
	// copy, and keyed by a hash of the location rather than the location.
	collected map[locationKey]fileState
	// lastTo is the upper bound of the last completed run.
	lastTo time.Time
}

// logEntry is one line of the collection log. Its format belongs to the
// lake; what it means for coverage is read here:
//
// An entry without Part says the source file is collected in full (the only
// kind of entry older logs have). An entry with Part says its events with a
// time in [From, To) are collected, in addition to what earlier entries of
// the file say; an absent bound is no bound. Min and Max, in both kinds, are
// the earliest and latest event times of the whole file, so a run can tell
// whether the file holds events of its window that are not collected yet. A
// Forget entry undoes what --overwrite deleted.
type logEntry = lake.LogEntry

// entryWindow returns the event times a partial entry covers or forgets.
func entryWindow(e logEntry) span {
	var from, to time.Time
	if e.From != nil {
		from = *e.From
	}
	if e.To != nil {
		to = *e.To
	}
	return spanOf(from, to)
}

// entryEvents returns the span of the file's event times the entry records,
// allTime when it records none (entries of older logs).
func entryEvents(e logEntry) span {
	if e.Min == nil || e.Max == nil {
		return allTime
	}
	return span{e.Min.UnixMicro(), e.Max.UnixMicro() + 1}
}

// setEntryWindow records a partial entry's window; unbounded ends stay absent.
func setEntryWindow(e *logEntry, w span) {
	e.Part = true
	from, to := w.bounds()
	if !from.IsZero() {
		e.From = &from
	}
	if !to.IsZero() {
		e.To = &to
	}
}

// locationKey identifies a source file's location in memory: the first 16
// bytes of its SHA-256, 16 bytes in place of a location's hundred or more
// (the collection log keeps the location).
type locationKey [16]byte

func keyOf(loc string) locationKey {
	h := sha256.Sum256([]byte(loc))
	return locationKey(h[:16])
}

// lookup returns what is collected of the source file at loc.
func (s *partitionState) lookup(loc string) (fileState, bool) {
	k := keyOf(loc)
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.collected[k]
	return f, ok
}

// apply updates the collected files with one committed log entry.
func (s *partitionState) apply(e logEntry) {
	k := keyOf(e.Key)
	s.mu.Lock()
	defer s.mu.Unlock()
	f, known := s.collected[k]
	switch {
	case e.Forget && !e.Part:
		delete(s.collected, k)
	case e.Forget:
		if !known {
			return
		}
		f.covered = f.covered.remove(entryWindow(e))
		if len(f.covered) == 0 {
			delete(s.collected, k)
			return
		}
		s.collected[k] = f
	case !e.Part:
		s.collected[k] = fileState{covered: spans{allTime}, events: entryEvents(e)}
	default:
		if !known {
			f = fileState{events: allTime}
		}
		f.covered = f.covered.add(entryWindow(e))
		f.events = entryEvents(e)
		s.collected[k] = f
	}
}

// loadState opens a partition for a run, removing what an interrupted run
// left behind, and reads what is collected. It returns how many orphaned
// data files were removed. close releases the partition.
func loadState(dataDir, stateDir, table, partition string) (*partitionState, int, error) {
	s := &partitionState{collected: map[locationKey]fileState{}}
	part, rec, err := lake.Open(dataDir, stateDir, table, partition, s.apply)
	if err != nil {
		return nil, rec.RemovedFiles, err
	}
	s.part = part
	s.lastTo = part.RunInfo().LastTo
	return s, rec.RemovedFiles, nil
}

// close releases the partition's lock.
func (s *partitionState) close() { s.part.Close() }

// manifest is the partition's committed manifest.
func (s *partitionState) manifest() *lake.Manifest { return s.part.Manifest() }

// commit makes a change to the partition and, once it is committed, applies
// its log entries to what is collected.
func (s *partitionState) commit(c lake.Change) error {
	m, err := s.part.Commit(c)
	if m != nil {
		for _, e := range c.Log {
			s.apply(e)
		}
	}
	return err
}

func (s *partitionState) saveRunInfo(lastTo time.Time) error {
	s.lastTo = lastTo
	return s.part.SaveRunInfo(lake.RunInfo{LastTo: lastTo})
}
