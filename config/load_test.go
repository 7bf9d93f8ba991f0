package config

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/config/layout"
)

// writeFiles writes name->content files into a new temp dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// chdir changes the working directory for the test.
func chdir(t *testing.T, dir string) {
	t.Helper()
	t.Chdir(dir)
}

func TestLoadMissingAndEmpty(t *testing.T) {
	for name, dir := range map[string]string{
		"missing": filepath.Join(t.TempDir(), "nope"),
		"empty":   writeFiles(t, map[string]string{"notes.txt": "partition {"}),
	} {
		cfg, err := Load(dir)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(cfg.Partitions) != 0 || len(cfg.Connections) != 1 {
			t.Fatalf("%s: got %d partitions, %d connections; want 0 and the implicit default", name, len(cfg.Partitions), len(cfg.Connections))
		}
		def := cfg.Connections["aws.default"]
		if def == nil || def.Type != "aws" || def.Name != "default" {
			t.Fatalf("%s: implicit aws.default = %+v", name, def)
		}
	}
}

const validConfig = `# CloudTrail config
connection "aws" "prod" {
  profile                  = "prod-profile"
  region                   = "eu-west-1"
  endpoint_url             = "http://localhost:4566"
  s3_force_path_style      = true
  max_error_retry_attempts = 5
}

partition "aws_cloudtrail_log" "local" {
  source "file" {
    paths       = ["logs", "` + "`" + `x` + "`" + `"]
    file_layout = ` + "`" + `AWSLogs/%{NUMBER:account_id}/CloudTrail/%{DATA:region}/%{YEAR:year}/%{MONTHNUM:month}/%{MONTHDAY:day}/%{DATA}.json.gz` + "`" + `
  }
  filter   = "event_name <> 'DeleteBucket' and user_agent not like '%--%'"
  tp_index = "recipient_account_id"
}

partition "aws_cloudtrail_log" "s3" {
  source "aws_s3_bucket" {
    bucket     = "my-trail-bucket"
    prefix     = "org/"
    connection = connection.aws.prod
    patterns = {
      ACCT = "\\d{12}"
    }
    file_layout = "AWSLogs/%{ACCT:account_id}/%{DATA}.json.gz"
  }
}

partition "aws_cloudtrail_log" "s3_default" {
  source "aws_s3_bucket" {
    bucket     = "other"
    connection = "aws.default"
  }
}
`

