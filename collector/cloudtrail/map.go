package cloudtrail

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/tpserver/tpserver/lake"
)

// ErrMissingEventTime is wrapped by the error Map returns for an event
// without a parsable eventTime. Callers count such events and go on.
var ErrMissingEventTime = errors.New("missing eventTime")

// DefaultIndex is the tp_index value when no index column is configured or
// the configured column is null or empty.
const DefaultIndex = "default"

// SourceInfo holds the values of the tp_* columns that come from the
// collection run rather than from the event.
type SourceInfo struct {
	Table, Partition string // tp_table, tp_partition
	// IndexColumn names the column whose value (as text) becomes tp_index;
	// "" means tp_index is always "default". A null or empty value also
	// gives "default".
	IndexColumn    string
	SourceType     string    // tp_source_type, e.g. "file", "aws_s3_bucket"
	SourceLocation string    // tp_source_location
	IngestTime     time.Time // tp_ingest_timestamp (same for the whole run)
}

// Internal column numbers. NewMapper maps them to positions in
// lake.CloudTrailLog().Columns by name, so the row order always follows the
// lake schema.
const (
	cAdditionalEventData = iota
	cAPIVersion
	cAWSRegion
	cEdgeDeviceDetails
	cErrorCode
	cErrorMessage
	cEventCategory
	cEventID
	cEventName
	cEventSource
	cEventTime
	cEventType
	cEventVersion
	cManagementEvent
	cReadOnly
	cRecipientAccountID
	cRequestID
	cRequestParameters
	cResources
	cResponseElements
	cServiceEventDetails
	cSessionCredentialFromConsole
	cSharedEventID
	cSourceIPAddress
	cTLSDetails
	cUserAgent
	cUserIdentity
	cVPCEndpointID
	cTpAkas
	cTpDate
	cTpDestinationIP
	cTpDomains
	cTpEmails
	cTpID
	cTpIndex
	cTpIngestTimestamp
	cTpIPs
	cTpPartition
	cTpSourceIP
	cTpSourceLocation
	cTpSourceName
	cTpSourceType
	cTpTable
	cTpTags
	cTpTimestamp
	cTpUsernames
	numCols
)

// columnNames returns the lake column name of each internal column number.
func columnNames() [numCols]string {
	return [numCols]string{
		"additional_event_data", "api_version", "aws_region", "edge_device_details",
		"error_code", "error_message", "event_category", "event_id", "event_name",
		"event_source", "event_time", "event_type", "event_version", "management_event",
		"read_only", "recipient_account_id", "request_id", "request_parameters",
		"resources", "response_elements", "service_event_details",
		"session_credential_from_console", "shared_event_id", "source_ip_address",
		"tls_details", "user_agent", "user_identity", "vpc_endpoint_id",
		"tp_akas", "tp_date", "tp_destination_ip", "tp_domains", "tp_emails", "tp_id",
		"tp_index", "tp_ingest_timestamp", "tp_ips", "tp_partition", "tp_source_ip",
		"tp_source_location", "tp_source_name", "tp_source_type", "tp_table", "tp_tags",
		"tp_timestamp", "tp_usernames",
	}
}

// Mapper maps raw CloudTrail events to rows of lake.CloudTrailLog(). It is
// immutable after NewMapper and safe for concurrent use.
type Mapper struct {
	src      SourceInfo
	ingest   time.Time
	pos      [numCols]int // lake column position of each internal column
	indexCol int          // internal column giving tp_index, or -1
}

// NewMapper returns a Mapper for one collection run. It fails when the lake
// schema and this package disagree on the column set, or when
// src.IndexColumn is not a scalar column of the table.
func NewMapper(src SourceInfo) (*Mapper, error) {
	m := &Mapper{src: src, ingest: src.IngestTime.UTC(), indexCol: -1}
	cols := lake.CloudTrailLog().Columns
	if len(cols) != numCols {
		return nil, fmt.Errorf("cloudtrail: lake schema has %d columns, mapper knows %d", len(cols), numCols)
	}
	byName := make(map[string]int, len(cols))
	for i, c := range cols {
		byName[c.Name] = i
	}
	for i, name := range columnNames() {
		p, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("cloudtrail: lake schema lacks column %q", name)
		}
		m.pos[i] = p
		if name == src.IndexColumn {
			t := cols[p].Type
			if strings.HasPrefix(t, "STRUCT") || strings.HasSuffix(t, "[]") || name == "tp_index" {
				return nil, fmt.Errorf("cloudtrail: index column %q of type %s cannot give tp_index", name, t)
			}
			m.indexCol = i
		}
	}
	if src.IndexColumn != "" && m.indexCol < 0 {
		return nil, fmt.Errorf("cloudtrail: index column %q is not a column of %s", src.IndexColumn, lake.CloudTrailTableName)
	}
	return m, nil
}

// Map returns the values of one row in the order of
// lake.CloudTrailLog().Columns, and warnings as Mapper.Map does. It builds a
// Mapper on every call; use NewMapper and Mapper.Map to map many events.
func Map(raw json.RawMessage, src SourceInfo) ([]any, []error, error) {
	m, err := NewMapper(src)
	if err != nil {
		return nil, nil, err
	}
	return m.Map(raw)
}

