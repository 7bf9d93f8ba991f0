package cloudtrail

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func gz(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// decodeAll returns the events of input, compacted, and the error that ended
// decoding (nil at a clean io.EOF).
func decodeAll(t *testing.T, input []byte) ([]string, error) {
	t.Helper()
	d, err := NewDecoder(bytes.NewReader(input))
	if err != nil {
		return nil, err
	}
	var out []string
	for {
		raw, err := d.Next()
		if err == io.EOF {
			if _, err2 := d.Next(); err2 != io.EOF {
				t.Errorf("Next after EOF: %v, want io.EOF", err2)
			}
			return out, nil
		}
		if err != nil {
			if _, err2 := d.Next(); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("error not sticky: %v then %v", err, err2)
			}
			return out, err
		}
		if d.Records() != len(out)+1 {
			t.Errorf("Records() = %d after %d events", d.Records(), len(out)+1)
		}
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			t.Fatalf("event %d is not valid JSON: %v: %s", len(out)+1, err, raw)
		}
		out = append(out, b.String())
	}
}

const (
	ev1 = `{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventID":"a","requestParameters":{"z":1,"a":2}}`
	ev2 = `{"eventTime":"2024-01-01T00:00:01Z","eventID":"b"}`
	ev3 = `{"eventID":"c","eventName":"NoTime"}`
)

var want3 = []string{ev1, ev2, ev3}

func checkEvents(t *testing.T, name string, got []string, err error, want []string) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: events\n got %q\nwant %q", name, got, want)
	}
}

func TestDecoderFormats(t *testing.T) {
	records := "{\n  \"Records\": [\n    " + ev1 + ",\n    " + ev2 + ",\n " + ev3 + "\n  ]\n}\n"
	cases := map[string]string{
		"records":             records,
		"records minified":    `{"Records":[` + ev1 + `,` + ev2 + `,` + ev3 + `]}`,
		"records other keys":  `{"meta":{"x":[1,2]},"Records":[` + ev1 + `,` + ev2 + `,` + ev3 + `],"trailer":"ok"}`,
		"bare array":          "[\n" + ev1 + ",\n" + ev2 + ",\n" + ev3 + "\n]",
		"json lines":          ev1 + "\n" + ev2 + "\r\n" + ev3 + "\n",
		"json lines no final": ev1 + "\n" + ev2 + "\n" + ev3,
		"concatenated files":  `{"Records":[` + ev1 + `]}` + "\n" + `{"Records":[` + ev2 + `,` + ev3 + `]}`,
		"pretty json lines":   "{\n \"eventVersion\": \"1.08\",\n \"eventTime\": \"2024-01-01T00:00:00Z\",\n \"eventID\": \"a\",\n \"requestParameters\": {\"z\": 1, \"a\": 2}\n}\n" + ev2 + ev3,
	}
	for name, in := range cases {
		got, err := decodeAll(t, []byte(in))
		checkEvents(t, name, got, err, want3)
		got, err = decodeAll(t, gz(t, in))
		checkEvents(t, name+" gzip", got, err, want3)
	}
}

func TestDecoderSingleEvent(t *testing.T) {
	got, err := decodeAll(t, []byte(ev1))
	checkEvents(t, "single", got, err, []string{ev1})
	// Keys with characters that need escaping survive the rebuild.
	odd := `{"eventTime":"2024-01-01T00:00:00Z","k\"e\\y<&>\\u003c":"v"}`
	got, err = decodeAll(t, []byte(odd))
	checkEvents(t, "escaped key", got, err, []string{odd})
}

func TestDecoderGzipDetectedByMagic(t *testing.T) {
	d, err := NewDecoder(bytes.NewReader(gz(t, `{"Records":[`+ev1+`]}`)))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Gzipped() {
		t.Error("Gzipped() = false for gzip input")
	}
	d, err = NewDecoder(strings.NewReader(`{"Records":[]}`))
	if err != nil || d.Gzipped() {
		t.Errorf("plain input: %v, gzipped %v", err, d.Gzipped())
	}
	// Multi-member gzip (cat a.gz b.gz) is one stream.
	multi := append(gz(t, `{"Records":[`+ev1+`]}`), gz(t, `{"Records":[`+ev2+`]}`)...)
	got, err := decodeAll(t, multi)
	checkEvents(t, "multi-member gzip", got, err, []string{ev1, ev2})
}

func TestDecoderEmpty(t *testing.T) {
	for _, in := range []string{`{"Records":[]}`, `{"Records":null}`, "[]", " \n[ ]\n"} {
		for _, b := range [][]byte{[]byte(in), gz(t, in)} {
			got, err := decodeAll(t, b)
			if err != nil || len(got) != 0 {
				t.Errorf("%q: %d events, err %v; want none", in, len(got), err)
			}
		}
	}
}

