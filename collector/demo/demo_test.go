package demo

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var layoutRE = regexp.MustCompile(`^AWSLogs/(\d{12})/CloudTrail/([a-z]{2}-[a-z]+-\d)/(\d{4})/(\d{2})/(\d{2})/(\d{12})_CloudTrail_([a-z]{2}-[a-z]+-\d)_(\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz$`)

// testEnd is a Sunday, so the last day is a weekend day.
var testEnd = time.Date(2025, 5, 4, 15, 30, 0, 0, time.FixedZone("X", 3600))

// listFiles returns the slash-separated relative paths of all files in dir.
func listFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func readRecords(t testing.TB, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var doc struct {
		Records []map[string]any `json:"Records"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: invalid JSON: %v", path, err)
	}
	if doc.Records == nil {
		t.Fatalf("%s: no Records array", path)
	}
	return doc.Records
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func sub(m map[string]any, k string) map[string]any {
	s, _ := m[k].(map[string]any)
	return s
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// classify assigns an event to a scenario from its content alone, following
// the precedence documented on the Scenario constants.
func classify(e map[string]any) string {
	ui := sub(e, "userIdentity")
	typ, name, src := str(ui, "type"), str(e, "eventName"), strings.TrimSuffix(str(e, "eventSource"), ".amazonaws.com")
	ro, _ := e["readOnly"].(bool)
	req := compact(e["requestParameters"])
	switch {
	case typ == "Root" && name == "ConsoleLogin":
		return ScenarioRootConsoleLogin
	case typ == "Root":
		return ScenarioRootAPICall
	case str(e, "sourceIPAddress") == SuspiciousIP:
		return ScenarioOffHoursSuspiciousIP
	case name == "ConsoleLogin" && str(sub(e, "responseElements"), "ConsoleLogin") == "Failure":
		return ScenarioConsoleLoginFailed
	case name == "ConsoleLogin" && typ == "IAMUser" && str(sub(e, "additionalEventData"), "MFAUsed") == "Yes":
		return ScenarioConsoleLoginMFA
	case name == "ConsoleLogin" && typ == "IAMUser" && str(sub(e, "additionalEventData"), "MFAUsed") == "No":
		return ScenarioConsoleLoginNoMFA
	case str(e, "errorCode") != "":
		return ScenarioAccessDenied
	case src == "cloudtrail" && !ro:
		return ScenarioCloudTrailTampering
	case strings.HasPrefix(name, "Delete") || name == "ScheduleKeyDeletion":
		return ScenarioDeletions
	case src == "ec2" && name == "AuthorizeSecurityGroupIngress" && (strings.Contains(req, `"cidrIp":"0.0.0.0/0"`) || strings.Contains(req, `"cidrIpv6":"::/0"`)):
		return ScenarioSGOpenToWorld
	case src == "ec2" && strings.Contains(name, "SecurityGroup") && !ro:
		return ScenarioSGChange
	case src == "s3" && name == "PutBucketPublicAccessBlock" && strings.Contains(req, "false"):
		return ScenarioPublicAccessBlockDisabled
	case src == "s3" && name == "PutBucketPolicy":
		return ScenarioBucketPolicyChange
	case src == "ec2" && (name == "ModifySnapshotAttribute" || name == "ModifyImageAttribute") && strings.Contains(req, `"group":"all"`),
		src == "s3" && name == "PutBucketAcl" && strings.Contains(req, "AllUsers"),
		src == "ec2" && name == "RunInstances" && strings.Contains(req, `"associatePublicIpAddress":true`):
		return ScenarioPublicResource
	case src == "iam" && !ro:
		return ScenarioIAMPolicyChange
	case src == "sts" && name == "AssumeRole":
		return ScenarioAssumeRole
	}
	return ScenarioBackground
}

var requiredKeys = []string{
	"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
	"userAgent", "requestParameters", "responseElements", "eventID", "readOnly", "eventType",
	"managementEvent", "recipientAccountId", "eventCategory",
}

func TestGenerate(t *testing.T) {
	opt := Options{End: testEnd}
	dir1, dir2 := t.TempDir(), t.TempDir()
	start := time.Now()
	sum, err := Generate(dir1, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d files, %d events in %v", sum.Files, sum.Events, time.Since(start))
	sum2, err := Generate(dir2, opt)
	if err != nil {
		t.Fatal(err)
	}

	files := listFiles(t, dir1)

	t.Run("deterministic", func(t *testing.T) {
		files2 := listFiles(t, dir2)
		if !slices.Equal(files, files2) {
			t.Fatalf("file lists differ: %d vs %d files", len(files), len(files2))
		}
		for _, f := range files {
			a, err := os.ReadFile(filepath.Join(dir1, f))
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir2, f))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatalf("%s differs between runs", f)
			}
		}
		if compact(sum) != compact(sum2) {
			t.Fatalf("summaries differ: %+v vs %+v", sum, sum2)
		}
	})

	t.Run("seed changes data", func(t *testing.T) {
		dir3 := t.TempDir()
		if _, err := Generate(dir3, Options{End: testEnd, Days: 2, Seed: 42}); err != nil {
			t.Fatal(err)
		}
		other := listFiles(t, dir3)
		for _, f := range other {
			if slices.Contains(files, f) {
				t.Fatalf("file %s produced with two different seeds", f)
			}
		}
	})

	t.Run("atomic", func(t *testing.T) {
		for _, f := range files {
			if strings.HasSuffix(f, ".tmp") {
				t.Fatalf("temporary file left behind: %s", f)
			}
		}
		if len(files) != sum.Files {
			t.Fatalf("Summary.Files = %d, found %d files", sum.Files, len(files))
		}
	})

	from, to := opt.Range()
	if want := time.Date(2025, 4, 14, 0, 0, 0, 0, time.UTC); !from.Equal(want) {
		t.Fatalf("from = %v, want %v", from, want)
	}
	if want := time.Date(2025, 5, 5, 0, 0, 0, 0, time.UTC); !to.Equal(want) {
		t.Fatalf("to = %v, want %v", to, want)
	}
	lastDay := to.Add(-24 * time.Hour)

	ids := make(map[string]bool)
	counts := make(map[string]int)
	lastDayCounts := make(map[string]int)
	scnDays := make(map[string]map[string]bool)
	perDay := make(map[string]int)
	total := 0
	for _, f := range files {
		m := layoutRE.FindStringSubmatch(f)
		if m == nil {
			t.Fatalf("path does not match the S3 delivery layout: %s", f)
		}
		acct, region, stamp := m[1], m[2], m[8]
		if m[6] != acct || m[7] != region {
			t.Fatalf("account/region mismatch in %s", f)
		}
		if m[3]+m[4]+m[5] != stamp[:8] {
			t.Fatalf("date directory does not match file time in %s", f)
		}
		fileTime, err := time.Parse("20060102T1504Z", stamp)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		recs := readRecords(t, filepath.Join(dir1, f))
		if len(recs) == 0 {
			t.Fatalf("%s: empty Records", f)
		}
		var prev time.Time
		for _, e := range recs {
			total++
			for _, k := range requiredKeys {
				if _, ok := e[k]; !ok {
					t.Fatalf("%s: event %s lacks %q", f, str(e, "eventID"), k)
				}
			}
			if str(e, "recipientAccountId") != acct || str(e, "awsRegion") != region {
				t.Fatalf("%s: event %s belongs to %s/%s", f, str(e, "eventID"), str(e, "recipientAccountId"), str(e, "awsRegion"))
			}
			if str(e, "eventCategory") != "Management" {
				t.Fatalf("%s: eventCategory %q", f, str(e, "eventCategory"))
			}
			if v := str(e, "eventVersion"); v != "1.08" && v != "1.09" {
				t.Fatalf("%s: eventVersion %q", f, v)
			}
			et, err := time.Parse("2006-01-02T15:04:05Z", str(e, "eventTime"))
			if err != nil {
				t.Fatalf("%s: eventTime %q: %v", f, str(e, "eventTime"), err)
			}
			if et.Before(from) || !et.Before(to) {
				t.Fatalf("%s: eventTime %v outside [%v, %v)", f, et, from, to)
			}
			if et.Before(fileTime) || et.Sub(fileTime) >= 15*time.Minute {
				t.Fatalf("%s: eventTime %v not in the file's slot", f, et)
			}
			if et.Before(prev) {
				t.Fatalf("%s: events not sorted by time", f)
			}
			prev = et
			id := str(e, "eventID")
			if len(id) != 36 || ids[id] {
				t.Fatalf("%s: eventID %q malformed or duplicated", f, id)
			}
			ids[id] = true
			switch str(e, "eventType") {
			case "AwsApiCall":
				if str(e, "requestID") == "" {
					t.Fatalf("%s: API call %s without requestID", f, id)
				}
				if _, isService := sub(e, "userIdentity")["invokedBy"]; !isService && sub(e, "tlsDetails") == nil {
					t.Fatalf("%s: API call %s without tlsDetails", f, id)
				}
			case "AwsConsoleSignIn", "AwsServiceEvent":
			default:
				t.Fatalf("%s: eventType %q", f, str(e, "eventType"))
			}
			if ak := str(sub(e, "userIdentity"), "accessKeyId"); ak != "" && !strings.HasPrefix(ak, "AKIA") && !strings.HasPrefix(ak, "ASIA") {
				t.Fatalf("%s: accessKeyId %q", f, ak)
			}
			scn := classify(e)
			counts[scn]++
			day := et.Format("2006-01-02")
			perDay[day]++
			if scnDays[scn] == nil {
				scnDays[scn] = make(map[string]bool)
			}
			scnDays[scn][day] = true
			if !et.Before(lastDay) {
				lastDayCounts[scn]++
			}
			if scn == ScenarioOffHoursSuspiciousIP {
				wd := et.Weekday()
				if et.Hour() >= 6 && et.Hour() < 21 && wd != time.Saturday && wd != time.Sunday {
					t.Fatalf("suspicious IP event %s at %v is not off-hours", id, et)
				}
			}
		}
	}

	t.Run("summary", func(t *testing.T) {
		if total != sum.Events {
			t.Fatalf("Summary.Events = %d, files hold %d", sum.Events, total)
		}
		if len(sum.Scenarios) != len(Scenarios()) {
			t.Fatalf("Summary.Scenarios has %d keys, want %d", len(sum.Scenarios), len(Scenarios()))
		}
		for _, s := range Scenarios() {
			if sum.Scenarios[s] != counts[s] {
				t.Errorf("scenario %s: Summary says %d, files hold %d", s, sum.Scenarios[s], counts[s])
			}
			t.Logf("%-30s %6d  (last day %d, on %d days)", s, counts[s], lastDayCounts[s], len(scnDays[s]))
		}
	})

	t.Run("coverage", func(t *testing.T) {
		for _, s := range Scenarios() {
			if lastDayCounts[s] == 0 {
				t.Errorf("scenario %s has no event on the last day", s)
			}
			if len(scnDays[s]) < 2 {
				t.Errorf("scenario %s happens on %d day(s), want several", s, len(scnDays[s]))
			}
		}
		if len(perDay) != 21 {
			t.Errorf("events on %d days, want 21", len(perDay))
		}
		for day, n := range perDay {
			if n < 1500 || n > 7000 {
				t.Errorf("%s has %d events, want roughly 2,000-6,000", day, n)
			}
		}
		if n := sum.Scenarios[ScenarioRootConsoleLogin]; n < 3 {
			t.Errorf("only %d root console logins", n)
		}
	})
}

// TestShortRange checks a one-day and a three-day dataset ending mid-week.
func TestShortRange(t *testing.T) {
	for _, days := range []int{1, 3} {
		dir := t.TempDir()
		end := time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC) // a Wednesday
		sum, err := Generate(dir, Options{End: end, Days: days, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range Scenarios() {
			if sum.Scenarios[s] == 0 {
				t.Errorf("days=%d: scenario %s is empty", days, s)
			}
		}
		from, to := Options{End: end, Days: days}.Range()
		for _, f := range listFiles(t, dir) {
			for _, e := range readRecords(t, filepath.Join(dir, f)) {
				et, _ := time.Parse("2006-01-02T15:04:05Z", str(e, "eventTime"))
				if et.Before(from) || !et.Before(to) {
					t.Fatalf("days=%d: eventTime %v outside [%v, %v)", days, et, from, to)
				}
			}
		}
	}
}

func TestOptionsErrors(t *testing.T) {
	if _, err := Generate(t.TempDir(), Options{}); err == nil {
		t.Error("Generate without End succeeded")
	}
	if _, err := Generate(t.TempDir(), Options{End: testEnd, Days: -1}); err == nil {
		t.Error("Generate with negative Days succeeded")
	}
	f := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(f, Options{End: testEnd, Days: 1}); err == nil {
		t.Error("Generate into a regular file succeeded")
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		sum, err := Generate(dir, Options{End: testEnd, Days: 21})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Events), "events/op")
		b.ReportMetric(float64(sum.Files), "files/op")
	}
}

// TestScaleModelsBusyAccounts checks that Options.Scale gives the bench's
// busy-account layout (five-minute files of about 55 events) and that scale
// one is the demo data set.
func TestScaleModelsBusyAccounts(t *testing.T) {
	end := time.Date(2025, 5, 4, 0, 0, 0, 0, time.UTC)
	base, err := Generate(t.TempDir(), Options{End: end, Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	one, err := Generate(t.TempDir(), Options{End: end, Days: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	if one.Files != base.Files || one.Events != base.Events {
		t.Errorf("scale 1: %d events in %d files, default %d in %d", one.Events, one.Files, base.Events, base.Files)
	}
	busy, err := Generate(t.TempDir(), Options{End: end, Days: 1, Scale: 60})
	if err != nil {
		t.Fatal(err)
	}
	perFile := float64(busy.Events) / float64(busy.Files)
	t.Logf("scale 60: %d events in %d files, %.1f per file", busy.Events, busy.Files, perFile)
	if busy.Events < 40*base.Events || perFile < 40 || perFile > 80 {
		t.Errorf("scale 60: %d events in %d files (%.1f per file), want about 60 times %d in files of 40-80", busy.Events, busy.Files, perFile, base.Events)
	}
	// Nine account-region pairs, each a file every five minutes.
	if want := 9 * 24 * 12; busy.Files > want || busy.Files < want*9/10 {
		t.Errorf("scale 60: %d files, want about %d", busy.Files, want)
	}
}
