package cloudtrail

import (
	"bytes"
	"encoding/json"
	"io"
)

// wholeLimit bounds the decompressed size of a file that is decoded in one
// piece (see readWhole); larger files are streamed.
const wholeLimit = 16 << 20

// recordsStart is how a CloudTrail S3 log file starts.
var recordsStart = []byte(`"Records"`)

// readWhole is the fast path of NewDecoder for the common case, a file of
// at most wholeLimit bytes holding one valid {"Records":[...]} document
// whose first key is Records: it reads all of src, checks it with
// encoding/json's own validator and cuts the events out of the array in one
// pass, instead of decoding each event twice through json.Decoder. The
// events are those the streaming decoder returns for the same input, byte
// for byte. For any other input it returns ok false and a reader that
// yields again exactly what src yields, bytes read and read error alike,
// for the streaming decoder, which then reports what it always reported.
func readWhole(src io.Reader) (events [][]byte, ok bool, again io.Reader) {
	buf, err := io.ReadAll(io.LimitReader(src, wholeLimit+1))
	switch {
	case err != nil:
		return nil, false, io.MultiReader(bytes.NewReader(buf), errReader{err})
	case len(buf) > wholeLimit:
		return nil, false, io.MultiReader(bytes.NewReader(buf), src)
	}
	again = bytes.NewReader(buf)
	if !json.Valid(buf) {
		return nil, false, again
	}
	events, ok = recordsOf(buf)
	if !ok {
		return nil, false, again
	}
	return events, true, nil
}

// recordsOf returns the elements of the Records array of doc, a valid JSON
// document, if doc is an object whose first key is Records holding an
// array; each element without the whitespace around it.
func recordsOf(doc []byte) ([][]byte, bool) {
	i := skipSpace(doc, 0)
	if i >= len(doc) || doc[i] != '{' {
		return nil, false
	}
	i = skipSpace(doc, i+1)
	if !bytes.HasPrefix(doc[i:], recordsStart) {
		return nil, false
	}
	i = skipSpace(doc, i+len(recordsStart))
	if i >= len(doc) || doc[i] != ':' {
		return nil, false
	}
	i = skipSpace(doc, i+1)
	if i >= len(doc) || doc[i] != '[' {
		return nil, false
	}
	var events [][]byte
	i = skipSpace(doc, i+1)
	for i < len(doc) && doc[i] != ']' {
		end := valueEnd(doc, i)
		events = append(events, doc[i:end:end])
		i = skipSpace(doc, end)
		if i < len(doc) && doc[i] == ',' {
			i = skipSpace(doc, i+1)
		}
	}
	return events, i < len(doc)
}

// skipSpace returns the index of the first byte of doc at or after i that
// is not JSON whitespace.
func skipSpace(doc []byte, i int) int {
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

// valueEnd returns the index just after the JSON value starting at i of
// doc, which is known to be valid JSON.
func valueEnd(doc []byte, i int) int {
	depth := 0
	for ; i < len(doc); i++ {
		switch c := doc[i]; c {
		case '"':
			i = stringEnd(doc, i)
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

// stringEnd returns the index of the closing quote of the JSON string whose
// opening quote is at i.
func stringEnd(doc []byte, i int) int {
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

// errReader returns err on every read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
