package lake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// ManifestName is the file, in each partition directory, that lists the
// partition's live data files. Writing it is the commit point of every change
// to the partition: a data file is part of the table exactly when the
// manifest lists it, so readers that follow manifests never see a partial
// file, a duplicate row during compaction, or a row vanish.
const ManifestName = "_manifest.json"

// Manifest is the content of a partition's manifest file.
type Manifest struct {
	Version int `json:"version"`
	// Batch is the id of the last committed collection batch.
	Batch int64 `json:"batch"`
	// Files are the live data files.
	Files []DataFile `json:"files"`
	// Retired files were replaced (by compaction) but may still be read by
	// queries planned before the replacement; they are deleted after a grace
	// period.
	Retired []RetiredFile `json:"retired,omitempty"`
}

// DataFile is one live Parquet file.
type DataFile struct {
	// Path is relative to the data dir, with forward slashes.
	Path string    `json:"path"`
	Rows int64     `json:"rows"`
	Size int64     `json:"size"`
	Date string    `json:"tp_date"`
	Dir  string    `json:"dir"` // the hive directory, relative to the data dir
	Time time.Time `json:"written"`
}

// RetiredFile is a replaced data file awaiting deletion.
type RetiredFile struct {
	Path    string    `json:"path"`
	Retired time.Time `json:"retired"`
}

// ManifestPath is the manifest of one partition.
func ManifestPath(dataDir, table, partition string) string {
	return filepath.Join(PartitionDir(dataDir, table, partition), ManifestName)
}

// ReadManifest reads a manifest; a missing one is an empty manifest.
func ReadManifest(path string) (*Manifest, error) {
	m := &Manifest{Version: 1}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("manifest %s is corrupt: %w", path, err)
	}
	return m, nil
}

// TableManifests returns the manifest path of every partition of a table.
func TableManifests(dataDir, table string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(TableDir(dataDir, table), KeyPartition+"=*", ManifestName))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	return paths, nil
}

// LiveFiles returns the absolute paths of a table's live data files, read
// from the manifests of all its partitions.
func LiveFiles(dataDir, table string) ([]string, error) {
	files, err := Live(dataDir, table)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Path
	}
	return out, nil
}

// Live returns a table's live data files as the manifests of all its
// partitions list them, with absolute paths.
func Live(dataDir, table string) ([]DataFile, error) {
	manifests, err := TableManifests(dataDir, table)
	if err != nil {
		return nil, err
	}
	var out []DataFile
	for _, p := range manifests {
		m, err := ReadManifest(p)
		if err != nil {
			return nil, err
		}
		for _, f := range m.Files {
			f.Path = filepath.Join(dataDir, filepath.FromSlash(f.Path))
			out = append(out, f)
		}
	}
	return out, nil
}
