package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// blogQuery is one query of the blog post, verbatim, with the rows it must
// return from the fixture.
type blogQuery struct {
	name string
	sql  string
	// want lists the expected rows as psql prints them (fields joined by |).
	want []string
	// unordered compares rows as a set: the query's ORDER BY has ties.
	unordered bool
	// sortArrays sorts the elements of array fields: array_agg(DISTINCT)
	// has no defined order.
	sortArrays bool
	// firstOnly checks only the first row and the row count (LIMIT with ties).
	firstOnly bool
	count     int
	// wantErr is a substring of the expected error.
	wantErr string
}

// ts is the event time of fixture event id as PostgreSQL prints a timestamp.
func ts(id string) string {
	for _, e := range fixtureEvents() {
		if strings.HasSuffix(e["eventID"].(string), id) {
			tm, _ := time.Parse(time.RFC3339, e["eventTime"].(string))
			return tm.Format("2006-01-02 15:04:05")
		}
	}
	panic("no fixture event " + id)
}

// compactJSON is the JSON text of a fixture field as the lake stores it.
func compactJSON(id, field string) string {
	for _, e := range fixtureEvents() {
		if strings.HasSuffix(e["eventID"].(string), id) {
			b, _ := json.Marshal(e[field])
			return string(b)
		}
	}
	panic("no fixture event " + id)
}

const (
	arnAlice = "arn:aws:iam::123456789012:user/alice"
	arnAdmin = "arn:aws:sts::123456789012:assumed-role/Admin/alice"
)

