package cloudtrail

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// TestRealData decodes and maps every sample file listed in FILES.csv in the
// formats this package reads (Records wrapper, gzip, bare array, JSON lines,
// CloudWatch Logs envelopes, Event History exports) and checks the event counts against FILES.csv; files marked malformed must
// fail cleanly and the digest file must give ErrDigestFile.
func TestRealData(t *testing.T) {
	// The real public samples (see their SOURCES.md) are never copied into
	// the project; this tier skips without them.
	realDataDir := testsupport.CloudTrailSamples(t)
	f, err := os.Open(filepath.Join(realDataDir, "FILES.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMapper(testSource())
	if err != nil {
		t.Fatal(err)
	}
	var files, events, mapped, noTime, otherErr int
	for _, r := range recs[1:] {
		path, format, parseErr := r[0], r[2], r[3]
		want, _ := strconv.Atoi(r[1])
		malformed := strings.Contains(path, "/malformed/")
		// Every format FILES.csv names is read (a one-line JSON-lines file
		// has no format there); CSV files are malformed samples.
		if !malformed && format == "" && want == 0 {
			continue
		}
		files++
		fh, err := os.Open(filepath.Join(realDataDir, path))
		if err != nil {
			t.Fatal(err)
		}
		n, err := decodeFile(fh, func(raw []byte) {
			row, warnings, err := m.Map(raw)
			for _, w := range warnings {
				// Every value in AWS's own samples is readable.
				t.Errorf("%s: warning: %v", path, w)
			}
			switch {
			case err == nil && len(row) == numCols:
				mapped++
			case errors.Is(err, ErrMissingEventTime):
				noTime++
			default:
				otherErr++
				t.Errorf("%s: map: %v", path, err)
			}
		})
		fh.Close()
		events += n
		switch {
		case strings.HasSuffix(path, "cloudtrail_digest.json"):
			if !errors.Is(err, ErrDigestFile) {
				t.Errorf("%s: err %v, want ErrDigestFile", path, err)
			}
		case malformed:
			if err == nil {
				t.Logf("%s: malformed sample decoded to %d events (FILES.csv: %q)", path, n, parseErr)
			} else {
				t.Logf("%s: rejected: %v", path, err)
			}
		case err != nil:
			t.Errorf("%s: %v", path, err)
		case n != want:
			t.Errorf("%s: %d events, FILES.csv says %d", path, n, want)
		}
	}
	t.Logf("%d files, %d events: %d mapped, %d without usable eventTime, %d other errors", files, events, mapped, noTime, otherErr)
	if mapped < 800 {
		t.Errorf("only %d events mapped", mapped)
	}
}

// decodeFile feeds every event of r to fn and returns the event count and
// the error that ended decoding (nil at the clean end).
func decodeFile(r io.Reader, fn func([]byte)) (int, error) {
	d, err := NewDecoder(r)
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		raw, err := d.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
		fn(raw)
	}
}