func TestLoadValid(t *testing.T) {
	dir := writeFiles(t, map[string]string{"aws.tpc": validConfig})
	work := t.TempDir()
	for _, d := range []string{"logs", "`x`"} {
		if err := os.Mkdir(filepath.Join(work, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	chdir(t, work)
	cfg, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	file := filepath.Join(dir, "aws.tpc")

	prod := cfg.Connections["aws.prod"]
	if prod == nil {
		t.Fatal("aws.prod missing")
	}
	wantConn := Connection{Type: "aws", Name: "prod", Pos: Pos{file, 2, 1}, Profile: "prod-profile", Region: "eu-west-1",
		EndpointURL: "http://localhost:4566", S3ForcePathStyle: true, MaxErrorRetryAttempts: 5}
	if *prod != wantConn {
		t.Errorf("aws.prod = %+v\nwant %+v", *prod, wantConn)
	}
	if cfg.Connections["aws.default"] == nil {
		t.Error("implicit aws.default missing")
	}

	if len(cfg.Partitions) != 3 {
		t.Fatalf("got %d partitions, want 3", len(cfg.Partitions))
	}
	local, s3, s3def := cfg.Partitions[0], cfg.Partitions[1], cfg.Partitions[2]
	if local.FullName() != "aws_cloudtrail_log.local" || local.Pos != (Pos{file, 10, 1}) {
		t.Errorf("local partition = %s at %s", local.FullName(), local.Pos)
	}
	if local.Filter != "event_name <> 'DeleteBucket' and user_agent not like '%--%'" || local.TPIndex != "recipient_account_id" {
		t.Errorf("local filter/tp_index = %q / %q", local.Filter, local.TPIndex)
	}
	src := local.Source
	// The working directory may be reached through a symlink; compare the
	// resolved parent.
	wantPaths := []string{filepath.Join(work, "logs"), filepath.Join(work, "`x`")}
	if !slices.Equal(src.Paths, wantPaths) {
		t.Errorf("paths = %v, want %v", src.Paths, wantPaths)
	}
	wantLayout := `AWSLogs/%{NUMBER:account_id}/CloudTrail/%{DATA:region}/%{YEAR:year}/%{MONTHNUM:month}/%{MONTHDAY:day}/%{DATA}.json.gz`
	if src.Type != "file" || src.FileLayout != wantLayout || src.Pos != (Pos{file, 11, 3}) {
		t.Errorf("local source = %q %q at %s", src.Type, src.FileLayout, src.Pos)
	}
	if src.Layout == nil {
		t.Fatal("local source layout not compiled")
	}
	m, ok := src.Layout.Match("AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/06/f.json.gz")
	if !ok || m.Fields["account_id"] != "123456789012" || !m.Time.Equal(time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("compiled layout match = %+v, %v", m, ok)
	}

	if s3.Source.Type != "aws_s3_bucket" || s3.Source.Bucket != "my-trail-bucket" || s3.Source.Prefix != "org/" || s3.Source.Connection != "aws.prod" {
		t.Errorf("s3 source = %+v", s3.Source)
	}
	if s3.Source.FileLayout != "AWSLogs/%{ACCT:account_id}/%{DATA}.json.gz" || s3.Source.Patterns["ACCT"] != `\d{12}` {
		t.Errorf("s3 layout/patterns = %q %v", s3.Source.FileLayout, s3.Source.Patterns)
	}
	if _, ok := s3.Source.Layout.Match("AWSLogs/123456789012/x.json.gz"); !ok {
		t.Error("s3 layout with extra pattern does not match")
	}
	if _, ok := s3.Source.Layout.Match("AWSLogs/1234/x.json.gz"); ok {
		t.Error("s3 layout ACCT matched 4 digits")
	}
	if s3def.Source.Connection != "aws.default" || s3def.Source.Layout == nil || s3def.Source.Layout.String() != layout.DefaultCloudTrailLayout {
		t.Errorf("s3_default source = %+v", s3def.Source)
	}
}

func TestLoadMultipleFilesAndDefaultOverride(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.tpc": `partition "aws_cloudtrail_log" "second" {
  source "aws_s3_bucket" {
    bucket     = "b"
    connection = connection.aws.default
  }
}
`,
		"a.tpc": `connection "aws" "default" {
  profile = "mine"
}
partition "aws_cloudtrail_log" "first" {
  source "aws_s3_bucket" {
    bucket = "a"
  }
}
`,
	})
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Connections["aws.default"]; got == nil || got.Profile != "mine" || got.Pos.Line != 1 {
		t.Errorf("aws.default = %+v, want the user-defined one", got)
	}
	if len(cfg.Partitions) != 2 || cfg.Partitions[0].Name != "first" || cfg.Partitions[1].Name != "second" {
		t.Errorf("partitions not in file order: %v", cfg.Partitions)
	}
}

func TestRawStrings(t *testing.T) {
	dir := writeFiles(t, map[string]string{"raw.tpc": "partition \"aws_cloudtrail_log\" \"p\" {\n" +
		"  source \"aws_s3_bucket\" {\n" +
		"    bucket = `b\\\"${x}`\n" + // backticks: no escapes, no interpolation
		"    prefix = `multi\nline`\n" +
		"    file_layout = `%{DATA:a}/(x|y)\\.gz`\n" +
		"  }\n" +
		"  tp_index = \"nope\"\n" + // line 8: the error must be reported here
		"}\n"})
	_, err := Load(dir)
	if err == nil {
		t.Fatal("want tp_index error")
	}
	wantErr(t, err, "raw.tpc:8:14", `"nope" is not a column of aws_cloudtrail_log`)

	dir = writeFiles(t, map[string]string{"raw.tpc": "partition \"aws_cloudtrail_log\" \"p\" {\n" +
		"  source \"aws_s3_bucket\" {\n" +
		"    bucket = `b\\\"${x}`\n" +
		"    prefix = `multi\nline`\n" +
		"    file_layout = `%{DATA:a}/(x|y)\\.gz`\n" +
		"  }\n" +
		"}\n"})
	cfg, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Partitions[0].Source
	if s.Bucket != `b\"${x}` || s.Prefix != "multi\nline" || s.FileLayout != `%{DATA:a}/(x|y)\.gz` {
		t.Errorf("raw strings decoded as bucket=%q prefix=%q layout=%q", s.Bucket, s.Prefix, s.FileLayout)
	}
	if m, ok := s.Layout.Match("q/y.gz"); !ok || m.Fields["a"] != "q" {
		t.Errorf("layout match = %v %v", m, ok)
	}
}

// wantErr asserts that one line of err contains the position and the text.
func wantErr(t *testing.T, err error, pos, text string) {
	t.Helper()
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.Contains(line, pos+": ") && strings.Contains(line, text) {
			return
		}
	}
	t.Errorf("no error line with %q and %q in:\n%v", pos, text, err)
}

