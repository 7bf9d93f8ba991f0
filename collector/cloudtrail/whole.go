package cloudtrail

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
)

// wholeLimit bounds the decompressed size of a file that is decoded in one
// piece (see readWhole); larger files are streamed.
const wholeLimit = 16 << 20

// recordsStart is how a CloudTrail S3 log file starts.
var recordsStart = []byte(`"Records"`)

// readWhole is the fast path of NewDecoder for the common case, a file of
// at most wholeLimit bytes holding one valid {"Records":[...]} document
// whose first key is Records: it reads all of src, then validates it and
// cuts the events out of the array in one pass (recordsOf), instead of decoding each event twice through json.Decoder. The
// events are those the streaming decoder returns for the same input, byte
// for byte. For any other input it returns ok false and a reader that
// yields again exactly what src yields, bytes read and read error alike,
// for the streaming decoder, which then reports what it always reported.
//
// The file is read into buf's array when it is large enough, and the
// buffer used is returned for the next file.
func readWhole(src io.Reader, buf []byte) (events [][]byte, ok bool, again io.Reader, used []byte) {
	buf, err := readAll(io.LimitReader(src, wholeLimit+1), buf[:0])
	used = buf
	switch {
	case err != nil:
		return nil, false, io.MultiReader(bytes.NewReader(buf), errReader{err}), nil
	case len(buf) > wholeLimit:
		return nil, false, io.MultiReader(bytes.NewReader(buf), src), nil
	}
	again = bytes.NewReader(buf)
	events, ok = recordsOf(buf)
	if !ok {
		// The streaming decoder reads buf after this returns.
		return nil, false, again, nil
	}
	return events, true, nil, used
}

// readAll appends what r yields to buf until io.EOF, like io.ReadAll.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// recordsOf returns the elements of the Records array of doc, each without
// the whitespace around it, if doc is one valid JSON document (RFC 8259,
// as encoding/json.Valid accepts it: any bytes but control characters in
// strings) that is an object whose first key is Records holding an array.
// It validates and cuts in one pass. It is never more lenient than
// encoding/json.Valid: where in doubt (nesting deeper than maxDepth) it
// says no, and the caller falls back to the streaming decoder.
func recordsOf(doc []byte) ([][]byte, bool) {
	v := validator{doc: doc}
	i := v.space(0)
	if i >= len(doc) || doc[i] != '{' {
		return nil, false
	}
	i = v.space(i + 1)
	if !bytes.HasPrefix(doc[i:], recordsStart) {
		return nil, false
	}
	i = v.space(i + len(recordsStart))
	if i >= len(doc) || doc[i] != ':' {
		return nil, false
	}
	i = v.space(i + 1)
	if i >= len(doc) || doc[i] != '[' {
		return nil, false
	}
	var events [][]byte
	i = v.space(i + 1)
	if i < len(doc) && doc[i] == ']' {
		i++
	} else {
		for {
			end := v.value(i, 2)
			if end < 0 {
				return nil, false
			}
			events = append(events, doc[i:end:end])
			i = v.space(end)
			if i < len(doc) && doc[i] == ',' {
				i = v.space(i + 1)
				continue
			}
			if i < len(doc) && doc[i] == ']' {
				i++
				break
			}
			return nil, false
		}
	}
	// The rest of the envelope object: more members, then '}'.
	i = v.members(i, 1)
	if i < 0 || v.space(i) != len(doc) {
		return nil, false
	}
	return events, true
}

// maxDepth bounds the nesting the one-pass validator follows; deeper
// documents go to the streaming decoder (encoding/json allows 10,000).
const maxDepth = 1000

// validator checks JSON text. Its methods return the index just after
// what they read, or -1 when doc is not valid there.
type validator struct{ doc []byte }