func blogQueries() []blogQuery {
	// Off-hours: computed from the fixture, since weekends depend on today's date.
	var offHours []string
	type ohRow struct {
		t   time.Time
		row string
	}
	var oh []ohRow
	for _, e := range fixtureEvents() {
		who := e["userIdentity"].(map[string]any)
		if who["type"] == "AWSService" {
			continue
		}
		tm, _ := time.Parse(time.RFC3339, e["eventTime"].(string))
		if tm.Hour() < 6 || tm.Hour() > 20 || tm.Weekday() == time.Sunday || tm.Weekday() == time.Saturday {
			oh = append(oh, ohRow{tm, fmt.Sprintf("%s|%s|%s|%s", tm.Format("2006-01-02 15:04:05"), e["eventName"], who["arn"], e["sourceIPAddress"])})
		}
	}
	sort.Slice(oh, func(i, j int) bool { return oh[i].t.After(oh[j].t) })
	for _, r := range oh {
		offHours = append(offHours, r.row)
	}

	return []blogQuery{
		{name: "most active services", sql: `SELECT 
  event_source, 
  event_name, 
  COUNT(*) AS event_count 
FROM aws_cloudtrail_log 
GROUP BY event_source, event_name 
ORDER BY event_count DESC 
LIMIT 10;`, firstOnly: true, count: 10, want: []string{"signin.amazonaws.com|ConsoleLogin|3"}},
		{name: "unauthorized access attempts", sql: `SELECT 
  event_time,
  event_source,
  event_name,
  error_code,
  error_message,
  user_identity.type AS identity_type,
  user_identity.principal_id,
  source_ip_address
FROM aws_cloudtrail_log
WHERE error_code IS NOT NULL
ORDER BY event_time DESC
LIMIT 100;`, want: []string{ts("10") + "|s3.amazonaws.com|DeleteBucket|AccessDenied|Access Denied|IAMUser|AIDAbob|203.0.113.9"}},
		{name: "root account usage", sql: `SELECT 
  event_time,
  event_name,
  source_ip_address,
  user_agent
FROM aws_cloudtrail_log
WHERE user_identity.type = 'Root'
  AND user_identity.session_context.session_issuer IS NULL
ORDER BY event_time DESC;`, want: []string{ts("01") + "|ConsoleLogin|203.0.113.5|Mozilla/5.0"}},
		{name: "security group modifications", sql: `SELECT 
  event_time,
  event_name,
  user_identity.arn AS user_arn,
  request_parameters,
  response_elements
FROM aws_cloudtrail_log
WHERE event_source = 'ec2.amazonaws.com'
  AND event_name LIKE '%SecurityGroup%'
ORDER BY event_time DESC;`, want: []string{ts("05") + "|AuthorizeSecurityGroupIngress|" + arnAdmin + "|" + compactJSON("05", "requestParameters") + `|{"_return":true}`}},
		{name: "s3 bucket policy changes", sql: `SELECT 
  event_time,
  event_name,
  user_identity.arn AS user_arn,
  request_parameters
FROM aws_cloudtrail_log
WHERE event_source = 's3.amazonaws.com'
  AND (event_name LIKE '%BucketPolicy%' 
       OR event_name LIKE '%PublicAccess%')
ORDER BY event_time DESC;`, want: []string{
			ts("06") + "|PutBucketPolicy|" + arnAlice + "|" + compactJSON("06", "requestParameters"),
			ts("07") + "|PutBucketPublicAccessBlock|" + arnAlice + "|" + compactJSON("07", "requestParameters"),
		}},
		{name: "iam policy and role changes", sql: `SELECT 
  event_time,
  event_name,
  user_identity.arn AS user_arn,
  request_parameters
FROM aws_cloudtrail_log
WHERE event_source = 'iam.amazonaws.com'
  AND (event_name LIKE '%Policy%' 
       OR event_name LIKE '%Role%')
  AND event_name NOT LIKE '%Get%'
  AND event_name NOT LIKE '%List%'
ORDER BY event_time DESC;`, want: []string{ts("08") + "|AttachUserPolicy|" + arnAlice + "|" + compactJSON("08", "requestParameters")}},
		{name: "suspicious console logins", sql: `SELECT 
  event_time,
  source_ip_address,
  user_agent,
  user_identity.principal_id,
  additional_event_data
FROM aws_cloudtrail_log
WHERE event_name = 'ConsoleLogin'
ORDER BY event_time DESC;`, want: []string{
			ts("03") + "|203.0.113.9|Mozilla/5.0|AIDAbob|" + compactJSON("03", "additionalEventData"),
			ts("02") + "|198.51.100.7|Mozilla/5.0|AIDAalice|" + compactJSON("02", "additionalEventData"),
			ts("01") + "|203.0.113.5|Mozilla/5.0|123456789012|" + compactJSON("01", "additionalEventData"),
		}},
		{name: "console logins without mfa", sql: `SELECT
  event_time,
  user_identity.arn AS user_arn,
  source_ip_address,
  user_agent,
  additional_event_data
FROM aws_cloudtrail_log
WHERE
  event_name = 'ConsoleLogin'
  AND (
    additional_event_data::text LIKE '%"MFAUsed":"No"%'
    OR additional_event_data::text NOT LIKE '%"MFAUsed"%'
  )
  AND error_code IS NULL
ORDER BY event_time DESC;`, want: []string{
			ts("03") + "|arn:aws:iam::123456789012:user/bob|203.0.113.9|Mozilla/5.0|" + compactJSON("03", "additionalEventData"),
			ts("01") + "|arn:aws:iam::123456789012:root|203.0.113.5|Mozilla/5.0|" + compactJSON("01", "additionalEventData"),
		}},
		{name: "resource deletions", sql: `SELECT 
  event_time,
  event_source,
  event_name,
  user_identity.arn AS user_arn,
  request_parameters
FROM aws_cloudtrail_log
WHERE event_name LIKE '%Delete%'
  AND event_name NOT LIKE '%Get%'
  AND event_name NOT LIKE '%List%'
ORDER BY event_time DESC;`, want: []string{ts("10") + "|s3.amazonaws.com|DeleteBucket|arn:aws:iam::123456789012:user/bob|" + compactJSON("10", "requestParameters")}},
		{name: "public resource creation", sql: `SELECT 
  event_time,
  event_name,
  user_identity.arn AS user_arn,
  request_parameters,
  response_elements
FROM aws_cloudtrail_log
WHERE 
  -- Look for public S3 bucket creation/modification
  (event_source = 's3.amazonaws.com' AND 
   (request_parameters LIKE '%AllUsers%' OR 
    request_parameters LIKE '%AuthenticatedUsers%')) OR
  -- Look for public EBS snapshots
  (event_source = 'ec2.amazonaws.com' AND 
   event_name = 'ModifySnapshotAttribute' AND 
   request_parameters LIKE '%all%') OR
  -- Look for public ECR repositories
  (event_source = 'ecr.amazonaws.com' AND 
   event_name = 'SetRepositoryPolicy' AND 
   request_parameters LIKE '%"Effect":"Allow","Principal":"*"%')
ORDER BY event_time DESC;`, want: []string{ts("13") + "|ModifySnapshotAttribute|" + arnAlice + "|" + compactJSON("13", "requestParameters") + "|"}},
		{name: "off-hours activity", sql: `SELECT 
  event_time,
  event_name,
  user_identity.arn AS user_arn,
  source_ip_address
FROM aws_cloudtrail_log
WHERE 
  (EXTRACT(HOUR FROM event_time) < 6 OR 
   EXTRACT(HOUR FROM event_time) > 20 OR
   EXTRACT(DOW FROM event_time) IN (0, 6)) -- Weekend days (0=Sunday, 6=Saturday)
  AND user_identity.type != 'AWSService' -- Exclude AWS service activity
ORDER BY event_time DESC
LIMIT 100;`, want: offHours},
		{name: "activity by source ip", sql: `SELECT 
  source_ip_address,
  COUNT(*) AS event_count,
  COUNT(DISTINCT user_identity.arn) AS unique_identities,
  array_agg(DISTINCT event_source) AS services_accessed,
  MIN(event_time) AS first_seen,
  MAX(event_time) AS last_seen
FROM aws_cloudtrail_log
WHERE source_ip_address IS NOT NULL
GROUP BY source_ip_address
ORDER BY event_count DESC;`, unordered: true, sortArrays: true, want: []string{
			"198.51.100.7|9|2|{ec2.amazonaws.com,iam.amazonaws.com,s3.amazonaws.com,signin.amazonaws.com,sts.amazonaws.com}|" + ts("14") + "|" + ts("06"),
			"203.0.113.9|3|2|{cloudtrail.amazonaws.com,s3.amazonaws.com,signin.amazonaws.com}|" + ts("10") + "|" + ts("03"),
			"203.0.113.5|1|1|{signin.amazonaws.com}|" + ts("01") + "|" + ts("01"),
			"cloudtrail.amazonaws.com|1|0|{kms.amazonaws.com}|" + ts("12") + "|" + ts("12"),
			"198.51.100.8|1|1|{iam.amazonaws.com}|" + ts("15") + "|" + ts("15"),
		}},
		{name: "temporary credential usage", sql: `SELECT 
  event_time,
  user_identity.arn AS assuming_principal,
  request_parameters->>'roleArn' AS assumed_role_arn,
  source_ip_address,
  user_agent
FROM aws_cloudtrail_log
WHERE event_name = 'AssumeRole'
ORDER BY event_time DESC;`, want: []string{ts("04") + "|" + arnAlice + "|arn:aws:iam::123456789012:role/Admin|198.51.100.7|aws-cli/2.15.0"}},
		{name: "cloudtrail changes (the blog's resource_name is not a column)", sql: `SELECT 
  event_time,
  event_name,
  user_identity.arn AS user_arn,
  request_parameters,
  response_elements
FROM aws_cloudtrail_log
WHERE 
  event_source = 'cloudtrail.amazonaws.com' OR
  (event_source = 's3.amazonaws.com' AND 
   (request_parameters LIKE '%cloudtrail%' OR
    resource_name LIKE '%cloudtrail%'))
ORDER BY event_time DESC;`, wantErr: `column "resource_name"`},
		{name: "cloudtrail changes without resource_name", sql: `SELECT 
  event_time,
  event_name,
  user_identity.arn AS user_arn,
  request_parameters,
  response_elements
FROM aws_cloudtrail_log
WHERE 
  event_source = 'cloudtrail.amazonaws.com' OR
  (event_source = 's3.amazonaws.com' AND 
   (request_parameters LIKE '%cloudtrail%'))
ORDER BY event_time DESC;`, want: []string{
			ts("06") + "|PutBucketPolicy|" + arnAlice + "|" + compactJSON("06", "requestParameters") + "|",
			ts("11") + "|StopLogging|" + arnAdmin + "|" + compactJSON("11", "requestParameters") + "|",
		}},
		{name: "cron: root usage last day", sql: `SELECT event_time, event_name, source_ip_address FROM aws_cloudtrail_log WHERE user_identity.type = 'Root' AND event_time > current_date - interval '1 day'`},
		{name: "cron: failed logins last day", sql: `SELECT event_time, source_ip_address, error_message FROM aws_cloudtrail_log WHERE event_name = 'ConsoleLogin' AND error_code IS NOT NULL AND event_time > current_date - interval '1 day'`},
		{name: "cron: security group changes last day", sql: `SELECT event_time, user_identity.arn, event_name, request_parameters FROM aws_cloudtrail_log WHERE event_source = 'ec2.amazonaws.com' AND event_name LIKE '%SecurityGroup%' AND event_time > current_date - interval '1 day'`,
			want: []string{ts("05") + "|" + arnAdmin + "|AuthorizeSecurityGroupIngress|" + compactJSON("05", "requestParameters")}},
		{name: "alert: root last hour", sql: `SELECT COUNT(*) FROM aws_cloudtrail_log WHERE user_identity.type = 'Root' AND event_time > current_timestamp - interval '1 hour'`, want: []string{"0"}},
		{name: "dashboard: events by service, 7 days", sql: `SELECT event_source, COUNT(*) AS count FROM aws_cloudtrail_log WHERE event_time > current_date - interval '7 day' GROUP BY event_source ORDER BY count DESC`, unordered: true, want: []string{
			"signin.amazonaws.com|3", "s3.amazonaws.com|3", "iam.amazonaws.com|3", "ec2.amazonaws.com|2",
			"sts.amazonaws.com|1", "cloudtrail.amazonaws.com|1", "kms.amazonaws.com|1"}},
		{name: "time-filtered console logins", sql: `SELECT * FROM aws_cloudtrail_log WHERE event_name = 'ConsoleLogin' AND event_time > current_date - interval '30 day';`, count: 3},
		{name: "pci admin actions", sql: `SELECT 
  event_time,
  event_name,
  user_identity.arn AS user_arn,
  source_ip_address
FROM aws_cloudtrail_log
WHERE 
  user_identity.arn LIKE '%admin%' OR
  user_identity.arn LIKE '%Admin%' OR
  (event_source = 'iam.amazonaws.com' AND event_name LIKE '%Admin%')
ORDER BY event_time DESC;`, want: []string{
			ts("05") + "|AuthorizeSecurityGroupIngress|" + arnAdmin + "|198.51.100.7",
			ts("11") + "|StopLogging|" + arnAdmin + "|203.0.113.9",
			ts("15") + "|CreateUser|arn:aws:iam::123456789012:user/admin-ops|198.51.100.8",
		}},
		{name: "audit report, 90 days", sql: `SELECT 
  date_trunc('day', event_time) AS day,
  event_source,
  event_name,
  COUNT(*) AS count
FROM aws_cloudtrail_log
WHERE 
  (event_source IN ('iam.amazonaws.com', 'kms.amazonaws.com', 'cloudtrail.amazonaws.com') OR
   event_name LIKE '%Security%' OR
   event_name LIKE '%Encrypt%' OR
   event_name LIKE '%Policy%') AND
  event_time > current_date - interval '90 day'
GROUP BY day, event_source, event_name
ORDER BY day DESC, count DESC;`, unordered: true, want: []string{
			day(1) + "|ec2.amazonaws.com|AuthorizeSecurityGroupIngress|1",
			day(1) + "|s3.amazonaws.com|PutBucketPolicy|1",
			day(2) + "|cloudtrail.amazonaws.com|StopLogging|1",
			day(2) + "|kms.amazonaws.com|Decrypt|1",
			day(3) + "|iam.amazonaws.com|AttachUserPolicy|1",
			day(3) + "|iam.amazonaws.com|GetRolePolicy|1",
			day(4) + "|iam.amazonaws.com|CreateUser|1",
		}},
		{name: "incident: suspicious ip", sql: `SELECT 
  event_time,
  event_source,
  event_name,
  user_identity.arn AS user_arn,
  request_parameters
FROM aws_cloudtrail_log
WHERE source_ip_address = '192.0.2.123'
ORDER BY event_time;`},
		{name: "incident: compromised user", sql: `SELECT 
  event_time,
  event_source,
  event_name,
  source_ip_address,
  user_agent,
  request_parameters
FROM aws_cloudtrail_log
WHERE user_identity.arn = 'arn:aws:iam::123456789012:user/compromised-user'
ORDER BY event_time;`},
	}
}

