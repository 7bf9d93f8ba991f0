package cloudtrail

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/collector/demo"
	"github.com/tpserver/tpserver/internal/testsupport"
)

// TestFieldSetsMatchTags checks that the fields decodeEvent knows are the
// JSON names of the structs the JSON libraries fill.
func TestFieldSetsMatchTags(t *testing.T) {
	for _, c := range []struct {
		v  any
		fs *fieldSet
	}{
		{rawEvent{}, eventFields}, {tlsDetails{}, tlsDetailsFields}, {userIdentity{}, userIdentityFields},
		{sessionContext{}, sessionContextFields}, {sessionAttributes{}, sessionAttributesFields},
		{sessionIssuer{}, sessionIssuerFields}, {webIDFederationData{}, webIDFederationDataFields},
	} {
		typ := reflect.TypeOf(c.v)
		var tags []string
		for i := range typ.NumField() {
			tags = append(tags, typ.Field(i).Tag.Get("json"))
		}
		names := append([]string(nil), c.fs.names...)
		sort.Strings(tags)
		sort.Strings(names)
		if fmt.Sprint(tags) != fmt.Sprint(names) {
			t.Errorf("%s: tags %v, field set %v", typ.Name(), tags, names)
		}
	}
}

// checkDecodeEvent fails when decodeEvent accepts raw and the JSON
// libraries' path (unmarshalEventSlow) fails on it or decodes it otherwise.
// It reports whether decodeEvent accepted raw.
func checkDecodeEvent(t *testing.T, raw []byte) bool {
	t.Helper()
	var fast, slow rawEvent
	if !decodeEvent(raw, &fast) {
		return false
	}
	if err := unmarshalEventSlow(raw, &slow); err != nil {
		t.Fatalf("decodeEvent accepts %s, which the JSON libraries reject: %v", raw, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("decodeEvent(%s) =\n%+v\nthe JSON libraries give\n%+v", raw, fast, slow)
	}
	return true
}

// decodeSamples returns the events of the demo data and of this package's
// test events.
func decodeSamples(t *testing.T) [][]byte {
	var out [][]byte
	for _, e := range benchEvents(t, 5) {
		out = append(out, e)
	}
	for _, e := range []string{awsServiceEvent, errorEvent, resourcesEvent, tlsEvent, stringBoolsEvent} {
		out = append(out, []byte(e))
	}
	for _, f := range []string{"assumed_role.json", "root_console_login.json"} {
		out = append(out, readFixture(t, f))
	}
	src := t.TempDir()
	if _, err := demo.Generate(src, demo.Options{End: time.Date(2025, 5, 4, 0, 0, 0, 0, time.UTC), Days: 1}); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || len(out) > 3000 {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return err
		}
		doc, err := io.ReadAll(zr)
		if err != nil {
			return err
		}
		events, ok := recordsOf(doc)
		if !ok {
			return fmt.Errorf("%s: not a Records document", p)
		}
		out = append(out, events...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDecodeEventMatchesJSONLibraries checks the fast event decoder against
// go-json and encoding/json over the demo data, the test events, odd
// variants of them, and random edits of them.
func TestDecodeEventMatchesJSONLibraries(t *testing.T) {
	samples := decodeSamples(t)
	fastCount := 0
	for _, raw := range samples {
		if checkDecodeEvent(t, raw) {
			fastCount++
		}
	}
	if fastCount < len(samples)*9/10 {
		t.Errorf("decodeEvent took %d of %d usual events, want nearly all", fastCount, len(samples))
	}
	odd := []string{
		`{}`, `{"eventTime":null,"userIdentity":null,"tlsDetails":null}`, `{"userIdentity":"x"}`, `{"userIdentity":[1]}`,
		`{"eventName":"a","eventName":"b"}`, `{"EventName":"a"}`, `{"eventname":"a"}`, `{"event\u004eame":"a"}`,
		`{"readOnly":"TRUE","managementEvent":1}`, `{"eventName":12.5e3,"awsRegion":true,"errorCode":{"a": [1, 2]},"errorMessage":[ ]}`,
		`{"userIdentity":{"type":"A","type":"B"}}`, `{"userIdentity":{"sessionContext":{"attributes":{"creationDate":5}}}}`,
		`{"userIdentity":{"sessionContext":{"webIdFederationData":{"attributes":null}}}}`, `{"userIdentity":{"Type":"A"}}`,
		`{"requestParameters":null,"resources":[{"ARN":"arn:aws:s3:::b"}],"x":{"eventName":"nested"}}`,
		`{"eventName":"\u00e9\"\\","sourceIPAddress":"` + "\xff" + `"}`, ` { "eventName" : "a" } `, `{"eventName":"a"} x`, `{"eventName":"a",}`,
		`{"userIdentity":{"sessionContext":{"sessionIssuer":{"userName":null},"ec2RoleDelivery":2}}}`, `[]`, `"x"`, `{"tlsDetails":{}}`,
	}
	for _, s := range odd {
		checkDecodeEvent(t, []byte(s))
	}
	r := rand.New(rand.NewSource(1))
	alpha := []byte(`{}[]":,0123456789.eE+- \tnulltruefalsexyzTUNa\`)
	for n := 0; n < 20000; n++ {
		doc := []byte(string(samples[r.Intn(len(samples))]))
		for k := r.Intn(3) + 1; k > 0; k-- {
			p := r.Intn(len(doc))
			switch r.Intn(3) {
			case 0:
				doc = append(doc[:p], append([]byte{alpha[r.Intn(len(alpha))]}, doc[p:]...)...)
			case 1:
				doc = append(doc[:p], doc[p+1:]...)
			case 2:
				doc[p] = alpha[r.Intn(len(alpha))]
			}
		}
		checkDecodeEvent(t, doc)
	}
}

// TestDecodeEventRealData runs the fast event decoder against the JSON
// libraries over the real samples, when present.
func TestDecodeEventRealData(t *testing.T) {
	dir := testsupport.CloudTrailSamples(t)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(p, ".json") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		dec, err := NewDecoder(f)
		if err != nil {
			return nil // not a log file the decoder reads; TestRealData covers it
		}
		for {
			raw, err := dec.Next()
			if err != nil {
				return nil
			}
			checkDecodeEvent(t, json.RawMessage(bytes.TrimSpace(raw)))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestIsCompact checks isCompact against json.Compact.
func TestIsCompact(t *testing.T) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"a": 1}`, `{"a b":"c d"}`, `["x\" y"]`, `["x\\", "y"]`, `["x\\","y"]`, "{\"a\":\n1}",
		`[1,2,3]`, `[1, 2]`, `{"k":"\u0020"}`, `null`, `"a\\\" b"`} {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(s)); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if want := buf.String() == s; isCompact([]byte(s)) != want {
			t.Errorf("isCompact(%s) = %v, want %v", s, !want, want)
		}
	}
	for _, raw := range decodeSamples(t) {
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			t.Fatal(err)
		}
		if isCompact(raw) && buf.String() != string(raw) {
			t.Fatalf("isCompact(%s) = true, but json.Compact gives %s", raw, buf.String())
		}
	}
}
