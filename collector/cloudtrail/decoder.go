// Package cloudtrail reads AWS CloudTrail log files and maps their events to
// rows of the aws_cloudtrail_log lake table (Tailpipe's exact schema).
//
// Decoder streams the raw events of one file, one at a time, without ever
// holding the whole file in memory; NewFileDecoder reads a file of up to
// 16 MiB in one piece first, which is faster, with the same events and
// errors: a {"Records":[...]} file is validated and cut into events in one
// pass (recordsOf). Mapper.Append maps one raw event into a batch of typed
// columns (collector/internal/colbuf), Map into one []any row; the usual
// event is decoded by one walk over its JSON (decodeEvent), anything
// unusual by go-json or encoding/json, with the same result.
package cloudtrail

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/klauspost/compress/gzip"
	"io"
	"strconv"
)

// ErrDigestFile is returned by NewDecoder (or Next) for a CloudTrail-Digest
// file. Digest files hold no events; callers should skip them.
var ErrDigestFile = errors.New("CloudTrail digest file, not a log file")

// ErrNotCloudTrail is wrapped by errors reporting input that is valid JSON
// but not a CloudTrail log file (nor a bare array or JSON lines of events).
var ErrNotCloudTrail = errors.New("not a CloudTrail log file")

// gzipMagic0 and gzipMagic1 are the first two bytes of every gzip member.
const (
	gzipMagic0 = 0x1f
	gzipMagic1 = 0x8b
)

// state is where the Decoder is in the input.
type state int

const (
	stTop       state = iota // between top-level JSON values
	stRecords                // inside the "Records" array of an envelope object
	stEnvTail                // after the streamed array, inside the envelope object
	stArray                  // inside a bare top-level array of events or Event History entries
	stHistory                // inside the "Events" array of an Event History export
	stLogEvents              // inside the "logEvents" array of a CloudWatch Logs envelope
	stMessage                // draining the events of one log event's message
	stDone                   // sticky: err holds io.EOF or the failure
)

// arrayKind is what the elements of a bare top-level array are, decided by
// its first element.
type arrayKind int

const (
	arrayUnknown arrayKind = iota
	arrayEvents            // CloudTrail events
	arrayHistory           // Event History entries with a CloudTrailEvent string
)

// Decoder streams the events of one CloudTrail log file.
//
// Accepted inputs, plain or gzip-compressed (detected by the magic bytes
// 1f 8b, so the file name does not matter), possibly concatenated with or
// without separators:
//   - the CloudTrail S3 file format {"Records":[{...},{...}]};
//   - a bare JSON array of events [{...},{...}];
//   - JSON lines: one event object after another (newline separated or not);
//   - a single event object (recognised by an eventTime, eventVersion,
//     eventID, eventName or eventSource key);
//   - CloudWatch Logs subscription envelopes {"messageType":"DATA_MESSAGE",
//     ..., "logEvents":[{"id":...,"message":"<JSON string>"}]}, as delivered
//     by subscription filters to Lambda, Kinesis or Firehose; each message
//     holds one event or a {"Records":[...]} document. CONTROL_MESSAGE
//     envelopes yield no events (messageType must come before logEvents, as
//     CloudWatch Logs writes it);
//   - CloudTrail Event History exports (console "Download events" JSON, aws
//     cloudtrail lookup-events output): {"Events":[{..., "CloudTrailEvent":
//     "<JSON string>"}], "NextToken":...}, a bare array of such entries, or
//     one entry per line. Each entry yields its parsed CloudTrailEvent; an
//     entry without one is an error.
//
// CSV input (e.g. the Event History CSV download) is recognised by its
// header line and rejected with an error wrapping ErrNotCloudTrail.
//
// Only one event is held in memory at a time (plus, for top-level event
// objects, that object's parsed members, and for CloudWatch Logs envelopes,
// the current log event's message).
//
// Errors name the 1-based record number and, for JSON errors, the byte
// offset in the (decompressed) input, counted like encoding/json's
// SyntaxError.Offset: the number of bytes read up to and including the
// offending byte, e.g. "record 17: invalid character 'x' looking for
// beginning of value at offset 5121". Errors inside a JSON string that holds
// an event (a log event's message, a CloudTrailEvent) also name the log
// event or entry and give offsets within that string, e.g. "record 3: log
// event 2 (id "e2") of envelope 1: message: record 1: invalid character 'x'
// looking for beginning of value at offset 9 in the message". A decoding
// error ends the file: the events already returned stay valid, later ones
// cannot be recovered.
type Decoder struct {
	dec      *json.Decoder
	gzipped  bool
	st       state
	err      error // sticky error once st == stDone
	records  int   // events returned so far
	values   int   // top-level JSON values started so far
	pending  json.RawMessage
	hasEvent bool // pending holds an event to return next

	elems    int       // elements read from the current streamed array
	kind     arrayKind // of the current bare top-level array
	control  bool      // the current logEvents array is a CONTROL_MESSAGE's
	logEvent string    // "log event N (id ...) of envelope M" being drained in stMessage
	inner    *Decoder  // decoder of that log event's message
	where    string    // appended to offsets: "" or " in the message"

	// whole holds the events of a file read in one piece (readWhole),
	// when isWhole; Next returns them in turn.
	whole   [][]byte
	isWhole bool
	// bufs, if not nil, lends the buffer the file is read into.
	bufs *Buffers
}

