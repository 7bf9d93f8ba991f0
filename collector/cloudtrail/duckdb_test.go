package cloudtrail

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/lake"
)

// jsonWordRE matches the JSON type name inside (possibly nested) DuckDB types.
var jsonWordRE = regexp.MustCompile(`\bJSON\b`)

// TestDuckDBRoundTrip appends mapped rows with duckdb-go's Appender into a
// table whose JSON columns are VARCHAR, then reads them back through the
// exact lake types, proving the value representation.
func TestDuckDBRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	table := lake.CloudTrailLog()
	var defs, casts []string
	for _, c := range table.Columns {
		defs = append(defs, lake.QuoteIdent(c.Name)+" "+jsonWordRE.ReplaceAllString(c.Type, "VARCHAR"))
		casts = append(casts, fmt.Sprintf("CAST(%s AS %s) AS %s", lake.QuoteIdent(c.Name), c.Type, lake.QuoteIdent(c.Name)))
	}
	if _, err := conn.ExecContext(ctx, "CREATE TABLE staging ("+strings.Join(defs, ", ")+")"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "CREATE VIEW ct AS SELECT "+strings.Join(casts, ", ")+" FROM staging"); err != nil {
		t.Fatal(err)
	}

	m, err := NewMapper(testSource())
	if err != nil {
		t.Fatal(err)
	}
	events := []json.RawMessage{
		readFixture(t, "assumed_role.json"), readFixture(t, "root_console_login.json"),
		json.RawMessage(awsServiceEvent), json.RawMessage(errorEvent), json.RawMessage(resourcesEvent),
		json.RawMessage(tlsEvent), json.RawMessage(stringBoolsEvent),
		json.RawMessage(`{"eventTime":"2024-01-01T00:00:00Z","eventID":"minimal"}`),
	}
	err = conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "staging")
		if err != nil {
			return err
		}
		for i, raw := range events {
			row, _, err := m.Map(raw)
			if err != nil {
				return fmt.Errorf("event %d: %w", i, err)
			}
			vals := make([]driver.Value, len(row))
			for j, v := range row {
				vals[j] = v
			}
			if err := app.AppendRow(vals...); err != nil {
				return fmt.Errorf("append event %d: %w", i, err)
			}
		}
		return app.Close()
	})
	if err != nil {
		t.Fatal(err)
	}

	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM ct").Scan(&n); err != nil || n != len(events) {
		t.Fatalf("count %d, %v; want %d", n, err, len(events))
	}
	// Each check runs one SQL expression against one event.
	checks := []struct {
		eventID, expr string
		want          any
	}{
		{"11111111-1111-4111-8111-111111111111", "user_identity.session_context.session_issuer.arn", "arn:aws:iam::111122223333:role/Admin"},
		{"11111111-1111-4111-8111-111111111111", "request_parameters->>'roleArn'", "x"},
		{"11111111-1111-4111-8111-111111111111", "request_parameters::VARCHAR", `{"roleArn":"x","roleSessionName":"y","a":1}`},
		{"11111111-1111-4111-8111-111111111111", "user_identity.session_context.attributes.creation_date", int64(1709294400000)},
		{"11111111-1111-4111-8111-111111111111", "user_identity.session_context.attributes.mfa_authenticated", "false"},
		{"11111111-1111-4111-8111-111111111111", "user_identity.session_context.web_id_federation_data.attributes->>'aud'", "sts.amazonaws.com"},
		{"11111111-1111-4111-8111-111111111111", "json_type(user_identity.session_context.web_id_federation_data.attributes)", "OBJECT"},
		{"11111111-1111-4111-8111-111111111111", "response_elements->'credentials'->>'accessKeyId'", "ASIANEWKEY"},
		{"11111111-1111-4111-8111-111111111111", "read_only AND management_event", true},
		{"11111111-1111-4111-8111-111111111111", "tp_ips[1]", "203.0.113.10"},
		{"11111111-1111-4111-8111-111111111111", "strftime(event_time, '%Y-%m-%dT%H:%M:%S')", "2024-03-01T12:34:56"},
		{"11111111-1111-4111-8111-111111111111", "tp_date::VARCHAR", "2024-03-01"},
		{"11111111-1111-4111-8111-111111111111", "tp_ingest_timestamp::VARCHAR", "2024-05-01 10:00:00"},
		{"22222222-2222-4222-8222-222222222222", `additional_event_data::text LIKE '%"MFAUsed":"No"%'`, true},
		{"22222222-2222-4222-8222-222222222222", "additional_event_data->>'MFAUsed'", "No"},
		{"22222222-2222-4222-8222-222222222222", "user_identity.session_context IS NULL", true},
		{"22222222-2222-4222-8222-222222222222", "user_identity.session_context.session_issuer IS NULL", true},
		{"22222222-2222-4222-8222-222222222222", "request_parameters IS NULL", true},
		{"22222222-2222-4222-8222-222222222222", "strftime(event_time, '%Y-%m-%dT%H:%M:%S.%g')", "2024-03-02T08:00:00.123"},
		{"33333333-3333-4333-8333-333333333333", "user_identity.invoked_by", "cloudtrail.amazonaws.com"},
		{"33333333-3333-4333-8333-333333333333", "user_identity.access_key_id IS NULL", true},
		{"33333333-3333-4333-8333-333333333333", "service_event_details->>'rotationType'", "AUTOMATIC"},
		{"44444444-4444-4444-8444-444444444444", "error_code", "AccessDenied"},
		{"44444444-4444-4444-8444-444444444444", "array_to_string(tp_usernames, ',')", "AKIAIOSFODNN7EXAMPLE,bob"},
		{"55555555-5555-4555-8555-555555555555", "json_array_length(resources)", uint64(6)},
		{"55555555-5555-4555-8555-555555555555", "resources->0->>'ARN'", "arn:aws:s3:::my-bucket"},
		{"55555555-5555-4555-8555-555555555555", "list_contains(tp_akas, 'i-0abc') AND list_contains(tp_akas, 'my-bucket')", true},
		{"55555555-5555-4555-8555-555555555555", "user_identity.session_context.session_issuer IS NOT NULL AND user_identity.session_context.session_issuer.arn IS NULL", true},
		{"55555555-5555-4555-8555-555555555555", "user_identity.session_context.attributes.creation_date IS NULL", true},
		{"66666666-6666-4666-8666-666666666666", "tls_details.tls_version", "TLSv1.3"},
		{"66666666-6666-4666-8666-666666666666", "vpc_endpoint_id", "vpce-0123456789abcdef0"},
		{"66666666-6666-4666-8666-666666666666", "edge_device_details->>'deviceId'", "dev-1"},
		{"66666666-6666-4666-8666-666666666666", "read_only AND NOT management_event", true},
		{"77777777-7777-4777-8777-777777777777", "request_parameters->>'$'", "weird string params"},
		{"77777777-7777-4777-8777-777777777777", "session_credential_from_console", "true"},
		{"minimal", "user_identity IS NULL AND tls_details IS NULL AND tp_akas IS NULL AND tp_usernames IS NULL", true},
		{"minimal", "tp_index || '/' || tp_partition || '/' || tp_table || '/' || tp_source_type", "default/prod/aws_cloudtrail_log/file"},
	}
	for _, c := range checks {
		var got any
		q := "SELECT " + c.expr + " FROM ct WHERE event_id = ?"
		if err := conn.QueryRowContext(ctx, q, c.eventID).Scan(&got); err != nil {
			t.Errorf("%s [%s]: %v", c.expr, c.eventID, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s [%s] = %#v, want %#v", c.expr, c.eventID, got, c.want)
		}
	}
	// Typed read-back of timestamps: UTC, exact.
	var et, ing time.Time
	if err := conn.QueryRowContext(ctx, "SELECT event_time, tp_ingest_timestamp FROM ct WHERE event_id = '66666666-6666-4666-8666-666666666666'").Scan(&et, &ing); err != nil {
		t.Fatal(err)
	}
	if !et.Equal(time.Date(2024, 3, 6, 8, 0, 0, 0, time.UTC)) || !ing.Equal(testIngest) {
		t.Errorf("event_time %v, tp_ingest_timestamp %v", et, ing)
	}
	// The view's column types are exactly the lake types.
	rows, err := conn.QueryContext(ctx, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'ct' ORDER BY ordinal_position")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		if c := table.Columns[i]; name != c.Name {
			t.Errorf("column %d: %s, want %s", i, name, c.Name)
		}
		i++
	}
	if i != len(table.Columns) {
		t.Errorf("%d columns, want %d", i, len(table.Columns))
	}
}