func TestDecoderDigest(t *testing.T) {
	digest := `{"awsAccountId":"111122223333","digestStartTime":"2024-01-01T00:00:00Z","digestEndTime":"2024-01-01T01:00:00Z",
	"digestS3Bucket":"b","digestPublicKeyFingerprint":"abc","digestSignatureAlgorithm":"SHA256withRSA","logFiles":[]}`
	for _, b := range [][]byte{[]byte(digest), gz(t, digest)} {
		_, err := NewDecoder(bytes.NewReader(b))
		if !errors.Is(err, ErrDigestFile) {
			t.Errorf("digest: err %v, want ErrDigestFile", err)
		}
	}
	fp := `{"digestPublicKeyFingerprint":"abc","x":1}`
	if _, err := NewDecoder(strings.NewReader(fp)); !errors.Is(err, ErrDigestFile) {
		t.Errorf("fingerprint first: %v", err)
	}
}

func TestDecoderErrors(t *testing.T) {
	full := gz(t, `{"Records":[`+ev1+`,`+ev2+`,`+ev3+`]}`)
	cases := []struct {
		name    string
		in      []byte
		events  int
		want    []string // substrings of the error
		notCT   bool
		atStart bool // NewDecoder fails
	}{
		{"truncated gzip", full[:len(full)-12], -1, []string{"unexpected end of gzip stream"}, false, false},
		{"gzip cut in header", full[:6], 0, []string{"unexpected end of gzip stream in its header"}, false, true},
		{"gzip header only", full[:12], 0, []string{"unexpected end of gzip stream"}, false, true},
		{"corrupt gzip", append(append([]byte{}, full[:20]...), bytes.Repeat([]byte{0xff}, 40)...), 0, []string{"record 1: gzip stream: flate: corrupt input"}, false, true},
		{"invalid json in record 3", []byte(`{"Records":[` + ev1 + `,` + ev2 + `,{"eventID": x}]}`), 2,
			[]string{fmt.Sprintf("record 3: invalid character 'x' looking for beginning of value at offset %d", len(`{"Records":[`+ev1+`,`+ev2+`,{"eventID": x`))}, false, false},
		{"invalid json in gzip record 2", gz(t, "{\"Records\": [\n"+ev1+",\n {\"a\":1,}]}"), 1,
			[]string{fmt.Sprintf("record 2: invalid character '}' looking for beginning of object key string at offset %d", len("{\"Records\": [\n"+ev1+",\n {\"a\":1,}"))}, false, false},
		{"invalid json in first record", []byte(`{"Records":[{"a" 1}]}`), 0,
			[]string{"record 1: invalid character '1' after object key at offset 18"}, false, false},
		{"truncated plain", []byte(`{"Records":[` + ev1 + `,{"eventID":"b"`), 1, []string{fmt.Sprintf("record 2: unexpected end of JSON input at offset %d (value starts at offset %d)", len(`{"Records":[`+ev1+`,{"eventID":"b"`), len(`{"Records":[`+ev1+`,`))}, false, false},
		{"missing close", []byte(`{"Records":[` + ev1), 1, []string{"record 2: unexpected end of JSON input"}, false, false},
		{"no Records", []byte(`{"foo":[1,2,3]}`), 0, []string{"not a CloudTrail log file: top-level key Records not found"}, true, true},
		{"Records not array", []byte(`{"Records":{"a":1}}`), 0, []string{`Records is "{", want an array`}, true, true},
		{"top-level string", []byte(`"hello"`), 0, []string{"top-level value 1 is a string"}, true, true},
		{"empty", nil, 0, []string{"empty input"}, true, true},
		{"whitespace", []byte(" \n "), 0, []string{"no JSON value"}, true, true},
		{"json lines bad second line", []byte(ev1 + "\n{oops}\n"), 1, []string{"record 2: invalid character 'o'"}, false, false},
		{"json lines non-event", []byte(ev1 + "\n" + `{"foo":1}` + "\n"), 1, []string{"value 2 is not an event object"}, true, false},
		{"garbage after envelope", []byte(`{"Records":[` + ev1 + `]} x`), 1, []string{"record 2: invalid character 'x'"}, false, false},
	}
	for _, c := range cases {
		d, err := NewDecoder(bytes.NewReader(c.in))
		n := 0
		if err == nil {
			if c.atStart {
				t.Errorf("%s: NewDecoder succeeded, want error", c.name)
			}
			for {
				_, err = d.Next()
				if err != nil {
					break
				}
				n++
			}
		} else if !c.atStart {
			t.Errorf("%s: NewDecoder failed early: %v", c.name, err)
		}
		if err == nil || err == io.EOF {
			t.Errorf("%s: no error after %d events", c.name, n)
			continue
		}
		t.Logf("%s: %v", c.name, err)
		if c.events >= 0 && n != c.events {
			t.Errorf("%s: %d events before the error, want %d", c.name, n, c.events)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", c.name, err, w)
			}
		}
		if errors.Is(err, ErrNotCloudTrail) != c.notCT {
			t.Errorf("%s: errors.Is(ErrNotCloudTrail) = %v", c.name, !c.notCT)
		}
	}
}

// TestDecoderStreams checks that records are returned before the rest of
// the input has been read.
func TestDecoderStreams(t *testing.T) {
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte(`{"Records":[` + ev1 + `,`))
		// Block until the test has read the first record.
	}()
	d, err := NewDecoder(pr)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := d.Next()
	if err != nil || !strings.Contains(string(raw), `"eventID":"a"`) {
		t.Fatalf("first record %s, %v", raw, err)
	}
	pw.CloseWithError(io.ErrUnexpectedEOF)
}