// NewDecoder returns a Decoder reading r. It detects gzip compression and
// reads up to the first event, so a digest file is reported here as
// ErrDigestFile, and input that is not a CloudTrail log file fails here
// rather than in Next. An input with no events at all (e.g. {"Records":[]})
// is valid: Next returns io.EOF at once.
func NewDecoder(r io.Reader) (*Decoder, error) {
	return newDecoder(r, false, nil)
}

// NewFileDecoder is NewDecoder for a file read to its end before its events
// are used: a file of up to 16 MiB (decompressed) is read in one piece
// first, which decodes the usual {"Records":[...]} file in one pass instead
// of two. The events, errors and offsets are those of NewDecoder; only the
// first event comes later, once the file has been read.
func NewFileDecoder(r io.Reader) (*Decoder, error) {
	return newDecoder(r, true, nil)
}

// Buffers are the read buffers of NewFileDecoder, kept from one file to
// the next by one goroutine: a decoder made by Buffers.NewFileDecoder must
// be done with before the next is made. The zero value is ready for use.
type Buffers struct {
	br    *bufio.Reader
	zr    *gzip.Reader
	whole []byte
	// gz holds a gzip file's compressed bytes, which the gzip reader then
	// reads from gzr (see compressed).
	gz  []byte
	gzr bytes.Reader
}

// gzWholeLimit bounds the compressed bytes Buffers read ahead of the gzip
// reader; the rest of a larger file is streamed.
const gzWholeLimit = 4 << 20

// compressed returns what the gzip reader reads of br: with b, br's bytes
// read ahead into b.gz and served by a bytes.Reader, whose ReadByte the
// inflater calls inline (through a bufio.Reader each byte of the Huffman
// decoding is a call: a tenth of gzip's CPU). The reader yields exactly
// what br yields, bytes and read error alike.
func (b *Buffers) compressed(br *bufio.Reader) io.Reader {
	if b == nil {
		return br
	}
	buf, err := readAll(io.LimitReader(br, gzWholeLimit+1), b.gz[:0])
	b.gz = buf
	b.gzr.Reset(buf)
	switch {
	case err != nil:
		return io.MultiReader(&b.gzr, errReader{err})
	case len(buf) > gzWholeLimit:
		return io.MultiReader(&b.gzr, br)
	}
	return &b.gzr
}

// NewFileDecoder is NewFileDecoder reusing b's buffers; the events of the
// returned decoder are valid until the next call.
func (b *Buffers) NewFileDecoder(r io.Reader) (*Decoder, error) {
	return newDecoder(r, true, b)
}

// reader returns r buffered, in b's reader if b is not nil.
func (b *Buffers) reader(r io.Reader) *bufio.Reader {
	const size = 64 << 10
	if b == nil {
		return bufio.NewReaderSize(r, size)
	}
	if b.br == nil {
		b.br = bufio.NewReaderSize(r, size)
	} else {
		b.br.Reset(r)
	}
	return b.br
}

// gunzip returns a gzip reader of r, b's if b is not nil.
func (b *Buffers) gunzip(r io.Reader) (*gzip.Reader, error) {
	if b == nil {
		return gzip.NewReader(r)
	}
	if b.zr == nil {
		zr, err := gzip.NewReader(r)
		if err == nil {
			b.zr = zr
		}
		return zr, err
	}
	if err := b.zr.Reset(r); err != nil {
		return nil, err
	}
	return b.zr, nil
}