// Map returns the values of one row in the order of
// lake.CloudTrailLog().Columns, represented for duckdb-go's Appender:
//
//   - VARCHAR: string or nil; BOOLEAN: bool or nil; BIGINT: int64 or nil;
//     TIMESTAMP: time.Time (UTC, to the microsecond) or nil; DATE:
//     time.Time at 00:00 UTC;
//   - JSON: string holding compact JSON text with CloudTrail's original keys
//     and key order, or nil when absent or null (the table is expected to
//     declare JSON columns VARCHAR and cast them later);
//   - STRUCT: map[string]any holding every field of the struct type, with
//     nested structs as map[string]any or nil when absent;
//   - VARCHAR[]: []string or nil.
//
// Every NULL is an untyped nil. An event without a parsable eventTime gives
// an error wrapping ErrMissingEventTime and no row; callers add the record
// number. A value that cannot be read while the rest of the event can (an
// unparsable creationDate, a field of the wrong JSON type) is stored as NULL
// and reported as a warning wrapping ErrValueNotRead, naming the event and
// the field. Map is Append to a batch of one row; use Append to map many
// events.
func (m *Mapper) Map(raw json.RawMessage) ([]any, []error, error) {
	b := m.NewBatch()
	_, warnings, err := m.Append(raw, b)
	if err != nil {
		return nil, nil, err
	}
	return b.Row(0), warnings, nil
}

// eventName names an event in error messages.
func eventName(ev *rawEvent) string {
	if ev.EventID.ok && ev.EventID.s != "" {
		return strconv.Quote(ev.EventID.s)
	}
	return "without eventID"
}

// ErrValueNotRead is wrapped by the warnings Map returns for a value that
// could not be read and was stored as NULL; the event itself is kept.
var ErrValueNotRead = errors.New("value not read, stored as NULL")

// jsonBuf is the scratch state of mapping one event: it compacts the JSON
// columns into one shared buffer and gathers the event's warnings.
type jsonBuf struct {
	buf      bytes.Buffer
	warnings []error
	// s, if not "", is the event raw as a string: compact JSON values
	// that are parts of raw are taken from it rather than copied.
	raw []byte
	s   string
}

// warnf records a warning about a value of ev.
func (j *jsonBuf) warnf(ev *rawEvent, format string, args ...any) {
	j.warnings = append(j.warnings, fmt.Errorf("event %s: %s: %w", eventName(ev), fmt.Sprintf(format, args...), ErrValueNotRead))
}

// jsonKind names the JSON type a Go kind decodes from.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	}
	return "a number"
}

// text returns raw as compact JSON text, or false when absent or null.
func (j *jsonBuf) text(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	if isCompact(raw) {
		return validUTF8(j.part(raw)), true
	}
	j.buf.Reset()
	if err := json.Compact(&j.buf, raw); err != nil {
		// Cannot happen: raw was validated by json.Unmarshal.
		return validUTF8(string(raw)), true
	}
	return validUTF8(j.buf.String()), true
}

// part returns b as a string: a part of j.s when b is a part of j.raw,
// else a copy.
func (j *jsonBuf) part(b []byte) string {
	if j.s != "" && len(b) > 0 {
		// Only compared, never turned back into a pointer.
		start := int(uintptr(unsafe.Pointer(unsafe.SliceData(b))) - uintptr(unsafe.Pointer(unsafe.SliceData(j.raw))))
		if start >= 0 && start <= len(j.raw)-len(b) && start+len(b) <= len(j.s) {
			return j.s[start : start+len(b)]
		}
	}
	return string(b)
}

// isCompact reports whether the valid JSON text raw has no whitespace
// outside its strings, so that json.Compact would return it unchanged.
func isCompact(raw []byte) bool {
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case ' ', '\t', '\r', '\n':
			return false
		case '"':
			i = stringEnd(raw, i)
		}
	}
	return true
}

// stringEnd returns the index of the closing quote of the JSON string whose
// opening quote is at i.
func stringEnd(raw []byte, i int) int {
	for i++; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return i
}

// eventID returns the deterministic tp_id of an event: the first 100 bits of
// SHA-256 over eventID, recipientAccountId and eventTime (or, without an
// eventID, over the compacted raw event), as 20 characters of lowercase
// base32hex — the alphabet and length of Tailpipe's xid ids.
func eventID(ev *rawEvent, eventTime time.Time, raw []byte) (string, error) {
	var in []byte
	if ev.EventID.ok && ev.EventID.s != "" {
		in = make([]byte, 0, 2+len(ev.EventID.s)+1+len(ev.RecipientAccountID.s)+1+20)
		in = append(in, "e\x00"...)
		in = append(in, ev.EventID.s...)
		in = append(in, 0)
		in = append(in, ev.RecipientAccountID.s...)
		in = append(in, 0)
		in = strconv.AppendInt(in, eventTime.UnixNano(), 10)
	} else {
		var buf bytes.Buffer
		buf.WriteString("r\x00")
		if err := json.Compact(&buf, raw); err != nil {
			return "", fmt.Errorf("tp_id: %w", err)
		}
		in = buf.Bytes()
	}
	sum := sha256.Sum256(in)
	return encodeID(sum[:13]), nil
}

