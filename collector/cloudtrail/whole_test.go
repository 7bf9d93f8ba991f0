package cloudtrail

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/collector/demo"
	"github.com/tpserver/tpserver/internal/testsupport"
)

// transcript records everything a decoder gives for input: the error of
// the constructor, every event byte for byte with its record number, and
// the error that ends the events.
func transcript(input []byte, newDec func(io.Reader) (*Decoder, error)) string {
	var b strings.Builder
	d, err := newDec(bytes.NewReader(input))
	if err != nil {
		return "new: " + err.Error()
	}
	for {
		raw, err := d.Next()
		if err != nil {
			fmt.Fprintf(&b, "end after %d: %v (gzipped %v)", d.Records(), err, d.Gzipped())
			return b.String()
		}
		fmt.Fprintf(&b, "%d: %s\n", d.Records(), raw)
	}
}

// checkSameAsStreaming fails when NewFileDecoder gives anything else than
// NewDecoder for input.
func checkSameAsStreaming(t *testing.T, name string, input []byte) {
	t.Helper()
	want := transcript(input, NewDecoder)
	if got := transcript(input, NewFileDecoder); got != want {
		t.Errorf("%s: NewFileDecoder gives\n%.2000s\nNewDecoder gives\n%.2000s", name, got, want)
	}
}

// TestFileDecoderMatchesStreaming checks that the one-piece path of
// NewFileDecoder gives the same events and errors as the streaming decoder,
// over the demo data set, edge cases of the Records document, every
// truncation of a file and, when present, the real samples.
func TestFileDecoderMatchesStreaming(t *testing.T) {
	src := t.TempDir()
	if _, err := demo.Generate(src, demo.Options{End: time.Date(2025, 5, 4, 0, 0, 0, 0, time.UTC), Days: 1}); err != nil {
		t.Fatal(err)
	}
	var sample []byte
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checkSameAsStreaming(t, p, b)
		if sample == nil {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return err
			}
			if sample, err = io.ReadAll(zr); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, sample, " ", "\t"); err != nil {
		t.Fatal(err)
	}
	odd := `{"eventID":"q\"]}[{","eventTime":"2024-01-01T00:00:00Z","n":[1,[2,{"a":"}"}]],"s":"\\"}`
	cases := map[string]string{
		"pretty":              pretty.String(),
		"spaces":              " \r\n{ \"Records\" :\t[ " + ev1 + " ,\n" + ev2 + "\n ] , \"x\" : 1 }\n\n",
		"empty":               `{"Records":[]}`,
		"null":                `{"Records":null}`,
		"scalars":             `{"Records":[1,"two",true,null,[3],{}]}`,
		"odd strings":         `{"Records":[` + odd + `,` + odd + `]}`,
		"key before":          `{"x":1,"Records":[` + ev1 + `]}`,
		"keys after":          `{"Records":[` + ev1 + `],"Records":[` + ev2 + `],"y":{"z":[]}}`,
		"digest":              `{"awsAccountId":"1","digestStartTime":"x"}`,
		"concatenated":        `{"Records":[` + ev1 + `]}{"Records":[` + ev2 + `]}`,
		"json lines":          ev1 + "\n" + ev2 + "\n",
		"bare array":          `[` + ev1 + `,` + ev2 + `]`,
		"trailing garbage":    `{"Records":[` + ev1 + `]} x`,
		"invalid in record 2": `{"Records":[` + ev1 + `,{"a":1,}]}`,
		"escaped key":         `{"\u0052ecords":[` + ev1 + `]}`,
	}
	for name, c := range cases {
		checkSameAsStreaming(t, name, []byte(c))
		checkSameAsStreaming(t, name+" gzipped", gz(t, c))
	}
	for i := 0; i < len(sample); i += max(1, len(sample)/150) {
		checkSameAsStreaming(t, fmt.Sprintf("cut at %d", i), sample[:i])
	}
	zipped := gz(t, string(sample))
	for i := 0; i < len(zipped); i += max(1, len(zipped)/60) {
		checkSameAsStreaming(t, fmt.Sprintf("gzip cut at %d", i), zipped[:i])
	}
	big := append([]byte(`{"Records":[`), bytes.Repeat([]byte(ev1+","), wholeLimit/len(ev1))...)
	big = append(big, ev2+`]}`...)
	checkSameAsStreaming(t, "larger than wholeLimit", big)

	t.Run("samples", func(t *testing.T) {
		dir := testsupport.CloudTrailSamples(t)
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			checkSameAsStreaming(t, p, b)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