func newDecoder(r io.Reader, whole bool, bufs *Buffers) (*Decoder, error) {
	br := bufs.reader(r)
	d := &Decoder{bufs: bufs}
	magic, err := br.Peek(2)
	switch {
	case len(magic) == 2 && magic[0] == gzipMagic0 && magic[1] == gzipMagic1:
		zr, err := bufs.gunzip(bufs.compressed(br))
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("unexpected end of gzip stream in its header: %w", io.ErrUnexpectedEOF)
		}
		if err != nil {
			return nil, fmt.Errorf("gzip header: %w", err)
		}
		d.gzipped = true
		// Sniff the decompressed start for CSV. A read error is kept for
		// the JSON decoder, which reports it where it occurs.
		s := newSniffer(gzipErrReader{zr}, sniffLen)
		if isCSV(s.head) {
			return nil, csvError(s.head)
		}
		if d.start(s, whole) {
			return d, nil
		}
	case err != nil && err != io.EOF:
		return nil, fmt.Errorf("read: %w", err)
	case len(magic) == 0:
		return nil, fmt.Errorf("%w: empty input", ErrNotCloudTrail)
	default:
		s := newSniffer(br, sniffLen)
		if isCSV(s.head) {
			return nil, csvError(s.head)
		}
		if d.start(s, whole) {
			return d, nil
		}
	}

	// Read the file's header: up to the start of the Records array or bare
	// array, or the whole first event of a JSON-lines file.
	if err := d.topValue(); err != nil {
		return nil, err
	}
	return d, nil
}

// start sets up the streaming JSON decoder over src, unless whole is set
// and readWhole takes the events of src in one piece, which it reports.
func (d *Decoder) start(src io.Reader, whole bool) bool {
	if !whole {
		d.dec = json.NewDecoder(src)
		return false
	}
	var buf []byte
	if d.bufs != nil {
		buf = d.bufs.whole
	}
	events, ok, again, buf := readWhole(src, buf)
	if d.bufs != nil {
		d.bufs.whole = buf
	}
	if ok {
		d.whole, d.isWhole = events, true
		return true
	}
	d.dec = json.NewDecoder(again)
	return false
}

// Gzipped reports whether the input was gzip-compressed.
func (d *Decoder) Gzipped() bool { return d.gzipped }

// Records returns how many events Next has returned so far; after a
// successful Next it is the 1-based number of that event within the file.
func (d *Decoder) Records() int { return d.records }

// Next returns the next raw event (a JSON object, as it appears in the file
// apart from whitespace in top-level event objects). It returns io.EOF after
// the last event. Errors are sticky: once Next fails it keeps failing.
func (d *Decoder) Next() (json.RawMessage, error) {
	if d.isWhole {
		if d.records == len(d.whole) {
			return nil, io.EOF
		}
		d.records++
		return d.whole[d.records-1], nil
	}
	if !d.hasEvent {
		if err := d.advance(); err != nil {
			return nil, err
		}
	}
	d.hasEvent = false
	d.records++
	ev := d.pending
	d.pending = nil
	return ev, nil
}

// advance moves to the next event and stores it in d.pending. It returns
// io.EOF at the end of input.
func (d *Decoder) advance() error {
	for {
		switch d.st {
		case stDone:
			return d.err
		case stRecords, stArray, stHistory, stLogEvents:
			if !d.dec.More() {
				if _, err := d.dec.Token(); err != nil { // ']'
					return d.fail(d.recordErr(err))
				}
				if d.st == stArray {
					d.st, d.kind = stTop, arrayUnknown
				} else {
					d.st = stEnvTail
				}
				continue
			}
			var raw json.RawMessage
			if err := d.dec.Decode(&raw); err != nil {
				return d.fail(d.recordErr(d.valueErr(err)))
			}
			d.elems++
			if d.st == stLogEvents {
				if d.control {
					continue // a CONTROL_MESSAGE's log events are not events
				}
				inner, label, err := d.openMessage(raw)
				if err != nil {
					return d.fail(d.recordf(err))
				}
				d.inner, d.logEvent, d.st = inner, label, stMessage
				continue
			}
			if d.st == stArray && d.kind == arrayUnknown {
				d.kind = classifyArray(raw)
			}
			if d.st == stHistory || (d.st == stArray && d.kind == arrayHistory) {
				ev, err := historyEvent(raw)
				if err != nil {
					return d.fail(d.recordf(fmt.Errorf("Event History entry %d: %w", d.elems, err)))
				}
				raw = ev
			}
			d.pending, d.hasEvent = raw, true
			return nil
		case stMessage:
			ev, err := d.inner.Next()
			if err == io.EOF {
				d.inner, d.st = nil, stLogEvents
				continue
			}
			if err != nil {
				return d.fail(d.recordf(fmt.Errorf("%s: message: %w", d.logEvent, embeddedErr(err))))
			}
			d.pending, d.hasEvent = ev, true
			return nil
		case stEnvTail:
			for d.dec.More() {
				key, err := d.dec.Token()
				if err != nil {
					return d.fail(d.afterErr(err))
				}
				var skip json.RawMessage
				if err := d.dec.Decode(&skip); err != nil {
					return d.fail(d.afterErr(fmt.Errorf("value of key %v: %w", key, d.valueErr(err))))
				}
			}
			if _, err := d.dec.Token(); err != nil { // '}'
				return d.fail(d.afterErr(err))
			}
			d.st = stTop
		case stTop:
			if err := d.topValue(); err != nil {
				return d.fail(err)
			}
			if d.hasEvent {
				return nil
			}
		}
	}
}