func TestLoadErrors(t *testing.T) {
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "afile"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	chdir(t, work)
	tests := []struct {
		name    string
		content string
		pos     string // "LINE:COL"
		text    string
	}{
		{"unknown table", `partition "aws_vpc_flow_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
}`, "1:11", `unknown table "aws_vpc_flow_log"`},
		{"unknown source type", `partition "aws_cloudtrail_log" "p" {
  source "gcs" {
  }
}`, "2:10", `unsupported source type "gcs"`},
		{"unknown source attribute", `partition "aws_cloudtrail_log" "p" {
  source "file" {
    paths = ["."]
    region = "us-east-1"
  }
}`, "4:5", `unsupported argument "region" in file source`},
		{"connection on file source", `partition "aws_cloudtrail_log" "p" {
  source "file" {
    paths      = ["."]
    connection = connection.aws.default
  }
}`, "4:5", `unsupported argument "connection" in file source`},
		{"unknown partition attribute", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  color = "red"
}`, "3:3", `unsupported argument "color" in partition`},
		{"unknown connection attribute", `connection "aws" "x" {
  regions = ["us-east-1"]
}`, "2:3", `unsupported argument "regions" in aws connection`},
		{"unsupported connection type", `connection "gcp" "x" {
}`, "1:12", `unsupported connection type "gcp"`},
		{"two sources", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }

  source "aws_s3_bucket" { bucket = "c" }
}`, "4:3", `second source block (the first is at ` + "FILE" + `:2:3, the second at ` + "FILE" + `:4:3)`},
		{"no source", `partition "aws_cloudtrail_log" "p" {
  filter = "read_only"
}`, "1:1", `has no source block`},
		{"bucket required", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" {
    prefix = "x/"
  }
}`, "2:3", `requires bucket`},
		{"paths required", `partition "aws_cloudtrail_log" "p" {
  source "file" {
  }
}`, "2:3", `requires paths`},
		{"path missing", `partition "aws_cloudtrail_log" "p" {
  source "file" {
    paths = ["nope"]
  }
}`, "3:13", `does not exist`},
		{"path is a file", `partition "aws_cloudtrail_log" "p" {
  source "file" {
    paths = [".", "afile"]
  }
}`, "3:13", `is not a directory`},
		{"format block", `format "grok" "x" {
  layout = "%{DATA}"
}`, "1:1", `format blocks are not supported yet`},
		{"table block", `
