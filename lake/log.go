package lake

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/tpserver/tpserver/lake/internal/durable"
)

// LogEntry is one line of a partition's collection log: a source file whose
// rows (or whose deletion) a commit recorded. The log is JSON lines, one
// entry per line, appended by each commit before its manifest.
//
// Batch ties the entry to the commit that wrote it: an entry whose Batch is
// greater than the manifest's belongs to a commit that never happened and is
// dropped on open. What the other fields mean for collection (full and
// partial entries, forgetting) is the collector's business; lake keeps them
// byte for byte.
type LogEntry struct {
	Batch int64  `json:"b"`
	Key   string `json:"k"`
	Size  int64  `json:"s,omitempty"`
	Rows  int64  `json:"r"`
	// Forget marks a source whose rows were deleted (--overwrite): it is
	// no longer collected, or with Part, its events in [From, To) are not.
	Forget bool `json:"forget,omitempty"`
	// Part says only the source's events in [From, To) are collected; an
	// absent bound is no bound. Without Part the whole source is.
	Part bool       `json:"part,omitempty"`
	From *time.Time `json:"from,omitempty"`
	To   *time.Time `json:"to,omitempty"`
	// Min and Max are the earliest and latest event times of the source.
	Min *time.Time `json:"min,omitempty"`
	Max *time.Time `json:"max,omitempty"`
}

// LogPath is the collection log of one partition, in the state dir.
func LogPath(stateDir, table, partition string) string {
	return filepath.Join(stateDir, fmt.Sprintf("collection_%s_%s.log", table, partition))
}

// encodeLog renders entries as log lines.
func encodeLog(entries []LogEntry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		line, _ := json.Marshal(e) // a LogEntry always marshals
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// readLog calls each for the entries of committed batches (at most batch),
// in order. When the log holds torn lines or entries of uncommitted batches
// it is rewritten without them, atomically; rolledBack reports that.
func readLog(path string, batch int64, each func(LogEntry)) (rolledBack bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read collection log: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var kept []LogEntry
	for sc.Scan() {
		var e LogEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			rolledBack = true // a torn last line of an interrupted append
			continue
		}
		if e.Batch > batch {
			rolledBack = true
			continue
		}
		kept = append(kept, e)
		if each != nil {
			each(e)
		}
	}
	if err := sc.Err(); err != nil {
		return false, fmt.Errorf("read collection log: %w", err)
	}
	if !rolledBack {
		return false, nil
	}
	if err := durable.WriteFile(path, encodeLog(kept)); err != nil {
		return true, fmt.Errorf("roll back collection log: %w", err)
	}
	return true, nil
}

// appendLog appends entries to the log and syncs it. It returns the log's
// size before the append, so a failed commit can cut the entries off again.
func appendLog(path string, entries []LogEntry) (before int64, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, fmt.Errorf("create state dir: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, fmt.Errorf("open collection log: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, fmt.Errorf("open collection log: %w", err)
	}
	before = info.Size()
	if _, err := f.Write(encodeLog(entries)); err != nil {
		f.Close()
		return before, fmt.Errorf("append collection log: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return before, fmt.Errorf("sync collection log: %w", err)
	}
	if err := f.Close(); err != nil {
		return before, fmt.Errorf("append collection log: %w", err)
	}
	return before, nil
}

// truncateLog cuts the log back to size, undoing an append.
func truncateLog(path string, size int64) error {
	if err := os.Truncate(path, size); err != nil {
		return fmt.Errorf("roll back collection log: %w", err)
	}
	return nil
}