// topValue reads the start of the next top-level JSON value and sets the
// state accordingly; for a top-level event object it stores the event.
func (d *Decoder) topValue() error {
	tok, err := d.dec.Token()
	if err == io.EOF {
		if d.values == 0 {
			return fmt.Errorf("%w: no JSON value in input", ErrNotCloudTrail)
		}
		return io.EOF
	}
	if err != nil {
		return d.recordErr(err)
	}
	d.values++
	d.elems = 0
	switch tok {
	case json.Delim('['):
		d.st, d.kind = stArray, arrayUnknown
		return nil
	case json.Delim('{'):
		return d.topObject()
	}
	return fmt.Errorf("%w: top-level value %d is %s, want an object or array", ErrNotCloudTrail, d.values, describeToken(tok))
}

// topObject reads the members of a top-level object (its '{' already read)
// until it finds the array of an envelope — "Records" (CloudTrail S3 file),
// "logEvents" (CloudWatch Logs subscription) or "Events" (Event History
// export) — and leaves the Decoder streaming it, or until the closing '}'.
// Then the object must be an Event History entry (its CloudTrailEvent is
// stored as pending), an envelope without logEvents (no events), or look
// like an event, which is rebuilt from its members and stored as pending.
func (d *Decoder) topObject() error {
	var (
		buf      bytes.Buffer
		isEvent  bool
		members  int
		msgType  string // messageType of a CloudWatch Logs envelope
		entryID  json.RawMessage
		trailEvt json.RawMessage // CloudTrailEvent of an Event History entry
		isEntry  bool
	)
	buf.WriteByte('{')
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return d.recordErr(err)
		}
		key, _ := tok.(string)
		switch key {
		case "Records", "Events", "logEvents":
			return d.envelopeArray(key, msgType)
		case "digestStartTime", "digestEndTime", "digestPublicKeyFingerprint", "digestSignatureAlgorithm":
			return ErrDigestFile
		case "eventTime", "eventVersion", "eventID", "eventName", "eventSource":
			isEvent = true
		}
		var val json.RawMessage
		if err := d.dec.Decode(&val); err != nil {
			return d.recordErr(fmt.Errorf("value of key %q: %w", key, d.valueErr(err)))
		}
		switch key {
		case "messageType":
			if msgType, err = messageType(val, d.values); err != nil {
				return d.recordf(err)
			}
		case "CloudTrailEvent":
			trailEvt, isEntry = val, true
		case "EventId":
			entryID = val
		}
		if members > 0 {
			buf.WriteByte(',')
		}
		members++
		writeKey(&buf, key)
		buf.WriteByte(':')
		buf.Write(val)
	}
	if _, err := d.dec.Token(); err != nil { // '}'
		return d.recordErr(err)
	}
	switch {
	case isEntry:
		ev, err := cloudTrailEvent(entryID, trailEvt)
		if err != nil {
			return d.recordf(fmt.Errorf("Event History entry (value %d): %w", d.values, err))
		}
		d.pending, d.hasEvent = ev, true
		return nil
	case msgType != "":
		return nil // an envelope without logEvents holds no events
	case !isEvent:
		return fmt.Errorf("%w: top-level key Records not found (and value %d is not an event object)", ErrNotCloudTrail, d.values)
	}
	buf.WriteByte('}')
	d.pending, d.hasEvent = buf.Bytes(), true
	return nil
}

