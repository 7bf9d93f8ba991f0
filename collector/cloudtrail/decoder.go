// Package cloudtrail reads AWS CloudTrail log files and maps their events to
// rows of the aws_cloudtrail_log lake table (Tailpipe's exact schema).
//
// Decoder streams the raw events of one file, one at a time, without ever
// holding the whole file in memory. Map turns one raw event into one row.
package cloudtrail

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
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
	stTop     state = iota // between top-level JSON values
	stRecords              // inside the "Records" array of an envelope object
	stEnvTail              // after the "Records" array, inside the envelope object
	stArray                // inside a bare top-level array of events
	stDone                 // sticky: err holds io.EOF or the failure
)

// Decoder streams the events of one CloudTrail log file.
//
// Accepted inputs, plain or gzip-compressed (detected by the magic bytes
// 1f 8b, so the file name does not matter), possibly concatenated:
//   - the CloudTrail S3 file format {"Records":[{...},{...}]};
//   - a bare JSON array of events [{...},{...}];
//   - JSON lines: one event object after another (newline separated or not);
//   - a single event object (recognised by an eventTime, eventVersion,
//     eventID, eventName or eventSource key).
//
// Only one event is held in memory at a time (plus, for top-level event
// objects, that object's parsed members).
//
// Errors name the 1-based record number and, for JSON errors, the byte
// offset in the (decompressed) input, counted like encoding/json's
// SyntaxError.Offset: the number of bytes read up to and including the
// offending byte, e.g. "record 17: invalid character 'x' looking for
// beginning of value at offset 5121". A syntax error ends the file: the
// events already returned stay valid, later ones cannot be recovered.
type Decoder struct {
	dec      *json.Decoder
	gzipped  bool
	st       state
	err      error // sticky error once st == stDone
	records  int   // events returned so far
	values   int   // top-level JSON values started so far
	pending  json.RawMessage
	hasEvent bool // pending holds an event to return next
}

// NewDecoder returns a Decoder reading r. It detects gzip compression and
// reads up to the first event, so a digest file is reported here as
// ErrDigestFile, and input that is not a CloudTrail log file fails here
// rather than in Next. An input with no events at all (e.g. {"Records":[]})
// is valid: Next returns io.EOF at once.
func NewDecoder(r io.Reader) (*Decoder, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	d := &Decoder{}
	magic, err := br.Peek(2)
	switch {
	case len(magic) == 2 && magic[0] == gzipMagic0 && magic[1] == gzipMagic1:
		zr, err := gzip.NewReader(br)
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("unexpected end of gzip stream in its header: %w", io.ErrUnexpectedEOF)
		}
		if err != nil {
			return nil, fmt.Errorf("gzip header: %w", err)
		}
		d.gzipped = true
		d.dec = json.NewDecoder(gzipErrReader{zr})
	case err != nil && err != io.EOF:
		return nil, fmt.Errorf("read: %w", err)
	case len(magic) == 0:
		return nil, fmt.Errorf("%w: empty input", ErrNotCloudTrail)
	default:
		d.dec = json.NewDecoder(br)
	}
	// Read the file's header: up to the start of the Records array or bare
	// array, or the whole first event of a JSON-lines file.
	if err := d.topValue(); err != nil {
		return nil, err
	}
	return d, nil
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
		case stRecords, stArray:
			if d.dec.More() {
				var raw json.RawMessage
				if err := d.dec.Decode(&raw); err != nil {
					return d.fail(d.recordErr(d.valueErr(err)))
				}
				d.pending, d.hasEvent = raw, true
				return nil
			}
			if _, err := d.dec.Token(); err != nil { // ']'
				return d.fail(d.recordErr(err))
			}
			if d.st == stArray {
				d.st = stTop
			} else {
				d.st = stEnvTail
			}
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
	switch tok {
	case json.Delim('['):
		d.st = stArray
		return nil
	case json.Delim('{'):
		return d.topObject()
	}
	return fmt.Errorf("%w: top-level value %d is %s, want an object or array", ErrNotCloudTrail, d.values, describeToken(tok))
}

// topObject reads the members of a top-level object (its '{' already read)
// until it finds "Records" — then the object is an envelope and the Decoder
// streams its array — or the closing '}' — then the object must look like an
// event, and it is rebuilt from its members and stored as pending.
func (d *Decoder) topObject() error {
	var (
		buf     bytes.Buffer
		isEvent bool
		members int
	)
	buf.WriteByte('{')
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return d.recordErr(err)
		}
		key, _ := tok.(string)
		switch key {
		case "Records":
			tok, err := d.dec.Token()
			if err != nil {
				return d.recordErr(err)
			}
			switch tok {
			case json.Delim('['):
				d.st = stRecords
			case nil: // "Records": null — no events
				d.st = stEnvTail
			default:
				return fmt.Errorf("%w: Records is %s, want an array", ErrNotCloudTrail, describeToken(tok))
			}
			return nil
		case "digestStartTime", "digestEndTime", "digestPublicKeyFingerprint", "digestSignatureAlgorithm":
			return ErrDigestFile
		case "eventTime", "eventVersion", "eventID", "eventName", "eventSource":
			isEvent = true
		}
		var val json.RawMessage
		if err := d.dec.Decode(&val); err != nil {
			return d.recordErr(fmt.Errorf("value of key %q: %w", key, d.valueErr(err)))
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
	if !isEvent {
		return fmt.Errorf("%w: top-level key Records not found (and value %d is not an event object)", ErrNotCloudTrail, d.values)
	}
	buf.WriteByte('}')
	d.pending, d.hasEvent = buf.Bytes(), true
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
		return positioned{err, start + syn.Offset}
	}
	return err
}

// positioned is a syntax error with its absolute input offset.
type positioned struct {
	err    error
	offset int64
}

func (p positioned) Error() string { return fmt.Sprintf("%v at offset %d", p.err, p.offset) }
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
		return fmt.Errorf("%w at offset %d", err, syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		start, end := d.dec.InputOffset(), d.endOffset()
		return fmt.Errorf("unexpected end of JSON input at offset %d (value starts at offset %d): %w", end, start, io.ErrUnexpectedEOF)
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
