package cloudtrail

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"
)

// mapCases are events taking every way through the mapping: the fixtures
// and test events, and odd ones (wrong JSON types, escapes, invalid UTF-8,
// string booleans, nanosecond times, no eventID, no eventTime).
func mapCases(t *testing.T) []json.RawMessage {
	t.Helper()
	out := []json.RawMessage{readFixture(t, "assumed_role.json"), readFixture(t, "root_console_login.json")}
	for _, s := range []string{awsServiceEvent, errorEvent, resourcesEvent, tlsEvent, stringBoolsEvent,
		`{"eventID":"o1","eventTime":"2024-01-01T00:00:00.123456789Z","userIdentity":"root","eventName":"X\u00e9\"q\"","readOnly":"TRUE"}`,
		`{"eventTime":"2024-01-01T00:00:00Z","sourceIPAddress":"","requestParameters": {"a" : [1, 2]},"errorMessage":"bad ` + "\xff" + ` byte"}`,
		`{"eventID":"o3","eventTime":"2024-01-01T00:00:00+02:00","userIdentity":{"type":"Root","sessionContext":{"attributes":{"creationDate":"nope"},"webIdFederationData":{"attributes":{"a":null}}}},"tlsDetails":null,"responseElements":null,"edgeDeviceDetails":[]}`,
		`{"eventID":"o4","eventTime":"2024-01-01T00:00:00Z","userIdentity":{"sessionContext":{}},"tlsDetails":{"tlsVersion":"TLSv1.3"},"resources":[{"ARN":"arn:aws:ec2:eu-west-1:1:volume/v-1"},{"ARN":"arn:aws:ec2:eu-west-1:1:volume/v-1"}]}`,
		`{"eventID":"o5","eventTime":"2024-01-01T00:00:00Z","managementEvent":1,"awsRegion":7,"userAgent":{"x":1}}`,
		`{"eventID":"no-time"}`, `[1]`, `{"eventTime":"2024-01-01T00:00:00Z","resources":"x",}`,
	} {
		out = append(out, json.RawMessage(s))
	}
	for _, e := range benchEvents(t, 20) {
		out = append(out, e)
	}
	return out
}

// TestAppendMatchesReference appends every case to one batch and checks
// each row, warning and error against the row-by-row mapping the batches
// replaced (mapReference), with and without an index column.
func TestAppendMatchesReference(t *testing.T) {
	for _, index := range []string{"", "recipient_account_id", "read_only", "event_time"} {
		src := testSource()
		src.IndexColumn = index
		m, err := NewMapper(src)
		if err != nil {
			t.Fatal(err)
		}
		b := m.NewBatch()
		rows := 0
		for i, raw := range mapCases(t) {
			want, wantWarn, wantErr := m.mapReference(raw)
			at, warn, err := m.Append(raw, b)
			if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
				t.Fatalf("case %d (index %q): error %v, reference %v", i, index, err, wantErr)
			}
			if !reflect.DeepEqual(warn, wantWarn) {
				t.Errorf("case %d (index %q): warnings %v, reference %v", i, index, warn, wantWarn)
			}
			if err != nil {
				if b.Len() != rows {
					t.Fatalf("case %d: a failed event appended a row", i)
				}
				continue
			}
			rows++
			if b.Len() != rows {
				t.Fatalf("case %d: batch of %d rows, want %d", i, b.Len(), rows)
			}
			got := b.Row(rows - 1)
			ts := want[colPos(t, "tp_timestamp")].(time.Time)
			if !at.Equal(ts) {
				t.Errorf("case %d: event time %v, reference %v", i, at, ts)
			}
			for c := range got {
				if !reflect.DeepEqual(got[c], truncateTimes(want[c])) {
					t.Errorf("case %d (index %q) column %d: %#v, reference %#v", i, index, c, got[c], want[c])
				}
			}
		}
		if rows < 20 {
			t.Fatalf("only %d rows mapped", rows)
		}
	}
}

// truncateTimes returns v with times truncated to the microsecond, as
// DuckDB stores them.
func truncateTimes(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.Truncate(time.Microsecond)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, f := range x {
			out[k] = truncateTimes(f)
		}
		return out
	}
	return v
}

// TestBatchTruncate drops the last rows of a batch and appends others.
func TestBatchTruncate(t *testing.T) {
	m, err := NewMapper(testSource())
	if err != nil {
		t.Fatal(err)
	}
	b := m.NewBatch()
	events := benchEvents(t, 10)
	for _, raw := range events {
		if _, _, err := m.Append(raw, b); err != nil {
			t.Fatal(err)
		}
	}
	b.Truncate(4)
	for _, raw := range events[7:] {
		if _, _, err := m.Append(raw, b); err != nil {
			t.Fatal(err)
		}
	}
	if b.Len() != 7 {
		t.Fatalf("%d rows, want 7", b.Len())
	}
	for i, j := range []int{0, 1, 2, 3, 7, 8, 9} {
		want, _, err := m.mapReference(events[j])
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Row(i); !reflect.DeepEqual(got, want) {
			t.Errorf("row %d: %v, want event %d: %v", i, got, j, want)
		}
	}
}

// TestAkasMatchesUnmarshal checks akas, which reads resources through
// resourceARNs, against akas over encoding/json alone.
func TestAkasMatchesUnmarshal(t *testing.T) {
	reference := func(resources string) []string {
		var rs []resource
		if err := json.Unmarshal([]byte(resources), &rs); err != nil {
			return nil
		}
		var out []string
		for _, r := range rs {
			if r.ARN.ok && r.ARN.s != "" {
				for _, a := range arnAkas(r.ARN.s) {
					if !slices.Contains(out, a) {
						out = append(out, a)
					}
				}
			}
		}
		return out
	}
	for _, in := range []string{`[]`, `[ ] `, `[{"ARN":"arn:aws:s3:::b/k"}]`, `[{"arn":"arn:aws:s3:::b"}]`, `[{"ARN":1}]`,
		`[{"ARN":null}]`, `[null]`, `["x"]`, `[{"ARN":"a","ARN":"b"}]`, `[{"ARN":{"x": 1}}]`, `[{"ARN":true}]`,
		`[ {"type":"t", "ARN" : "arn:aws:ec2:r:1:instance/i-1"} , {"accountId":"1"}, {"ARN":"arn:aws:ec2:r:1:instance/i-1"} ]`,
		`[{"ARN":"arn:aws:s3:::caf\u00e9/x"}]`, `[{"aRN":"x"}]`, `[{"ARN":"a"},]`, `[{"ARN":"a"}`, `[{"AR\u004e":"x"}]`,
		`[{"ARN":"arn:aws:iam::1:role/r","accountId":"1","type":"AWS::IAM::Role"},{"ARN":"arn:aws:kms:eu-west-1:2:key/k"}]`,
	} {
		if got, want := akas(json.RawMessage(in)), reference(in); !reflect.DeepEqual(got, want) {
			t.Errorf("akas(%s) = %q, encoding/json gives %q", in, got, want)
		}
	}
}
