package collector

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// state is what a partition remembers between runs: which source files were
// collected. It is saved only after the rows of those files are published.
type state struct {
	Version int `json:"version"`
	// Files maps a source location (absolute path or S3 key) to when it was collected.
	Files map[string]fileState `json:"files"`
	// LastTo is the upper time bound of the last completed run.
	LastTo time.Time `json:"last_to"`
	// Batches are ids of batches whose files were published and committed.
	LastBatch string `json:"last_batch,omitempty"`
}

type fileState struct {
	Size        int64     `json:"size"`
	CollectedAt time.Time `json:"collected_at"`
	Rows        int64     `json:"rows"`
}

// pendingBatch is written before the files of a batch are renamed into the
// lake and removed after the state that includes the batch is saved. If a
// run dies in between, the next run finds it and removes the batch's files,
// so every source file is published exactly once.
type pendingBatch struct {
	ID    string   `json:"id"`
	Files []string `json:"files"`
}

func statePath(stateDir, table, partition string) string {
	return filepath.Join(stateDir, fmt.Sprintf("collection_state_%s_%s.json", table, partition))
}

func pendingPath(stateDir, table, partition string) string {
	return filepath.Join(stateDir, fmt.Sprintf("collection_pending_%s_%s.json", table, partition))
}

func loadState(path string) (*state, error) {
	st := &state{Version: 1, Files: map[string]fileState{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read collection state: %w", err)
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("collection state %s is corrupt: %w", path, err)
	}
	if st.Files == nil {
		st.Files = map[string]fileState{}
	}
	return st, nil
}

func saveJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, b)
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

// recoverPending rolls back a batch that was published but never committed.
func recoverPending(stateDir, table, partition string, st *state) (removed int, err error) {
	p := pendingPath(stateDir, table, partition)
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var pb pendingBatch
	if err := json.Unmarshal(b, &pb); err != nil {
		// A torn pending file means the crash came before any rename.
		return 0, os.Remove(p)
	}
	if pb.ID != st.LastBatch {
		for _, f := range pb.Files {
			if err := os.Remove(f); err == nil {
				removed++
			} else if !errors.Is(err, os.ErrNotExist) {
				return removed, fmt.Errorf("roll back uncommitted file %s: %w", f, err)
			}
		}
	}
	return removed, os.Remove(p)
}
