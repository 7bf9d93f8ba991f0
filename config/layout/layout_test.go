package layout

import (
	"maps"
	"strings"
	"testing"
	"time"
)

func mustCompile(t *testing.T, layout string, extra map[string]string) *Layout {
	t.Helper()
	l, err := Compile(layout, extra)
	if err != nil {
		t.Fatalf("Compile(%q): %v", layout, err)
	}
	return l
}

func TestDefaultCloudTrailLayoutMatch(t *testing.T) {
	l := mustCompile(t, DefaultCloudTrailLayout, nil)
	tests := []struct {
		path   string
		ok     bool
		fields map[string]string
		time   time.Time
	}{
		{
			path:   "AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/123456789012_CloudTrail_us-east-1_20240102T0000Z_abc.json.gz",
			ok:     true,
			fields: map[string]string{"account_id": "123456789012", "region": "us-east-1", "year": "2024", "month": "01", "day": "02"},
			time:   time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		},
		{
			path:   "AWSLogs/o-abc/123456789012/CloudTrail/us-east-1/2024/01/02/x.json.gz",
			ok:     true,
			fields: map[string]string{"org_id": "o-abc", "account_id": "123456789012", "region": "us-east-1", "year": "2024", "month": "01", "day": "02"},
			time:   time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		},
		{path: "AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2024/01/02/x.json.gz"},
		{path: "AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/x.json.gz.tmp"},
		{path: "AWSLogs/123456789012/CloudTrail/us-east-1/2024/13/02/x.json.gz"},
		{path: "prefix/AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/x.json.gz"},
		// %{DATA} stays within one segment: region cannot absorb "us-east-1/extra".
		{path: "AWSLogs/123456789012/CloudTrail/us-east-1/extra/2024/01/02/x.json.gz"},
		{path: "AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/sub/x.json.gz"},
	}
	for _, tt := range tests {
		m, ok := l.Match(tt.path)
		if ok != tt.ok {
			t.Errorf("Match(%q) ok = %v, want %v", tt.path, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if !maps.Equal(m.Fields, tt.fields) {
			t.Errorf("Match(%q) fields = %v, want %v", tt.path, m.Fields, tt.fields)
		}
		if !m.HasTime || !m.Time.Equal(tt.time) {
			t.Errorf("Match(%q) time = %v (has %v), want %v", tt.path, m.Time, m.HasTime, tt.time)
		}
	}
	if g := l.Granularity(); g != 24*time.Hour {
		t.Errorf("Granularity = %v, want 24h", g)
	}
	if p := l.LiteralPrefix(); p != "AWSLogs/" {
		t.Errorf("LiteralPrefix = %q, want AWSLogs/", p)
	}
}

func TestDefaultCloudTrailLayoutMatchDir(t *testing.T) {
	l := mustCompile(t, DefaultCloudTrailLayout, nil)
	accept := []string{
		"",
		"AWSLogs",
		"AWSLogs/123456789012",
		"AWSLogs/123456789012/CloudTrail",
		"AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02",
		"AWSLogs/o-abc",
		"AWSLogs/o-abc/123456789012",
		"AWSLogs/o-abc/123456789012/CloudTrail/us-east-1/2024",
		"AWSLogs/o-abc/123456789012/CloudTrail/us-east-1/2024/01/02",
		"AWSLogs/123456789012/", // tolerated trailing slash
	}
	reject := []string{
		"Other",
		"AWSLogs/123456789012/Config",
		"AWSLogs/123456789012/CloudTrail-Digest",
		"AWSLogs/o-abc/123456789012/CloudTrail/us-east-1/2024/13",
		"AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/sub",
		"AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/x.json.gz",
		"AWSLogsX",
	}
	for _, d := range accept {
		if !l.MatchDir(d) {
			t.Errorf("MatchDir(%q) = false, want true", d)
		}
	}
	for _, d := range reject {
		if l.MatchDir(d) {
			t.Errorf("MatchDir(%q) = true, want false", d)
		}
	}
}

func TestBlogLayout(t *testing.T) {
	l := mustCompile(t, `aws_org_id/AWSLogs/aws_org_id/%{NUMBER:account_id}/CloudTrail/us-east-1/%{NUMBER:year}/%{NUMBER:month}/%{NUMBER:day}/%{DATA}.json.gz`, nil)
	m, ok := l.Match("aws_org_id/AWSLogs/aws_org_id/111122223333/CloudTrail/us-east-1/2025/3/9/f.json.gz")
	if !ok {
		t.Fatal("blog layout does not match its own example")
	}
	want := map[string]string{"account_id": "111122223333", "year": "2025", "month": "3", "day": "9"}
	if !maps.Equal(m.Fields, want) {
		t.Errorf("fields = %v, want %v", m.Fields, want)
	}
	if !m.Time.Equal(time.Date(2025, 3, 9, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("time = %v", m.Time)
	}
	if _, ok := l.Match("aws_org_id/AWSLogs/aws_org_id/111122223333/CloudTrail/us-west-2/2025/3/9/f.json.gz"); ok {
		t.Error("matched another region")
	}
	if !l.MatchDir("aws_org_id/AWSLogs/aws_org_id/111122223333/CloudTrail/us-east-1/2025") {
		t.Error("MatchDir rejected a year directory")
	}
	if l.MatchDir("aws_org_id/AWSLogs/other") {
		t.Error("MatchDir accepted aws_org_id/AWSLogs/other")
	}
	if l.Granularity() != 24*time.Hour {
		t.Errorf("granularity = %v", l.Granularity())
	}
}

func TestGranularity(t *testing.T) {
	tests := []struct {
		layout string
		want   time.Duration
	}{
		{`%{DATA}.json.gz`, 0},
		{`%{YEAR:year}/%{DATA}.gz`, 8760 * time.Hour},
		{`%{YEAR:year}/%{MONTHNUM:month}/%{DATA}.gz`, 720 * time.Hour},
		{`%{YEAR:year}/%{MONTHNUM:month}/%{MONTHDAY:day}/%{DATA}.gz`, 24 * time.Hour},
		{`%{YEAR:year}%{MONTHNUM:month}%{MONTHDAY:day}T%{HOUR:hour}/%{DATA}.gz`, time.Hour},
		{`%{YEAR:year}-%{MONTHNUM:month}-%{MONTHDAY:day}-%{HOUR:hour}-%{MINUTE:minute}.gz`, time.Minute},
		{`%{YEAR:year}-%{MONTHNUM:month}-%{MONTHDAY:day}-%{HOUR:hour}-%{MINUTE:minute}-%{SECOND:second}.gz`, time.Second},
	}
	for _, tt := range tests {
		if g := mustCompile(t, tt.layout, nil).Granularity(); g != tt.want {
			t.Errorf("Granularity(%q) = %v, want %v", tt.layout, g, tt.want)
		}
	}
}

func TestTimeExtraction(t *testing.T) {
	l := mustCompile(t, `logs/%{YEAR:year}-%{MONTHNUM:month}-%{MONTHDAY:day}T%{HOUR:hour}%{MINUTE:minute}%{SECOND:second}.log`, nil)
	m, ok := l.Match("logs/24-02-29T235960.log")
	if !ok {
		t.Fatal("no match")
	}
	if want := time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC); !m.Time.Equal(want) || !m.HasTime {
		t.Errorf("time = %v, want %v (2-digit year, leap second clamped)", m.Time, want)
	}
	if _, ok := l.Match("logs/2023-02-29T000000.log"); ok {
		t.Error("matched 2023-02-29, an invalid date")
	}
	l = mustCompile(t, `%{YEAR:year}/%{MONTHNUM:month}/%{DATA}`, nil)
	m, ok = l.Match("2024/07/f")
	if !ok || !m.Time.Equal(time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("month layout: ok=%v time=%v, want 2024-07-01", ok, m.Time)
	}
}

func TestNoTimeCaptures(t *testing.T) {
	l := mustCompile(t, `%{DATA:name}.json.gz`, nil)
	m, ok := l.Match("flaws_cloudtrail00.json.gz")
	if !ok {
		t.Fatal("no match")
	}
	if m.HasTime || !m.Time.IsZero() {
		t.Errorf("HasTime = %v, Time = %v; want none", m.HasTime, m.Time)
	}
	if m.Fields["name"] != "flaws_cloudtrail00" {
		t.Errorf("name = %q", m.Fields["name"])
	}
	if l.HasTime() || l.Granularity() != 0 {
		t.Errorf("HasTime=%v Granularity=%v", l.HasTime(), l.Granularity())
	}
	if _, ok := l.Match("sub/flaws_cloudtrail00.json.gz"); ok {
		t.Error("%{DATA} spanned a directory")
	}
	if l.MatchDir("sub") {
		t.Error("MatchDir(sub) = true for a single-segment layout")
	}
}

func TestGreedyDataSpansSegments(t *testing.T) {
	l := mustCompile(t, `logs/%{GREEDYDATA:rest}.json.gz`, nil)
	m, ok := l.Match("logs/a/b/c.json.gz")
	if !ok || m.Fields["rest"] != "a/b/c" {
		t.Fatalf("Match = %v %v, want rest=a/b/c", m, ok)
	}
	if !l.MatchDir("logs/a/b") || l.MatchDir("other") {
		t.Error("MatchDir wrong for GREEDYDATA layout")
	}
}

func TestExtraPatterns(t *testing.T) {
	extra := map[string]string{
		"ACCOUNT": `\d{12}`,
		"STAMP":   `%{YEAR:year}%{MONTHNUM:month}%{MONTHDAY:day}`,
		"NUMBER":  `[0-9]+`, // overrides the default
	}
	l := mustCompile(t, `%{ACCOUNT:account_id}/%{STAMP}/%{NUMBER:seq}.gz`, extra)
	m, ok := l.Match("123456789012/20240315/7.gz")
	if !ok {
		t.Fatal("no match")
	}
	want := map[string]string{"account_id": "123456789012", "year": "2024", "month": "03", "day": "15", "seq": "7"}
	if !maps.Equal(m.Fields, want) {
		t.Errorf("fields = %v, want %v", m.Fields, want)
	}
	if !m.Time.Equal(time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("time = %v", m.Time)
	}
	if _, ok := l.Match("12345/20240315/7.gz"); ok {
		t.Error("ACCOUNT matched 5 digits")
	}
}

func TestOptionalSegments(t *testing.T) {
	l := mustCompile(t, `logs/(%{WORD:env}/)?(archive/)?%{YEAR:year}/%{DATA}.log`, nil)
	for path, env := range map[string]string{
		"logs/2024/a.log":              "",
		"logs/prod/2024/a.log":         "prod",
		"logs/prod/archive/2024/a.log": "prod",
		"logs/archive/2024/a.log":      "archive", // WORD may also take "archive": leftmost-first
	} {
		m, ok := l.Match(path)
		if !ok {
			t.Errorf("Match(%q) failed", path)
			continue
		}
		if m.Fields["env"] != env {
			t.Errorf("Match(%q) env = %q, want %q", path, m.Fields["env"], env)
		}
		if _, has := m.Fields["env"]; env == "" && has {
			t.Errorf("Match(%q) reported non-participating env", path)
		}
	}
	for _, d := range []string{"logs", "logs/prod", "logs/prod/archive", "logs/2024", "logs/archive/2024"} {
		if !l.MatchDir(d) {
			t.Errorf("MatchDir(%q) = false", d)
		}
	}
	for _, d := range []string{"logs/prod/archive/x", "logs/prod/2024/x", "logs/a-b"} {
		if l.MatchDir(d) {
			t.Errorf("MatchDir(%q) = true", d)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		layout string
		extra  map[string]string
		want   string
	}{
		{`%{NOPE:x}/%{DATA}`, nil, `unknown pattern "NOPE"`},
		{`%{DATA:x:weird}`, nil, `unknown type "weird"`},
		{`%{DATA x}`, nil, `malformed grok reference %{DATA x}`},
		{`%{DATA/x`, nil, `missing closing }`},
		{`(%{DATA}`, nil, `invalid regular expression`},
		{`%{YEAR:year}/%{MONTHDAY:day}/%{DATA}`, nil, `captures "day" but not "month"`},
		{`%{MONTHNUM:month}/%{DATA}`, nil, `captures "month" but not "year"`},
		{`%{LOOP}`, map[string]string{"LOOP": `a%{LOOP}`}, `pattern LOOP refers to itself`},
		{`%{DATA}`, map[string]string{"BAD": `(`}, `pattern BAD: invalid regular expression`},
		{`%{DATA}`, map[string]string{"UNK": `%{MISSING}`}, `pattern UNK: grok reference %{MISSING}: unknown pattern "MISSING"`},
		{`%{DATA}`, map[string]string{"A:B": `x`}, `pattern name "A:B"`},
		{``, nil, `empty file_layout`},
	}
	for _, tt := range tests {
		_, err := Compile(tt.layout, tt.extra)
		if err == nil {
			t.Errorf("Compile(%q) succeeded, want error containing %q", tt.layout, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Compile(%q) error = %q, want it to contain %q", tt.layout, err, tt.want)
		}
	}
}
