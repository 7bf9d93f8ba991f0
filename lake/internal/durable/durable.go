// Package durable makes file-system changes survive a crash: files are
// written aside and renamed into place, and every change is followed by an
// fsync of the file and of the directory that names it.
package durable

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile replaces path with b atomically: b is written to a synced
// temporary file in the same directory, renamed over path, and the directory
// is synced. A reader sees the old content or the new, never a mix. The
// temporary file is removed if anything fails before the rename.
func WriteFile(path string, b []byte) error {
	return writeFile(path, b, nil)
}

// WriteFileStep is WriteFile with a hook called once the new content is
// durable aside, just before the rename; an error from it abandons the write.
func WriteFileStep(path string, b []byte, beforeRename func() error) error {
	return writeFile(path, b, beforeRename)
}

func writeFile(path string, b []byte, beforeRename func() error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if beforeRename != nil {
		if err := beforeRename(); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	renamed = true
	return SyncDir(dir)
}

// Rename moves a complete file into place and makes the rename durable.
func Rename(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("rename to %s: %w", to, err)
	}
	return SyncDir(filepath.Dir(to))
}

// SyncDir makes the entries of a directory (creations, renames, removals)
// durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}