table "custom" {
}`, "2:1", `table blocks are not supported yet`},
		{"workspace block", `workspace "default" {
}`, "1:1", `workspace blocks are not supported yet`},
		{"plugin block", `plugin "aws" {
}`, "1:1", `plugin blocks are not supported yet`},
		{"duplicate partition", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
}
partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "c" }
}`, "4:1", `duplicate partition aws_cloudtrail_log.p: already defined at FILE:1:1`},
		{"duplicate connection", `connection "aws" "x" {
}
connection "aws" "x" {
}`, "3:1", `duplicate connection aws.x: already defined at FILE:1:1`},
		{"undefined connection", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" {
    bucket     = "b"
    connection = connection.aws.missing
  }
}`, "4:18", `connection aws.missing is not defined`},
		{"undefined connection string", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" {
    bucket     = "b"
    connection = "aws.missing"
  }
}`, "4:18", `connection aws.missing is not defined`},
		{"bad connection reference", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" {
    bucket     = "b"
    connection = var.x
  }
}`, "4:18", `invalid connection reference`},
		{"tp_index not identifier", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  tp_index = "lower(event_name)"
}`, "3:14", `not a plain column name`},
		{"tp_index unknown column", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  tp_index = "account"
}`, "3:14", `"account" is not a column of aws_cloudtrail_log`},
		{"filter semicolon", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  filter = "read_only; drop table x"
}`, "3:12", `";" is not allowed`},
		{"filter comment", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  filter = "read_only -- x"
}`, "3:12", `"--" is not allowed`},
		{"filter block comment", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  filter = "read_only /* x */"
}`, "3:12", `"/*" is not allowed`},
		{"filter keyword", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  filter = "event_name in (SELECT x from y)"
}`, "3:12", `keyword "select" is not allowed`},
		{"filter union", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  filter = ` + "`read_only\nUnion all`" + `
}`, "3:12", `keyword "union" is not allowed`},
		{"filter unterminated quote", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  filter = "event_name = 'x"
}`, "3:12", `unterminated '-quoted text`},
		{"bad file_layout pattern", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" {
    bucket      = "b"
    file_layout = ` + "`%{NOPE:x}/%{DATA}`" + `
  }
}`, "4:19", `unknown pattern "NOPE"`},
		{"file_layout day without month", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" {
    bucket      = "b"
    file_layout = "%{YEAR:year}/%{MONTHDAY:day}/%{DATA}"
  }
}`, "4:19", `captures "day" but not "month"`},
		{"bad pattern definition", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" {
    bucket   = "b"
    patterns = { BAD = "(" }
  }
}`, "4:16", `pattern BAD: invalid regular expression`},
		{"wrong value type", `connection "aws" "x" {
  s3_force_path_style = "maybe"
}`, "2:25", `expected bool`},
		{"negative retries", `connection "aws" "x" {
  max_error_retry_attempts = -1
}`, "2:30", `must not be negative`},
		{"syntax error", `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  filter = 
}`, "3:", ``},
		{"unterminated backtick", "connection \"aws\" \"x\" {\n  profile = `abc\n}\n", "2:13", `unterminated backtick string`},
		{"top-level attribute", `
x = 1
`, "2:1", `unexpected top-level argument "x"`},
		{"wrong label count", `partition "aws_cloudtrail_log" {
}`, "1:1", `partition block has 1 label(s), want 2`},
		{"unknown block", `pipeline "x" {
}`, "1:1", `unknown block type "pipeline"`},
		{"variables not allowed", `connection "aws" "x" {
  profile = var.p
}`, "2:13", `Variables not allowed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"file.tpc": tt.content})
			cfg, err := Load(dir)
			if err == nil {
				t.Fatalf("Load succeeded (%d partitions); want error at %s: %s", len(cfg.Partitions), tt.pos, tt.text)
			}
			file := filepath.Join(dir, "file.tpc")
			text := strings.ReplaceAll(tt.text, "FILE", file)
			if strings.HasSuffix(tt.pos, ":") { // line only
				if !regexp.MustCompile(regexp.QuoteMeta("file.tpc:"+tt.pos) + `\d+: `).MatchString(err.Error()) {
					t.Errorf("no error on line %s in:\n%v", tt.pos, err)
				}
				return
			}
			wantErr(t, err, "file.tpc:"+tt.pos, text)
			var cerr *Error
			if !errors.As(err, &cerr) || cerr.Pos.File != file {
				t.Errorf("error is not a *config.Error naming %s: %#v", file, err)
			}
		})
	}
}

func TestLoadReportsAllErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.tpc": `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" {
    bucket     = "b"
    connection = connection.aws.nope
    extra      = 1
  }
  tp_index = "1bad"
  filter   = "x; y"
}
partition "aws_waf_log" "q" {
  source "file" { paths = ["."] }
}
workspace "w" {}
`,
		"b.tpc": "connection \"aws\" \"c\" {\n  profile = `p`\n  bogus = true\n}\n",
	})
	_, err := Load(dir)
	if err == nil {
		t.Fatal("want errors")
	}
	for _, w := range []struct{ pos, text string }{
		{"a.tpc:4:18", "connection aws.nope is not defined"},
		{"a.tpc:5:5", `unsupported argument "extra"`},
		{"a.tpc:7:14", "not a plain column name"},
		{"a.tpc:8:14", `";" is not allowed`},
		{"a.tpc:10:11", `unknown table "aws_waf_log"`},
		{"a.tpc:13:1", "workspace blocks are not supported yet"},
		{"b.tpc:3:3", `unsupported argument "bogus"`},
	} {
		wantErr(t, err, w.pos, w.text)
	}
	if n := len(strings.Split(err.Error(), "\n")); n != 7 {
		t.Errorf("got %d error lines, want 7:\n%v", n, err)
	}
}

func TestPositionsAfterRewrites(t *testing.T) {
	// Escapes added on a line (%{ -> %%{, backtick quoting) must not shift
	// the reported columns of later tokens on the same line.
	dir := writeFiles(t, map[string]string{"p.tpc": "partition \"aws_cloudtrail_log\" \"p\" {\n" +
		"  source \"aws_s3_bucket\" { bucket = \"b\"\n" +
		"    file_layout = \"%{DATA}/%{DATA}.gz\" \n" +
		"    prefix = `a\"b` \n" +
		"  }\n" +
		"  tp_index = `x` \n" +
		"}\n"})
	_, err := Load(dir)
	if err == nil {
		t.Fatal("want error")
	}
	wantErr(t, err, "p.tpc:6:14", `"x" is not a column`)
}

func TestSyntaxErrorNotCascaded(t *testing.T) {
	dir := writeFiles(t, map[string]string{"s.tpc": `partition "aws_cloudtrail_log" "p" {
  source "aws_s3_bucket" { bucket = "b" }
  filter = 
}
`})
	_, err := Load(dir)
	if err == nil {
		t.Fatal("want syntax error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "s.tpc:3:") {
		t.Errorf("want exactly one error on line 3, got:\n%v", err)
	}
}
