package cloudtrail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// quote returns s as a JSON string.
func quote(t testing.TB, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// cwl returns a CloudWatch Logs subscription envelope of type typ whose log
// events carry messages.
func cwl(t testing.TB, typ string, messages ...string) string {
	t.Helper()
	var les []string
	for i, m := range messages {
		les = append(les, fmt.Sprintf(`{"id":"e%d","timestamp":1700000000000,"message":%s}`, i+1, quote(t, m)))
	}
	return `{"messageType":"` + typ + `","owner":"111122223333","logGroup":"aws-cloudtrail-logs","logStream":"111122223333_CloudTrail_us-east-1",` +
		`"subscriptionFilters":["ct"],"logEvents":[` + strings.Join(les, ",") + `]}`
}

// entry returns an Event History entry holding ev as CloudTrailEvent.
func entry(t testing.TB, id, ev string) string {
	t.Helper()
	return `{"EventId":"` + id + `","EventName":"X","ReadOnly":"true","EventTime":"2024-01-01 00:00:00+00:00",` +
		`"EventSource":"s3.amazonaws.com","Resources":[],"CloudTrailEvent":` + quote(t, ev) + `}`
}

func TestDecoderCloudWatchLogs(t *testing.T) {
	control := `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],` +
		`"logEvents":[{"id":"","timestamp":1700000000000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}`
	records := `{"Records":[` + ev2 + `,` + ev3 + `]}`
	cases := map[string]string{
		"one envelope":                cwl(t, dataMessage, ev1, ev2, ev3),
		"pretty message":              cwl(t, dataMessage, "{\n  \"eventVersion\": \"1.08\",\n  \"eventTime\": \"2024-01-01T00:00:00Z\",\n  \"eventID\": \"a\",\n  \"requestParameters\": {\"z\": 1, \"a\": 2}\n}", ev2, ev3),
		"records in message":          cwl(t, dataMessage, ev1, records),
		"concatenated (Firehose)":     cwl(t, dataMessage, ev1) + cwl(t, dataMessage, ev2) + cwl(t, dataMessage, ev3),
		"one per line":                cwl(t, dataMessage, ev1) + "\n" + cwl(t, dataMessage, ev2, ev3) + "\n",
		"control messages skipped":    control + cwl(t, dataMessage, ev1, ev2) + control + "\n" + cwl(t, dataMessage, ev3) + control,
		"logEvents before other keys": `{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","message":` + quote(t, ev1) + `},{"message":` + quote(t, records) + `}],"owner":"1","logGroup":"g"}`,
		"empty envelopes between":     cwl(t, dataMessage) + `{"messageType":"DATA_MESSAGE","logEvents":null}` + `{"messageType":"DATA_MESSAGE"}` + cwl(t, dataMessage, ev1, ev2, ev3),
	}
	for name, in := range cases {
		got, err := decodeAll(t, []byte(in))
		checkEvents(t, name, got, err, want3)
		got, err = decodeAll(t, gz(t, in))
		checkEvents(t, name+" gzip", got, err, want3)
	}
	// Firehose writes each record gzip-compressed: multi-member gzip.
	multi := append(gz(t, cwl(t, dataMessage, ev1)), gz(t, control+cwl(t, dataMessage, ev2, ev3))...)
	got, err := decodeAll(t, multi)
	checkEvents(t, "multi-member gzip", got, err, want3)

	for _, in := range []string{control, control + "\n" + control, cwl(t, controlMessage)} {
		got, err := decodeAll(t, []byte(in))
		if err != nil || len(got) != 0 {
			t.Errorf("control only %q: %d events, err %v; want none", in, len(got), err)
		}
	}
}

func TestDecoderEventHistory(t *testing.T) {
	entries := entry(t, "id-a", ev1) + ",\n" + entry(t, "id-b", ev2) + ",\n" + entry(t, "id-c", ev3)
	cases := map[string]string{
		"lookup-events":          `{"Events":[` + entries + `],"NextToken":"abc=="}`,
		"NextToken first":        `{"NextToken":"abc==","Events":[` + entries + `]}`,
		"pages concatenated":     `{"Events":[` + entry(t, "id-a", ev1) + `],"NextToken":"x"}` + "\n" + `{"Events":[` + entry(t, "id-b", ev2) + `,` + entry(t, "id-c", ev3) + `]}`,
		"bare array":             "[\n" + entries + "\n]",
		"json lines":             strings.ReplaceAll(entries, ",\n", "\n"),
		"CloudTrailEvent object": `[{"EventId":"id-a","CloudTrailEvent":` + ev1 + `},` + entry(t, "id-b", ev2) + `,` + entry(t, "id-c", ev3) + `]`,
		"pretty CloudTrailEvent": `{"Events":[` + entry(t, "id-a", "\n "+ev1+"\n") + `,` + entry(t, "id-b", ev2) + `,` + entry(t, "id-c", ev3) + `]}`,
	}
	for name, in := range cases {
		got, err := decodeAll(t, []byte(in))
		checkEvents(t, name, got, err, want3)
		got, err = decodeAll(t, gz(t, in))
		checkEvents(t, name+" gzip", got, err, want3)
	}
	for _, in := range []string{`{"Events":[],"NextToken":null}`, `{"Events":null}`} {
		got, err := decodeAll(t, []byte(in))
		if err != nil || len(got) != 0 {
			t.Errorf("%q: %d events, err %v; want none", in, len(got), err)
		}
	}
}

func TestDecoderShapeErrors(t *testing.T) {
	msgBad := cwl(t, dataMessage, ev1, `{"eventID": x}`)
	cases := []struct {
		name    string
		in      string
		events  int
		want    []string // substrings of the error
		notCT   bool
		atStart bool // NewDecoder fails
	}{
		{"invalid JSON in message", msgBad, 1,
			[]string{`record 2: log event 2 (id "e2") of envelope 1: message: record 1: value of key "eventID": invalid character 'x' looking for beginning of value at offset 13 in the message`}, false, false},
		// Errors met reading an object key are located by json.Decoder.Token,
		// which counts the bytes before the offending one.
		{"invalid JSON in second envelope", cwl(t, dataMessage, ev1) + "\n" + cwl(t, dataMessage, ev2, ev3, `{"eventID":"d",}`), 3,
			[]string{`record 4: log event 3 (id "e3") of envelope 2: message: record 1: invalid character '}' looking for beginning of object key string at offset 15 in the message`}, false, false},
		{"truncated message", cwl(t, dataMessage, `{"eventID":"a"`), 0,
			[]string{`record 1: log event 1 (id "e1") of envelope 1: message: record 1: unexpected end of JSON input at offset 14 in the message`}, false, false},
		{"invalid record in Records message", cwl(t, dataMessage, `{"Records":[`+ev1+`,{"a" 1}]}`), 1,
			[]string{fmt.Sprintf(`record 2: log event 1 (id "e1") of envelope 1: message: record 2: invalid character '1' after object key at offset %d in the message`, len(`{"Records":[`+ev1+`,{"a" 1`))}, false, false},
		{"message not JSON", cwl(t, dataMessage, "hello world"), 0,
			[]string{`record 1: log event 1 (id "e1") of envelope 1: message: record 1: invalid character 'h' looking for beginning of value at offset 1 in the message`}, false, false},
		{"message not an event", cwl(t, dataMessage, `{"level":"info"}`), 0,
			[]string{`log event 1 (id "e1") of envelope 1: message: not a CloudTrail log file`}, true, false},
		{"message is a number", `{"messageType":"DATA_MESSAGE","logEvents":[{"id":"e1","message":42}]}`, 0,
			[]string{`record 1: log event 1 (id "e1") of envelope 1: not a CloudTrail log file: message is a number, want a JSON string`}, true, false},
		{"message missing", `{"messageType":"DATA_MESSAGE","logEvents":[{"id":"e1"}]}`, 0,
			[]string{`message is missing, want a JSON string`}, true, false},
		{"log event not an object", `{"messageType":"DATA_MESSAGE","logEvents":["x"]}`, 0,
			[]string{`record 1: log event 1 of envelope 1: not a CloudTrail log file: log event is a string, want an object`}, true, false},
		{"digest in message", cwl(t, dataMessage, `{"digestStartTime":"x"}`), 0,
			[]string{`message: not a CloudTrail log file: holds a CloudTrail digest`}, true, false},
		{"unknown messageType", `{"messageType":"OTHER","logEvents":[]}`, 0,
			[]string{`record 1: not a CloudTrail log file: CloudWatch Logs envelope 1 has messageType "OTHER"`}, true, true},
		{"logEvents not array", `{"messageType":"DATA_MESSAGE","logEvents":{}}`, 0,
			[]string{`logEvents is "{", want an array`}, true, true},
		{"syntax error in envelope", cwl(t, dataMessage, ev1) + `{"messageType":"DATA_MESSAGE","logEvents":[{"id":1 "message":""}]}`, 1,
			[]string{fmt.Sprintf("record 2: invalid character '\"' after object key:value pair at offset %d", len(cwl(t, dataMessage, ev1)+`{"messageType":"DATA_MESSAGE","logEvents":[{"id":1 "`))}, false, false},
		{"truncated envelope", cwl(t, dataMessage, ev1, ev2)[:len(cwl(t, dataMessage, ev1, ev2))-20], 1,
			[]string{"record 2: unexpected end of JSON input"}, false, false},

		{"entry without CloudTrailEvent", `{"NextToken":"x","Events":[{"eventVersion":"1.07","eventTime":"2019-10-15T21:13:00Z","eventType":"AwsCloudTrailInsight"}]}`, 0,
			[]string{"record 1: Event History entry 1: not a CloudTrail log file: no CloudTrailEvent (not an Event History entry)"}, true, false},
		{"invalid CloudTrailEvent", `{"Events":[` + entry(t, "id-a", ev1) + `,` + entry(t, "id-b", `{"eventID":"b" "x"}`) + `]}`, 1,
			[]string{`record 2: Event History entry 2: CloudTrailEvent of EventId "id-b" string: invalid character '"' after object key:value pair at offset 16 in the string`}, false, false},
		{"invalid CloudTrailEvent in json lines", entry(t, "id-a", ev1) + "\n" + entry(t, "id-b", `{"eventID":`), 1,
			[]string{`record 2: Event History entry (value 2): CloudTrailEvent of EventId "id-b" string: unexpected end of JSON input`}, false, false},
		{"CloudTrailEvent not an object", `[` + entry(t, "id-a", `[1]`) + `]`, 0,
			[]string{`record 1: Event History entry 1: not a CloudTrail log file: CloudTrailEvent of EventId "id-a" string holds an array, want an event object`}, true, false},
		{"CloudTrailEvent number", `[{"EventId":"id-a","CloudTrailEvent":5}]`, 0,
			[]string{`CloudTrailEvent of EventId "id-a" is a number, want a JSON string`}, true, false},
		{"bare entry array with an event", `[` + entry(t, "id-a", ev1) + `,` + ev2 + `]`, 1,
			[]string{"record 2: Event History entry 2: not a CloudTrail log file: no CloudTrailEvent"}, true, false},
		{"Events not array", `{"Events":"x"}`, 0, []string{`Events is a string, want an array`}, true, true},

		{"event history csv", "Event ID,Event time,User name,Event name,Resource type,Resource name,AWS access key,AWS region,Error code,Source IP address,Resources\n" +
			"0828c0d2,2022-02-08T09:23:37Z,u,DescribeInstances,,,AKIA,ap-southeast-2,,1.2.3.4,[]\n", 0,
			[]string{`not a CloudTrail log file: input is CSV (header "Event ID,Event time,User name,Event name,Resource type,Resource name,AWS access ..."), not JSON; CSV exports such as the CloudTrail Event History CSV download are not supported`}, true, true},
		{"csv with BOM and CRLF", "\ufeffEvent name,Event time,User name\r\nX,2024,u\r\n", 0,
			[]string{`input is CSV (header "Event name,Event time,User name")`}, true, true},
	}
	for _, c := range cases {
		for _, zipped := range []bool{false, true} {
			in, name := []byte(c.in), c.name
			if zipped {
				in, name = gz(t, c.in), name+" gzip"
			}
			d, err := NewDecoder(bytes.NewReader(in))
			n := 0
			if err == nil {
				if c.atStart {
					t.Errorf("%s: NewDecoder succeeded, want error", name)
				}
				for {
					_, err = d.Next()
					if err != nil {
						break
					}
					n++
				}
				if err != nil && err != io.EOF {
					if _, err2 := d.Next(); err2 == nil || err2.Error() != err.Error() {
						t.Errorf("%s: error not sticky: %v then %v", name, err, err2)
					}
				}
			} else if !c.atStart {
				t.Errorf("%s: NewDecoder failed early: %v", name, err)
			}
			if err == nil || err == io.EOF {
				t.Errorf("%s: no error after %d events", name, n)
				continue
			}
			if !zipped {
				t.Logf("%s: %v", name, err)
			}
			if c.events >= 0 && n != c.events {
				t.Errorf("%s: %d events before the error, want %d", name, n, c.events)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: error\n%q\ndoes not contain\n%q", name, err, w)
				}
			}
			if errors.Is(err, ErrNotCloudTrail) != c.notCT {
				t.Errorf("%s: errors.Is(ErrNotCloudTrail) = %v", name, !c.notCT)
			}
			if errors.Is(err, ErrDigestFile) {
				t.Errorf("%s: error passes for a digest file", name)
			}
		}
	}
}

// TestDecoderCSVNotMistaken checks that JSON input is never taken for CSV.
func TestDecoderCSVNotMistaken(t *testing.T) {
	for _, in := range []string{"\n\n  " + ev1, "\ufeff" + `{"Records":[` + ev1 + `]}`} {
		_, err := NewDecoder(strings.NewReader(in))
		if err != nil && strings.Contains(err.Error(), "CSV") {
			t.Errorf("%q taken for CSV: %v", in, err)
		}
	}
}

// TestDecoderEnvelopeStreams checks that log events are returned before the
// rest of the envelope has been read.
func TestDecoderEnvelopeStreams(t *testing.T) {
	pr, pw := io.Pipe()
	env := cwl(t, dataMessage, ev1, ev2)
	go func() {
		pw.Write([]byte(env[:strings.Index(env, `{"id":"e2"`)]))
	}()
	d, err := NewDecoder(pr)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := d.Next()
	if err != nil || !strings.Contains(string(raw), `"eventID":"a"`) {
		t.Fatalf("first event %s, %v", raw, err)
	}
	pw.CloseWithError(io.ErrUnexpectedEOF)
}
