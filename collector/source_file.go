package collector

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/tpserver/tpserver/config"
	"github.com/tpserver/tpserver/config/layout"
)

// artifact is one source file found by discovery.
type artifact struct {
	// Location is the absolute path or S3 key; it identifies the file in the state.
	Location string
	Size     int64
	// Time is the file's time from the layout's time captures, if any.
	Time    time.Time
	HasTime bool
	open    func(ctx context.Context) (io.ReadCloser, error)
}

// source discovers the artifacts of a partition's source.
type source interface {
	// Type is the source type name stored in tp_source_type.
	Type() string
	// Concurrency is how many files may be read at once.
	Concurrency() int
	// Discover calls fn for each file that matches the layout and may hold
	// events in [from, to].
	Discover(ctx context.Context, w timeWindow, fn func(artifact) error) error
}

// timeWindow is the requested collection range.
type timeWindow struct {
	From, To time.Time
}

// admits reports whether a file stamped t at the given granularity can hold
// events inside the window.
func (w timeWindow) admits(t time.Time, granularity time.Duration) bool {
	if !w.From.IsZero() && !layout.PeriodEnd(t, granularity).After(w.From) {
		return false
	}
	if !w.To.IsZero() && t.After(w.To) {
		return false
	}
	return true
}

type fileSource struct {
	paths  []string
	layout *layout.Layout // nil = every file
}

func newFileSource(src config.Source) (*fileSource, error) {
	fs := &fileSource{paths: src.Paths, layout: src.Layout}
	if fs.layout == nil && src.FileLayout != "" {
		l, err := layout.Compile(src.FileLayout, src.Patterns)
		if err != nil {
			return nil, fmt.Errorf("%s: file_layout: %w", src.Pos, err)
		}
		fs.layout = l
	}
	return fs, nil
}

func (s *fileSource) Type() string { return "file" }

func (s *fileSource) Concurrency() int { return 0 }

func (s *fileSource) Discover(ctx context.Context, w timeWindow, fn func(artifact) error) error {
	for _, root := range s.paths {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("walk %s: %w", path, err)
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if rel == "." || s.layout == nil || s.layout.MatchDir(rel) {
					return nil
				}
				return filepath.SkipDir
			}
			if !d.Type().IsRegular() {
				return nil
			}
			a := artifact{Location: path}
			if s.layout != nil {
				m, ok := s.layout.Match(rel)
				if !ok {
					return nil
				}
				a.Time, a.HasTime = m.Time, m.HasTime
				if a.HasTime && !w.admits(a.Time, s.layout.Granularity()) {
					return nil
				}
			}
			info, err := d.Info()
			if err != nil {
				return fmt.Errorf("stat %s: %w", path, err)
			}
			a.Size = info.Size()
			a.open = func(context.Context) (io.ReadCloser, error) { return os.Open(path) }
			return fn(a)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