// day is fixture day n as date_trunc('day', timestamp) prints it.
func day(n int) string { return fixtureDay(n).Format("2006-01-02 15:04:05") }

// TestBlogQueriesThroughPsql collects a folder in the S3 delivery layout,
// serves it, and runs every query of the blog post verbatim through psql.
func TestBlogQueriesThroughPsql(t *testing.T) {
	testsupport.Tool(t, "psql", "apt-get install postgresql-client")
	e := newEnv(t)
	logs := filepath.Join(t.TempDir(), "trail")
	events := writeFixture(t, logs)
	cfg := fmt.Sprintf(`
partition "aws_cloudtrail_log" "local" {
  source "file" {
    paths       = [%q]
    file_layout = `+"`"+`AWSLogs/%%{NUMBER:account_id}/CloudTrail/%%{DATA:region}/%%{YEAR:year}/%%{MONTHNUM:month}/%%{MONTHDAY:day}/%%{DATA}.json.gz`+"`"+`
  }
}
`, logs)
	if err := os.WriteFile(filepath.Join(e.configDir, "aws.tpc"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := e.run(t, "collect", "--from", "2000-01-01")
	if code != 0 {
		t.Fatalf("collect exited %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, fmt.Sprintf("Rows:  %d saved", events)) {
		t.Fatalf("collect summary does not report %d rows:\n%s", events, out)
	}
	out, errOut, code = e.run(t, "collect", "--from", "2000-01-01")
	if code != 0 || !strings.Contains(out, "0 collected") || !strings.Contains(out, "Rows:  0 saved") {
		t.Fatalf("second collect was not a no-op (exit %d):\n%s\n%s", code, out, errOut)
	}

	port := e.serve(t)
	rows, err := psql(t, port, "select count(*) from aws_cloudtrail_log")
	if err != nil || len(rows) != 1 || rows[0] != fmt.Sprint(events) {
		t.Fatalf("count(*) = %v, %v; want %d", rows, err, events)
	}
	for _, q := range blogQueries() {
		t.Run(q.name, func(t *testing.T) {
			got, err := psql(t, port, q.sql)
			if q.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), q.wantErr) {
					t.Fatalf("want error containing %q, got rows %v err %v", q.wantErr, got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case q.firstOnly:
				if len(got) != q.count || got[0] != q.want[0] {
					t.Fatalf("got %d rows, first %q; want %d rows, first %q", len(got), got[0], q.count, q.want[0])
				}
			case q.count > 0:
				if len(got) != q.count {
					t.Fatalf("got %d rows, want %d", len(got), q.count)
				}
			default:
				want := q.want
				if q.sortArrays {
					for i := range got {
						got[i] = sortArrayFields(got[i])
					}
				}
				if q.unordered {
					got, want = sortedCopy(got), sortedCopy(want)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("rows differ\n got: %q\nwant: %q", got, want)
				}
			}
		})
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	sort.Strings(c)
	return c
}

// sortArrayFields sorts the elements of each {a,b,c} field of a psql row.
func sortArrayFields(row string) string {
	fields := strings.Split(row, "|")
	for i, f := range fields {
		if strings.HasPrefix(f, "{") && strings.HasSuffix(f, "}") {
			elems := strings.Split(f[1:len(f)-1], ",")
			sort.Strings(elems)
			fields[i] = "{" + strings.Join(elems, ",") + "}"
		}
	}
	return strings.Join(fields, "|")
}
