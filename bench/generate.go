package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tpserver/tpserver/collector/demo"
)

// windowEvents bounds the events collector/demo generates per call (it
// holds a window's events in memory); the last window is shortened to come
// close to the wanted count.
const windowEvents = 400_000

// busyScale is the demo.Options.Scale of the generated data: busy accounts
// delivering a file every 5 minutes per account and region, about 55
// events (1.2 KB each) per file, like the trails of the figures
// (16,964 files for 1M events).
const busyScale = 60

// demoPerDay is the demo data set's approximate events per day at scale 1.
const demoPerDay = 4500

// genEnd is the last day of the first window; later windows go back in time.
func genEnd() time.Time { return time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC) }

// dataset describes generated CloudTrail files.
type dataset struct {
	dir       string
	files     int
	events    int
	gzBytes   int64
	from, to  time.Time
	took      time.Duration
	fileNames []string
}

// scaleFor is the demo scale for a data set of events: busyScale, or less
// when even one busy day would be far more than wanted (small test runs).
func scaleFor(events int) int {
	if events >= busyScale*demoPerDay/2 {
		return busyScale
	}
	return max(1, events/demoPerDay)
}

// generate writes at least events CloudTrail events under dir.
func generate(dir string, events int) (*dataset, error) {
	start := time.Now()
	ds := &dataset{dir: dir}
	genDays := 0
	scale := scaleFor(events)
	end, perDay := genEnd(), float64(demoPerDay*scale)
	for w := 0; ds.events < events; w++ {
		days := int(float64(events-ds.events)/perDay) + 1
		days = max(1, min(days, int(windowEvents/perDay)))
		opt := demo.Options{End: end, Days: days, Seed: demo.DefaultSeed + int64(w), Scale: scale}
		sum, err := demo.Generate(dir, opt)
		if err != nil {
			return nil, fmt.Errorf("generate window %d: %w", w, err)
		}
		from, to := opt.Range()
		if ds.to.IsZero() {
			ds.to = to
		}
		ds.from = from
		ds.events += sum.Events
		end = from.AddDate(0, 0, -1)
		genDays += days
		perDay = float64(ds.events) / float64(genDays)
	}
	ds.took = time.Since(start)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".json.gz") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		ds.files++
		ds.gzBytes += info.Size()
		ds.fileNames = append(ds.fileNames, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list generated files: %w", err)
	}
	return ds, nil
}

// tempDir returns dir, or a new temporary directory when dir is "".
func tempDir(dir, pattern string) (string, error) {
	if dir != "" {
		return dir, os.MkdirAll(dir, 0o755)
	}
	return os.MkdirTemp("", pattern)
}
