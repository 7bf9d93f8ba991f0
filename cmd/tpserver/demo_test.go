package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestDemoWhenNothingIsConfigured is the README's first command: serve with
// no configuration answers from the built-in demo data.
func TestDemoWhenNothingIsConfigured(t *testing.T) {
	e := newEnv(t)
	port, stop := e.serveStoppable(t)
	rows, err := psql(t, port, "select count(*) from aws_cloudtrail_log")
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(rows[0])
	if err != nil || n < 10000 {
		t.Fatalf("demo count = %v", rows)
	}
	checks := map[string]string{
		"root console logins":      "select count(*) > 0 from aws_cloudtrail_log where user_identity.type = 'Root' and event_name = 'ConsoleLogin'",
		"logins without mfa":       `select count(*) > 0 from aws_cloudtrail_log where event_name = 'ConsoleLogin' and additional_event_data::text LIKE '%"MFAUsed":"No"%'`,
		"security group to world":  "select count(*) > 0 from aws_cloudtrail_log where event_name = 'AuthorizeSecurityGroupIngress' and request_parameters::text like '%0.0.0.0/0%'",
		"role assumptions":         "select count(*) > 0 from aws_cloudtrail_log where event_name = 'AssumeRole' and (request_parameters->>'roleArn') is not null",
		"errors":                   "select count(*) > 0 from aws_cloudtrail_log where error_code is not null",
		"activity in the last day": "select count(*) > 0 from aws_cloudtrail_log where event_time > current_date - interval '1 day'",
		"several accounts":         "select count(distinct recipient_account_id) >= 3 from aws_cloudtrail_log",
		"nothing in the future":    "select max(event_time) <= now()::timestamp from aws_cloudtrail_log",
		"unique ids":               "select count(distinct tp_id) = count(*) from aws_cloudtrail_log",
	}
	for name, q := range checks {
		rows, err := psql(t, port, q)
		if err != nil || len(rows) != 1 || rows[0] != "t" {
			t.Errorf("%s: %v %v", name, rows, err)
		}
	}
	// A restart reuses the generated and collected data. The server stops
	// first: its background refresh (and the compaction after it) holds
	// the partition's lock while it runs.
	stop()
	_, errOut, code := e.run(t, "collect")
	if code != 0 || strings.Contains(errOut, "generated demo") {
		t.Fatalf("second use regenerated the demo (exit %d): %s", code, errOut)
	}
}