// idAlphabet is lowercase base32hex, the alphabet of rs/xid.
const idAlphabet = "0123456789abcdefghijklmnopqrstuv"

// encodeID encodes the first 100 bits of b (at least 13 bytes) as 20
// base32hex characters.
func encodeID(b []byte) string {
	var out [20]byte
	var acc uint64
	var bits uint
	n := 0
	for _, x := range b {
		acc = acc<<8 | uint64(x)
		bits += 8
		for bits >= 5 && n < len(out) {
			bits -= 5
			out[n] = idAlphabet[(acc>>bits)&31]
			n++
		}
	}
	return string(out[:])
}

// akas returns tp_akas: for each resources[].ARN the ARN itself, its account
// id, and for S3 bucket ARNs the bucket name, for EC2 instance and volume
// ARNs the instance or volume id; deduplicated, in first-seen order.
func akas(resources json.RawMessage) []string {
	if len(resources) == 0 || resources[0] != '[' {
		return nil
	}
	rs, ok := resourceARNs(resources)
	if !ok {
		rs = nil
		if err := json.Unmarshal(resources, &rs); err != nil {
			return nil // stored as JSON anyway; no akas from malformed entries
		}
	}
	var out []string
	add := func(s string) {
		if s == "" {
			return
		}
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, r := range rs {
		if !r.ARN.ok || r.ARN.s == "" {
			continue
		}
		for _, a := range arnAkas(r.ARN.s) {
			add(a)
		}
	}
	return out
}

// resourceARNs is the fast path of unmarshalling the valid JSON array
// resources into []resource: it reads the ARN member of each element with
// eachMember. It reports false, for encoding/json to decide, for anything
// that path could treat otherwise: an element that is not an object, a
// key matching ARN only case-insensitively or given twice, an ARN value
// text does not take.
func resourceARNs(resources []byte) ([]resource, bool) {
	var out []resource
	ok := eachElement(resources, func(elem []byte) bool {
		var r resource
		if len(elem) == 0 || elem[0] != '{' {
			return false
		}
		if !eachMember(elem, resourceFields, func(_ string, val []byte) bool {
			return r.ARN.UnmarshalJSON(val) == nil
		}) {
			return false
		}
		out = append(out, r)
		return true
	})
	return out, ok
}

// resourceFields are the decoded fields of a resource.
var resourceFields = newFieldSet("ARN")

// eachElement calls fn with the bytes of each element of the JSON array
// arr, in order, and reports whether arr is a valid array and every call
// returned true.
func eachElement(arr []byte, fn func(val []byte) bool) bool {
	v := validator{doc: arr}
	i := v.space(0)
	if i >= len(arr) || arr[i] != '[' {
		return false
	}
	i = v.space(i + 1)
	if i < len(arr) && arr[i] == ']' {
		return v.space(i+1) == len(arr)
	}
	for {
		stop := v.value(i, 1)
		if stop < 0 || !fn(arr[i:stop]) {
			return false
		}
		i = v.space(stop)
		if i >= len(arr) {
			return false
		}
		switch arr[i] {
		case ',':
			i = v.space(i + 1)
		case ']':
			return v.space(i+1) == len(arr)
		default:
			return false
		}
	}
}

// arnAkas returns the identifiers derived from one ARN.
func arnAkas(arn string) []string {
	out := []string{arn}
	parts := strings.SplitN(arn, ":", 6) // arn:partition:service:region:account:resource
	if len(parts) != 6 || parts[0] != "arn" {
		return out
	}
	service, region, account, res := parts[2], parts[3], parts[4], parts[5]
	if account != "" {
		out = append(out, account)
	}
	switch service {
	case "s3":
		// Bucket and object ARNs have neither region nor account:
		// arn:aws:s3:::bucket[/key]. Access points etc. do.
		if region == "" && account == "" {
			if b, _, _ := strings.Cut(res, "/"); b != "" {
				out = append(out, b)
			}
		}
	case "ec2":
		for _, p := range []string{"instance/", "volume/"} {
			if id, ok := strings.CutPrefix(res, p); ok {
				if i := strings.LastIndexByte(id, '/'); i >= 0 {
					id = id[i+1:]
				}
				if id != "" {
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// usernames returns tp_usernames: a long-term (AKIA…) access key id and the
// user name of the identity.
func usernames(u *userIdentity) []string {
	if u == nil {
		return nil
	}
	var out []string
	if k := u.AccessKeyID; k.ok && strings.HasPrefix(k.s, "AKIA") {
		out = append(out, k.s)
	}
	if n := u.UserName; n.ok && n.s != "" && (len(out) == 0 || out[0] != n.s) {
		out = append(out, n.s)
	}
	return out
}

// indexText renders a column value as tp_index text; "" for NULL.
func indexText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(lake.DateFormat)
		}
		return x.Format("2006-01-02T15:04:05Z")
	}
	return ""
}
