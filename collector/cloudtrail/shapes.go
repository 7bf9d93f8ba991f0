package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// CloudWatch Logs subscription envelope message types.
const (
	dataMessage    = "DATA_MESSAGE"
	controlMessage = "CONTROL_MESSAGE"
)

// messageType parses the messageType value of CloudWatch Logs envelope n.
func messageType(val json.RawMessage, n int) (string, error) {
	var s string
	if err := json.Unmarshal(val, &s); err != nil {
		return "", fmt.Errorf("%w: messageType of value %d is %s, want a string", ErrNotCloudTrail, n, describeRaw(val))
	}
	if s != dataMessage && s != controlMessage {
		return "", fmt.Errorf("%w: CloudWatch Logs envelope %d has messageType %q, want %s or %s", ErrNotCloudTrail, n, s, dataMessage, controlMessage)
	}
	return s, nil
}

// openMessage parses raw, log event d.elems of the CloudWatch Logs envelope
// d.values, and returns a decoder of the events in its message together with
// a label naming the log event for later errors.
func (d *Decoder) openMessage(raw json.RawMessage) (*Decoder, string, error) {
	label := fmt.Sprintf("log event %d", d.elems)
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, "", fmt.Errorf("%s of envelope %d: %w: log event is %s, want an object", label, d.values, ErrNotCloudTrail, describeRaw(raw))
	}
	var le struct {
		ID      json.RawMessage `json:"id"`
		Message json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal(raw, &le); err != nil {
		return nil, "", fmt.Errorf("%s of envelope %d: %w", label, d.values, err)
	}
	if len(le.ID) > 0 && len(le.ID) <= 100 {
		label += fmt.Sprintf(" (id %s)", le.ID)
	}
	label += fmt.Sprintf(" of envelope %d", d.values)
	if len(le.Message) == 0 || le.Message[0] != '"' {
		return nil, "", fmt.Errorf("%s: %w: message is %s, want a JSON string", label, ErrNotCloudTrail, describeRaw(le.Message))
	}
	var msg string
	if err := json.Unmarshal(le.Message, &msg); err != nil {
		return nil, "", fmt.Errorf("%s: message: %w", label, err)
	}
	inner, err := newEmbedded([]byte(msg), " in the message")
	if err != nil {
		return nil, "", fmt.Errorf("%s: message: %w", label, embeddedErr(err))
	}
	return inner, label, nil
}

// newEmbedded returns a Decoder of the JSON text b that was held in a JSON
// string; where is appended to the offsets of its errors.
func newEmbedded(b []byte, where string) (*Decoder, error) {
	d := &Decoder{dec: json.NewDecoder(bytes.NewReader(b)), where: where}
	if err := d.topValue(); err != nil {
		return nil, err
	}
	return d, nil
}

// embeddedErr keeps a digest inside a JSON string from passing for a digest
// file (which callers skip silently).
func embeddedErr(err error) error {
	if errors.Is(err, ErrDigestFile) {
		return fmt.Errorf("%w: holds a CloudTrail digest, not events", ErrNotCloudTrail)
	}
	return err
}

// classifyArray tells from the first element of a bare top-level array
// whether it holds events or Event History entries.
func classifyArray(first json.RawMessage) arrayKind {
	var probe struct {
		CloudTrailEvent json.RawMessage
	}
	if json.Unmarshal(first, &probe) == nil && len(probe.CloudTrailEvent) > 0 {
		return arrayHistory
	}
	return arrayEvents
}

// historyEvent returns the event of one Event History entry.
func historyEvent(raw json.RawMessage) (json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("%w: entry is %s, want an object", ErrNotCloudTrail, describeRaw(raw))
	}
	var e struct {
		EventID         json.RawMessage `json:"EventId"`
		CloudTrailEvent json.RawMessage
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, err
	}
	return cloudTrailEvent(e.EventID, e.CloudTrailEvent)
}

// cloudTrailEvent returns the event held by the CloudTrailEvent value v of
// an Event History entry with EventId id: a JSON string holding the event
// object (as AWS writes it) or, from tools that already parsed it, the
// object itself.
func cloudTrailEvent(id, v json.RawMessage) (json.RawMessage, error) {
	label := "CloudTrailEvent"
	if len(id) > 0 && len(id) <= 100 {
		label = fmt.Sprintf("CloudTrailEvent of EventId %s", id)
	}
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return nil, fmt.Errorf("%w: no CloudTrailEvent (not an Event History entry)", ErrNotCloudTrail)
	case v[0] == '{':
		return v, nil
	case v[0] != '"':
		return nil, fmt.Errorf("%w: %s is %s, want a JSON string", ErrNotCloudTrail, label, describeRaw(v))
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	b := []byte(s)
	var check json.RawMessage
	if err := json.Unmarshal(b, &check); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("%s string: %w at offset %d in the string", label, err, syn.Offset)
		}
		return nil, fmt.Errorf("%s string: %w", label, err)
	}
	if b = bytes.TrimSpace(b); b[0] != '{' {
		return nil, fmt.Errorf("%w: %s string holds %s, want an event object", ErrNotCloudTrail, label, describeRaw(b))
	}
	return b, nil
}

// describeRaw names the kind of a raw JSON value for error messages.
func describeRaw(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "missing"
	}
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// sniffLen is how many leading bytes are examined to recognise CSV input.
const sniffLen = 512

// utf8BOM is the byte order mark some tools put before CSV and JSON text.
var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// isCSV reports whether head, the start of the input, looks like a CSV
// header line: it does not start like a JSON object or array, and its first
// line has at least three comma-separated fields.
func isCSV(head []byte) bool {
	if startsJSON(head) {
		return false
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	line, _, _ := bytes.Cut(head, []byte("\n"))
	return bytes.Count(line, []byte(",")) >= 2
}

// csvError describes CSV input, quoting the start of its header line.
func csvError(head []byte) error {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	line, _, _ := bytes.Cut(head, []byte("\n"))
	line = bytes.TrimRight(line, "\r")
	const max = 80
	quoted := string(line)
	if len(line) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		quoted = string(line[:cut]) + "..."
	}
	return fmt.Errorf("%w: input is CSV (header %s), not JSON; CSV exports such as the CloudTrail Event History CSV download are not supported (use the JSON export)",
		ErrNotCloudTrail, strconv.Quote(quoted))
}

// sniffer reads the first bytes of r ahead, so they can be examined, and
// then returns them followed by the rest of r. A read error met while
// reading ahead is returned after head, where it occurred.
type sniffer struct {
	head []byte
	off  int
	err  error
	r    io.Reader
}

// newSniffer reads up to n bytes of r ahead, stopping early once the input
// starts like JSON, so a slow stream is never waited for needlessly.
func newSniffer(r io.Reader, n int) *sniffer {
	s := &sniffer{head: make([]byte, n), r: r}
	var got int
	for got < n && s.err == nil && !startsJSON(s.head[:got]) {
		var m int
		m, s.err = r.Read(s.head[got:])
		got += m
	}
	s.head = s.head[:got]
	return s
}

// startsJSON reports whether head starts like a JSON object or array.
func startsJSON(head []byte) bool {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	return len(head) > 0 && (head[0] == '{' || head[0] == '[')
}

func (s *sniffer) Read(p []byte) (int, error) {
	if s.off < len(s.head) {
		n := copy(p, s.head[s.off:])
		s.off += n
		return n, nil
	}
	if s.err != nil {
		return 0, s.err
	}
	return s.r.Read(p)
}