// space skips JSON whitespace from i.
func (v validator) space(i int) int {
	doc := v.doc
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

// value reads the JSON value starting at i (no whitespace before it), at
// nesting depth depth.
func (v validator) value(i, depth int) int {
	doc := v.doc
	if i >= len(doc) {
		return -1
	}
	switch c := doc[i]; {
	case c == '"':
		return v.str(i)
	case c == '{':
		if depth >= maxDepth {
			return -1
		}
		j := v.space(i + 1)
		if j < len(doc) && doc[j] == '}' {
			return j + 1
		}
		return v.object(j, depth+1)
	case c == '[':
		if depth >= maxDepth {
			return -1
		}
		return v.array(i+1, depth+1)
	case c == '-' || (c >= '0' && c <= '9'):
		return v.number(i)
	case c == 't':
		return v.literal(i, "true")
	case c == 'f':
		return v.literal(i, "false")
	case c == 'n':
		return v.literal(i, "null")
	}
	return -1
}

// object reads the members of a non-empty object from i, just after its
// '{' and whitespace, through its '}'.
func (v validator) object(i, depth int) int {
	doc := v.doc
	for {
		if i >= len(doc) || doc[i] != '"' {
			return -1
		}
		if i = v.str(i); i < 0 {
			return -1
		}
		if i = v.space(i); i >= len(doc) || doc[i] != ':' {
			return -1
		}
		if i = v.value(v.space(i+1), depth); i < 0 {
			return -1
		}
		i = v.space(i)
		if i >= len(doc) {
			return -1
		}
		switch doc[i] {
		case ',':
			i = v.space(i + 1)
		case '}':
			return i + 1
		default:
			return -1
		}
	}
}

// members reads the rest of an object after a member: ("," member)* "}".
func (v validator) members(i, depth int) int {
	doc := v.doc
	i = v.space(i)
	if i < len(doc) && doc[i] == '}' {
		return i + 1
	}
	if i >= len(doc) || doc[i] != ',' {
		return -1
	}
	return v.object(v.space(i+1), depth)
}

// array reads the elements of an array from i, just after its '[', through
// its ']'.
func (v validator) array(i, depth int) int {
	doc := v.doc
	i = v.space(i)
	if i < len(doc) && doc[i] == ']' {
		return i + 1
	}
	for {
		if i = v.value(i, depth); i < 0 {
			return -1
		}
		i = v.space(i)
		if i >= len(doc) {
			return -1
		}
		switch doc[i] {
		case ',':
			i = v.space(i + 1)
		case ']':
			return i + 1
		default:
			return -1
		}
	}
}

// plainByte marks the bytes a JSON string holds as they are: not the
// quote, not the backslash, not a control character.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str reads the string whose opening quote is at i.
func (v validator) str(i int) int {
	doc := v.doc
	for i++; i < len(doc); i++ {
		// Find the next quote, backslash or control byte 8 bytes at a
		// time, then byte by byte in the last few.
		for i+8 <= len(doc) {
			m := specialBytes(binary.LittleEndian.Uint64(doc[i:]))
			if m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
			i += 8
		}
		for i < len(doc) && plainByte[doc[i]] {
			i++
		}
		if i >= len(doc) {
			break
		}
		switch doc[i] {
		case '"':
			return i + 1
		case '\\':
			i++
			if i >= len(doc) {
				return -1
			}
			switch doc[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(doc) || !isHex(doc[i+1]) || !isHex(doc[i+2]) || !isHex(doc[i+3]) || !isHex(doc[i+4]) {
					return -1
				}
				i += 4
			default:
				return -1
			}
		default: // a control character
			return -1
		}
	}
	return -1
}

// Word masks for plainWord.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainWord reports whether none of the 8 bytes of x is a quote, a
// backslash or a control character (the bytes plainByte rejects).
func plainWord(x uint64) bool { return specialBytes(x) == 0 }

// specialBytes returns the high bits of the bytes of x that are a quote, a
// backslash or a control character. Bytes above the first such byte may
// be flagged wrongly (a borrow carries into them); the lowest flag is
// exact, and none is set when there is no such byte.
func specialBytes(x uint64) uint64 {
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	hasZero := func(y uint64) uint64 { return (y - ones) & ^y & highs }
	control := (x - ones*0x20) & ^x & highs // a byte below 0x20
	return hasZero(quote) | hasZero(backslash) | control
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// number reads the number starting at i: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (v validator) number(i int) int {
	doc := v.doc
	if doc[i] == '-' {
		i++
	}
	switch {
	case i < len(doc) && doc[i] == '0':
		i++
	case i < len(doc) && doc[i] >= '1' && doc[i] <= '9':
		i = digits(doc, i)
	default:
		return -1
	}
	if i < len(doc) && doc[i] == '.' {
		j := digits(doc, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(doc) && (doc[i] == 'e' || doc[i] == 'E') {
		i++
		if i < len(doc) && (doc[i] == '+' || doc[i] == '-') {
			i++
		}
		j := digits(doc, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

// digits skips the decimal digits from i.
func digits(doc []byte, i int) int {
	for i < len(doc) && doc[i] >= '0' && doc[i] <= '9' {
		i++
	}
	return i
}

// literal reads lit (true, false or null) at i.
func (v validator) literal(i int, lit string) int {
	if !bytes.HasPrefix(v.doc[i:], []byte(lit)) {
		return -1
	}
	return i + len(lit)
}

// errReader returns err on every read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
