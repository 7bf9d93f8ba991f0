package pgsql

import (
	"fmt"
	"testing"
)

// dashboardStatements are the kinds of statement a CloudTrail dashboard
// sends on each refresh: the blog's queries and Grafana's macro
// expansions ($__timeFilter, $__timeGroupAlias, $__timeEpoch), with the
// time range as literals, as Grafana sends them.
func dashboardStatements(from, to string) []string {
	tf := fmt.Sprintf("event_time BETWEEN '%s' AND '%s'", from, to)
	return []string{
		`SELECT floor(extract(epoch from event_time)/300)*300 AS "time", count(*) AS "events" FROM aws_cloudtrail_log WHERE ` + tf + ` GROUP BY 1 ORDER BY 1`,
		`SELECT event_source, count(*) AS event_count FROM aws_cloudtrail_log WHERE ` + tf + ` GROUP BY event_source ORDER BY event_count DESC LIMIT 10`,
		`SELECT event_time, user_identity.arn AS user_arn, event_source, event_name, error_code, error_message FROM aws_cloudtrail_log WHERE error_code IN ('AccessDenied', 'UnauthorizedOperation') AND ` + tf + ` ORDER BY event_time DESC`,
		`SELECT event_time, event_name, source_ip_address, user_agent FROM aws_cloudtrail_log WHERE user_identity.type = 'Root' AND ` + tf + ` ORDER BY event_time DESC`,
		`SELECT event_time, user_identity.arn AS user_arn, event_name, request_parameters->>'groupId' AS security_group_id FROM aws_cloudtrail_log WHERE event_name IN ('AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress') AND ` + tf,
		`SELECT extract(epoch from event_time) AS "time", aws_region AS metric, count(*) AS value FROM aws_cloudtrail_log WHERE ` + tf + ` GROUP BY 1, 2 ORDER BY 1`,
		`SELECT source_ip_address, count(*) AS event_count, count(DISTINCT user_identity.arn) AS unique_users, array_agg(DISTINCT event_name) AS event_types FROM aws_cloudtrail_log WHERE ` + tf + ` GROUP BY source_ip_address HAVING count(*) > 100 ORDER BY event_count DESC`,
		`SELECT date_trunc('hour', event_time) AS hour, count(*) FILTER (WHERE error_code IS NOT NULL) * 100.0 / count(*) AS error_rate FROM aws_cloudtrail_log WHERE ` + tf + ` GROUP BY 1 ORDER BY 1`,
		`SELECT event_time, event_name, user_identity.user_name FROM aws_cloudtrail_log WHERE event_name = 'ConsoleLogin' AND additional_event_data->>'MFAUsed' = 'No' AND ` + tf + ` ORDER BY event_time DESC LIMIT 100`,
		`SELECT count(*) / 7 AS per_day, count(DISTINCT recipient_account_id) AS accounts FROM aws_cloudtrail_log WHERE event_name LIKE '%Bucket%' AND ` + tf,
	}
}

// benchStatements are the dashboard's statements and the captured client
// corpus (catalog queries of psql, JDBC, Grafana, Metabase, DBeaver ...).
func benchStatements(b *testing.B) []string {
	stmts := dashboardStatements("2024-01-01T00:00:00Z", "2024-01-08T00:00:00Z")
	for _, s := range loadCorpus(b) {
		stmts = append(stmts, s.sql)
	}
	return stmts
}

// BenchmarkTranslateCorpus measures a statement's translation: uncached (parse,
// rules, deparse when changed) and cached (the look-up by text that every
// repeated statement costs). ns/op is per statement.
func BenchmarkTranslateCorpus(b *testing.B) {
	stmts := benchStatements(b)
	tr := New(corpusObjects())
	b.Run("uncached", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			tr.translate(stmts[i%len(stmts)])
		}
	})
	b.Run("cached", func(b *testing.B) {
		for _, s := range stmts {
			tr.Translate(s)
		}
		for i := 0; b.Loop(); i++ {
			tr.Translate(stmts[i%len(stmts)])
		}
	})
	b.Run("dashboard-uncached", func(b *testing.B) {
		dash := dashboardStatements("2024-01-01T00:00:00Z", "2024-01-08T00:00:00Z")
		for i := 0; b.Loop(); i++ {
			tr.translate(dash[i%len(dash)])
		}
	})
}
