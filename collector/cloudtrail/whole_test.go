package cloudtrail

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/bits"
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
// Through reusedBuffers it also checks Buffers.NewFileDecoder, whose
// buffers then go from one input to the next.
func checkSameAsStreaming(t *testing.T, name string, input []byte) {
	t.Helper()
	want := transcript(input, NewDecoder)
	if got := transcript(input, NewFileDecoder); got != want {
		t.Errorf("%s: NewFileDecoder gives\n%.2000s\nNewDecoder gives\n%.2000s", name, got, want)
	}
	if got := transcript(input, reusedBuffers.NewFileDecoder); got != want {
		t.Errorf("%s: Buffers.NewFileDecoder gives\n%.2000s\nNewDecoder gives\n%.2000s", name, got, want)
	}
}

// reusedBuffers are the Buffers every checkSameAsStreaming reuses.
var reusedBuffers = &Buffers{}

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

// recordsOfReference is the earlier recordsOf: encoding/json's validator,
// then a cut of the Records array's elements.
func recordsOfReference(doc []byte) ([][]byte, bool) {
	if !json.Valid(doc) {
		return nil, false
	}
	return recordsOfCut(doc)
}

// recordsOfCut returns the elements of the Records array of doc, a valid JSON
// document, if doc is an object whose first key is Records holding an
// array; each element without the whitespace around it.
func recordsOfCut(doc []byte) ([][]byte, bool) {
	i := skipSpaceRef(doc, 0)
	if i >= len(doc) || doc[i] != '{' {
		return nil, false
	}
	i = skipSpaceRef(doc, i+1)
	if !bytes.HasPrefix(doc[i:], recordsStart) {
		return nil, false
	}
	i = skipSpaceRef(doc, i+len(recordsStart))
	if i >= len(doc) || doc[i] != ':' {
		return nil, false
	}
	i = skipSpaceRef(doc, i+1)
	if i >= len(doc) || doc[i] != '[' {
		return nil, false
	}
	var events [][]byte
	i = skipSpaceRef(doc, i+1)
	for i < len(doc) && doc[i] != ']' {
		end := valueEndRef(doc, i)
		events = append(events, doc[i:end:end])
		i = skipSpaceRef(doc, end)
		if i < len(doc) && doc[i] == ',' {
			i = skipSpaceRef(doc, i+1)
		}
	}
	return events, i < len(doc)
}