// envelopeArray starts streaming the array value of key (its key already
// read) of a top-level envelope object. msgType is the messageType read so
// far, if the object is a CloudWatch Logs envelope.
func (d *Decoder) envelopeArray(key, msgType string) error {
	tok, err := d.dec.Token()
	if err != nil {
		return d.recordErr(err)
	}
	switch tok {
	case json.Delim('['):
	case nil: // e.g. "Records": null — no events
		d.st = stEnvTail
		return nil
	default:
		return fmt.Errorf("%w: %s is %s, want an array", ErrNotCloudTrail, key, describeToken(tok))
	}
	d.elems = 0
	switch key {
	case "Records":
		d.st = stRecords
	case "Events":
		d.st = stHistory
	case "logEvents":
		d.st, d.control = stLogEvents, msgType == controlMessage
	}
	return nil
}

// fail makes err sticky and returns it.
func (d *Decoder) fail(err error) error {
	d.st, d.err = stDone, err
	return err
}

// recordErr describes a failure while reading the next event.
func (d *Decoder) recordErr(err error) error {
	return fmt.Errorf("record %d: %w", d.records+1, d.describe(err))
}

// recordf prefixes an already precise error with the next record number.
func (d *Decoder) recordf(err error) error {
	return fmt.Errorf("record %d: %w", d.records+1, err)
}

// afterErr describes a failure after the last event of an envelope.
func (d *Decoder) afterErr(err error) error {
	return fmt.Errorf("after record %d: %w", d.records, d.describe(err))
}

// valueErr fixes the offset of a syntax error returned by Decode.
// json.Decoder reports such offsets relative to the bytes its Decode calls
// scanned, not to the input, so the error is located again by scanning the
// value's buffered bytes. After a failed Decode the decoder still points at
// the start of the value.
func (d *Decoder) valueErr(err error) error {
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		return err
	}
	start := d.dec.InputOffset()
	buffered, _ := io.ReadAll(d.dec.Buffered())
	var v json.RawMessage
	if err2 := json.Unmarshal(buffered, &v); errors.As(err2, &syn) && err2.Error() == err.Error() {
		return positioned{err, start + syn.Offset, d.where}
	}
	return err
}

// positioned is a syntax error with its absolute input offset.
type positioned struct {
	err    error
	offset int64
	where  string // e.g. " in the message"
}

func (p positioned) Error() string { return fmt.Sprintf("%v at offset %d%s", p.err, p.offset, p.where) }
func (p positioned) Unwrap() error { return p.err }

// describe turns decoding errors into precise messages.
func (d *Decoder) describe(err error) error {
	var gz gzipError
	var syn *json.SyntaxError
	var pos positioned
	switch {
	case errors.As(err, &pos):
		return err
	case errors.As(err, &gz):
		if errors.Is(gz.err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("unexpected end of gzip stream (truncated file?) after %d decompressed bytes: %w", d.endOffset(), gz.err)
		}
		return fmt.Errorf("gzip stream: %w", gz.err)
	case errors.As(err, &syn):
		return fmt.Errorf("%w at offset %d%s", err, syn.Offset, d.where)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		start, end := d.dec.InputOffset(), d.endOffset()
		return fmt.Errorf("unexpected end of JSON input at offset %d%s (value starts at offset %d): %w", end, d.where, start, io.ErrUnexpectedEOF)
	}
	return err
}

// endOffset is the number of input bytes the JSON decoder has read.
func (d *Decoder) endOffset() int64 {
	n, _ := io.Copy(io.Discard, d.dec.Buffered())
	return d.dec.InputOffset() + n
}

// describeToken names the kind of a JSON token for error messages.
func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		return strconv.Quote(v.String())
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	default:
		return "a number"
	}
}

// gzipError marks an error coming from the gzip layer, so it can be told
// apart from the JSON decoder's own io.ErrUnexpectedEOF.
type gzipError struct{ err error }

func (e gzipError) Error() string { return e.err.Error() }
func (e gzipError) Unwrap() error { return e.err }

// gzipErrReader wraps a gzip reader, tagging its errors (except io.EOF).
type gzipErrReader struct{ r io.Reader }

func (g gzipErrReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = gzipError{err}
	}
	return n, err
}

// writeKey writes key as a JSON string without HTML escaping.
func writeKey(buf *bytes.Buffer, key string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(key)         // a string always encodes
	buf.Truncate(buf.Len() - 1) // Encode appends a newline
}