// skipSpaceRef returns the index of the first byte of doc at or after i that
// is not JSON whitespace.
func skipSpaceRef(doc []byte, i int) int {
	for i < len(doc) {
		switch doc[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// valueEndRef returns the index just after the JSON value starting at i of
// doc, which is known to be valid JSON.
func valueEndRef(doc []byte, i int) int {
	depth := 0
	for ; i < len(doc); i++ {
		switch c := doc[i]; c {
		case '"':
			i = stringEndRef(doc, i)
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
			if depth < 0 { // the end of the enclosing array: a scalar ended
				return i
			}
		case ',', ' ', '\t', '\r', '\n':
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

// stringEndRef returns the index of the closing quote of the JSON string whose
// opening quote is at i.
func stringEndRef(doc []byte, i int) int {
	for i++; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return i
}

// recordsSeeds are documents at the edges of what recordsOf accepts.
var recordsSeeds = []string{
	`{"Records":[]}`, ` { "Records" : [ ] } `, `{"Records":[{"a":1}]}`, `{"Records":[{"a":1},{"b":[true,false,null]}],"x":{"y":"z"}}`,
	`{"Records":[1,-0,0.5,-1.5e+10,2E-3,"s",null]}`, `{"Records":[01]}`, `{"Records":[1.]}`, `{"Records":[.5]}`, `{"Records":[-]}`,
	`{"Records":[1e]}`, `{"Records":[+1]}`, `{"Records":["a\"b\\c\/d\b\f\n\r\t\u00e9\uD83D"]}`, `{"Records":["\x"]}`, `{"Records":["\u12"]}`,
	"{\"Records\":[\"tab\there\"]}", "{\"Records\":[\"\xff\xfe invalid utf-8\"]}", "{\"Records\":[\"\x7f\"]}", `{"Records":[tru]}`, `{"Records":[nul]}`,
	`{"Records":[{"a":1,}]}`, `{"Records":[{"a" 1}]}`, `{"Records":[{1:1}]}`, `{"Records":[,]}`, `{"Records":[{}],}`, `{"Records":[{}]} x`,
	`{"Records":[{}]}{}`, `{"Records":[{}]`, `{"Records":[{}`, `{"Records":{}}`, `{"records":[]}`, `{"Other":1,"Records":[]}`, `[{"Records":[]}]`,
	`{"Records":[[[[[[[[[[1]]]]]]]]]]}`, `{"Records":[{}],"a":1,"b":[1,{"c":"d"}]}`, `{"Records":[{}],"a":1,}`, `{"Records":[{}] "a":1}`, "\ufeff{\"Records\":[]}",
	`{"Records":[{"k":"v"}  ,  {"k":"w"}  ]}`, "{\"Records\":[\n{\"k\":\"v\"}\r\n,\t{}]}\n",
	`{"Records":[` + strings.Repeat("[", 1500) + strings.Repeat("]", 1500) + `]}`,
}

// checkRecordsOf fails when recordsOf accepts doc that the reference
// rejects, or cuts other events; it may reject more (too deep nesting).
func checkRecordsOf(t *testing.T, doc []byte) {
	got, ok := recordsOf(doc)
	want, wantOK := recordsOfReference(doc)
	if ok && !wantOK {
		t.Fatalf("recordsOf accepts %q, which encoding/json rejects", doc)
	}
	if !ok && wantOK && !bytes.Contains(doc, []byte(strings.Repeat("[", maxDepth-2))) {
		t.Fatalf("recordsOf rejects %q, which encoding/json accepts", doc)
	}
	if ok && fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Fatalf("recordsOf(%q) = %q, want %q", doc, got, want)
	}
}

// TestRecordsOfMatchesEncodingJSON checks the one-pass validator and cut
// against encoding/json over edge cases and every truncation of them.
func TestRecordsOfMatchesEncodingJSON(t *testing.T) {
	for _, s := range recordsSeeds {
		for n := 0; n <= len(s); n++ {
			checkRecordsOf(t, []byte(s[:n]))
		}
	}
}

// FuzzRecordsOf extends TestRecordsOfMatchesEncodingJSON to any input
// (go test -fuzz FuzzRecordsOf ./collector/cloudtrail).
func FuzzRecordsOf(f *testing.F) {
	for _, s := range recordsSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkRecordsOf)
}

// TestPlainWord checks plainWord against plainByte over words made of
// every byte value at every position among plain bytes.
func TestPlainWord(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			for _, fill := range []byte{'a', 0x7f, 0xff, 0x20, 0x21} {
				w := [8]byte{fill, fill, fill, fill, fill, fill, fill, fill}
				w[pos] = byte(c)
				plain := true
				for _, b := range w {
					plain = plain && plainByte[b]
				}
				if got := plainWord(binary.LittleEndian.Uint64(w[:])); got && !plain {
					t.Fatalf("plainWord(%q) = true", w)
				} else if !got && plain {
					t.Fatalf("plainWord(%q) = false for plain bytes", w)
				}
			}
		}
	}
}

// TestSpecialBytesFirst checks that the lowest byte specialBytes flags is
// the first byte plainByte rejects, over words of plain fill bytes with
// every byte value at one position and, above it, a second one.
func TestSpecialBytesFirst(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			for _, second := range []byte{'a', '"', '\\', 0x00, 0x1f, 0xff} {
				for _, fill := range []byte{'a', 0x7f, 0xff, 0x20, 0x21} {
					w := [8]byte{fill, fill, fill, fill, fill, fill, fill, fill}
					w[pos] = byte(c)
					if pos < 7 {
						w[7] = second
					}
					first := 8
					for i, b := range w {
						if !plainByte[b] {
							first = i
							break
						}
					}
					m := specialBytes(binary.LittleEndian.Uint64(w[:]))
					got := 8
					if m != 0 {
						got = bits.TrailingZeros64(m) / 8
					}
					if got != first {
						t.Fatalf("specialBytes(%q): first flagged byte %d, want %d", w, got, first)
					}
				}
			}
		}
	}
}
