package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tpserver/tpserver/internal/testsupport"
	"github.com/tpserver/tpserver/lake"
)

// jsonRows are CloudTrail-shaped rows: a Resources array, requestParameters
// with nested objects and arrays, a NULL, and jsonb's corner cases.
var jsonRows = []string{
	`(1, '{"bucketName":"logs-prod","Host":"logs-prod.s3.amazonaws.com","acl":"","tags":{"env":"prod","team":"sec"},"ids":[3,1,2]}', '{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice","session_context":{"mfa_authenticated":"true"}}', '[{"accountId":"123456789012","ARN":"arn:aws:s3:::logs-prod","type":"AWS::S3::Bucket"},{"ARN":"arn:aws:s3:::logs-prod/a.txt","type":"AWS::S3::Object"}]', 'PutObject')`,
	`(2, '{"userName":"alice","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess","n":1.50,"big":12345678901234567890,"b":true,"z":null}', '{"type":"Root","arn":"arn:aws:iam::123456789012:root","session_context":null}', '[]', 'AttachUserPolicy')`,
	`(3, NULL, NULL, NULL, 'ConsoleLogin')`,
	`(4, '{"instancesSet":{"items":[{"instanceId":"i-1","state":"running"},{"instanceId":"i-2","state":"stopped"}]},"b":2,"a":1,"b":3}', NULL, '[{"ARN":"arn:aws:ec2:us-east-1:123456789012:instance/i-1"}]', 'RunInstances')`,
}

// jsonCases are statements whose answers tpserver's translation must give
// exactly as PostgreSQL 15 does, over the table ct(id, request_parameters
// json, user_identity json, resources json, event_name text).
var jsonCases = append(append(append(jsonCasesMain, jsonMoreCases...), jsonSelectListEach...), append(append(jsonInsertCases, jsonGroupedCases...), append(jsonRecordCases, jsonSubscriptCases...)...)...)

// jsonCasesMain are the operators and functions on ct's CloudTrail-shaped
// values.
var jsonCasesMain = []string{
	// -> ->> with keys, indexes, negative indexes, chains; precedence.
	`SELECT id, request_parameters -> 'bucketName', request_parameters ->> 'bucketName', request_parameters -> 'tags' ->> 'env', request_parameters -> 'ids' -> 0, request_parameters -> 'ids' -> -1, request_parameters -> 'missing' FROM ct ORDER BY id`,
	`SELECT id FROM ct WHERE request_parameters ->> 'bucketName' = 'logs-prod' OR request_parameters ->> 'userName' = 'alice' ORDER BY id`,
	`SELECT id, resources -> 0 ->> 'ARN', resources -> -1 ->> 'type', resources ->> 5 FROM ct ORDER BY id`,
	`SELECT id, request_parameters #> '{instancesSet,items,1}', request_parameters #>> '{instancesSet,items,0,instanceId}', request_parameters #>> ARRAY['tags','team'] FROM ct ORDER BY id`,
	`SELECT id, (request_parameters ->> 'a')::int + 1, request_parameters::jsonb -> 'b', request_parameters::jsonb ->> 'n' FROM ct WHERE id IN (2, 4) ORDER BY id`,
	// jsonb: canonical text, duplicate keys, numbers, equality.
	`SELECT id, request_parameters::jsonb FROM ct ORDER BY id`,
	`SELECT '{"a":"1"}'::jsonb -> 'a', '{"b":1, "a": [1,2], "aa": {"y":2,"x":1}}'::jsonb, '[1.50, 1e2, -0, 12.5e-1, 1E-2, "a\u00e9\n\u0001/\""]'::jsonb`,
	`SELECT '{"a":1,"a":2}'::jsonb, '{"a":1,"a":2}'::jsonb -> 'a', '{"a":{"c":1,"b":2}}'::jsonb -> 'a', '{"a":{"c":1,"b":2}}'::jsonb ->> 'a'`,
	`SELECT '{"a":1, "b":2}'::jsonb = '{"b":2,"a":1}'::jsonb, '{"a":1}'::jsonb = '{ "a" : 1 }', '{"a":1}'::json::jsonb <> '{"a":2}'::jsonb`,
	// Containment and existence.
	`SELECT id, request_parameters::jsonb @> '{"tags":{"env":"prod"}}', resources::jsonb @> '[{"type":"AWS::S3::Object"}]', '{"b":[2]}' <@ request_parameters::jsonb FROM ct ORDER BY id`,
	`SELECT id, request_parameters::jsonb ? 'bucketName', request_parameters::jsonb ?| array['userName','x'], request_parameters::jsonb ?& array['a','b'], request_parameters::jsonb ?| '{acl,n}' FROM ct ORDER BY id`,
	`SELECT '[1,2]'::jsonb @> '1', '["a"]'::jsonb ? 'a', '{"a":1,"b":[1,2]}'::jsonb @> '{"b":[2]}', '{"a":1}'::jsonb @> '{"a":2}'`,
	// || - #-
	`SELECT '{"a":1}'::jsonb || '{"b":2}', '[1]'::jsonb || '2', '{"a":1,"b":2}'::jsonb - 'a', '[1,2,3]'::jsonb - 1, '[1,2,3]'::jsonb - -1, '{"a":{"b":1,"c":2}}'::jsonb #- '{a,b}', '{"a":1,"b":2,"c":3}'::jsonb - array['a','c']`,
	`SELECT id, request_parameters::jsonb - 'ids' || '{"x":true}' FROM ct ORDER BY id`,
	// Functions.
	`SELECT id, json_typeof(request_parameters), jsonb_typeof(request_parameters::jsonb -> 'ids'), json_typeof(request_parameters -> 'b'), json_typeof(request_parameters -> 'z'), json_typeof(request_parameters -> 'n'), json_array_length(resources), jsonb_array_length(resources::jsonb) FROM ct ORDER BY id`,
	`SELECT jsonb_pretty('{"a":[1,{"b":null}],"c":{}}'), jsonb_pretty('[]'), jsonb_strip_nulls('{"a":null,"b":[null,{"c":null}]}')`,
	`SELECT jsonb_set('{"a":[1,2]}', '{a,0}', '"x"'), jsonb_set('{"a":1}', '{b}', '2'), jsonb_set('{"a":1}', '{b}', '2', false), jsonb_set('{"a":{"b":1}}'::jsonb, ARRAY['a','c'], '[1, 2]')`,
	`SELECT id, jsonb_extract_path(request_parameters::jsonb, 'tags', 'env'), jsonb_extract_path_text(request_parameters::jsonb, 'instancesSet', 'items', '1', 'state'), json_extract_path(request_parameters, 'tags'), json_extract_path_text(request_parameters, 'ids', '2') FROM ct ORDER BY id`,
	`SELECT json_build_object('a', 1, 'b', json_build_array(1, 'x', NULL), 'c', true), json_build_object(), json_build_array(), jsonb_build_object('b', 1, 'a', '{"z":1}'::json), jsonb_build_array(1, 'two', NULL)`,
	`SELECT json_object('{a,1,b,2}'), json_object('{a,b}', '{1,2}'), to_json('x'::text), to_jsonb(1.5), to_json(true), to_json(3)`,
	`SELECT row_to_json(t), to_json(t) FROM (VALUES (1, 'a')) t(x, y)`,
	// Aggregates.
	`SELECT json_agg(id ORDER BY id DESC), jsonb_agg(event_name ORDER BY id), json_agg(request_parameters -> 'a' ORDER BY id) FROM ct`,
	`SELECT json_object_agg(event_name, id ORDER BY id), jsonb_object_agg(event_name, id) FROM ct`,
	`SELECT json_agg(t ORDER BY t.x) FROM (VALUES (1, 'a'), (2, 'b')) t(x, y)`,
	`SELECT json_agg(id) FILTER (WHERE id > 1), json_agg(id) FILTER (WHERE id > 9) FROM ct`,
	// A STRUCT column (user_identity) read as json.
	`SELECT id, user_identity ->> 'arn', user_identity -> 'session_context' ->> 'mfa_authenticated', user_identity::jsonb -> 'session_context', user_identity #>> '{session_context,mfa_authenticated}' FROM ct ORDER BY id`,
	`SELECT id FROM ct WHERE user_identity::jsonb @> '{"type":"Root"}' OR user_identity ->> 'type' = 'IAMUser' ORDER BY id`,
	// Set-returning functions in FROM, LATERAL and in the select list.
	`SELECT ct.id, r ->> 'ARN' FROM ct, jsonb_array_elements(ct.resources::jsonb) r ORDER BY 1, 2`,
	`SELECT ct.id, r.value ->> 'ARN', r.value FROM ct CROSS JOIN LATERAL json_array_elements(ct.resources) AS r ORDER BY 1, 2`,
	`SELECT * FROM jsonb_array_elements('[1, {"b":2,"a":1}, "x"]')`,
	`SELECT * FROM json_array_elements_text('["a", 1, null, {"b":2}]') AS e`,
	`SELECT e.key, e.value FROM ct, jsonb_each(ct.request_parameters::jsonb) e WHERE ct.id = 1 ORDER BY 1`,
	`SELECT key, value FROM json_each_text('{"a":"x","b":1,"c":null}') ORDER BY key`,
	`SELECT k FROM ct, jsonb_object_keys(ct.request_parameters::jsonb) k WHERE id = 4 ORDER BY k`,
	`SELECT jsonb_array_elements('[{"a":1},{"a":2}]') ->> 'a'`,
	`SELECT jsonb_array_elements_text(resources::jsonb -> 0 -> 'ARN' || '[]') FROM ct WHERE id = 1`,
	`SELECT json_object_keys('{"b":1,"a":2}'), 1`,
	`SELECT r.value, r.ordinality FROM jsonb_array_elements('["x", "y"]') WITH ORDINALITY r ORDER BY 2`,
	`SELECT ct.id, e.v, e.n FROM ct, json_array_elements_text(ct.request_parameters -> 'ids') WITH ORDINALITY e(v, n) ORDER BY 1, 3`,
	// to_json of timestamps and numerics.
	`SELECT to_json(TIMESTAMP '2024-01-01 01:02:03.5'), to_json(TIMESTAMPTZ '2024-01-01 01:02:03'), to_json(DATE '2024-01-01'), to_json(1.50::numeric(4,2)), json_build_object('t', TIMESTAMP '2024-05-06 07:08:09', 'n', 2.50::numeric(5,2)), to_jsonb(TIMESTAMP '2024-01-01 01:02:03')`,
	// SQL/JSON path.
	`SELECT jsonb_path_query('{"a":[{"b":1},{"b":2}]}', '$.a[*].b')`,
	`SELECT id, jsonb_path_query_first(request_parameters::jsonb, '$.instancesSet.items[*] ? (@.state == "stopped").instanceId'), jsonb_path_exists(request_parameters::jsonb, '$.tags ? (@.env == "prod")'), jsonb_path_match(request_parameters::jsonb, '$.b == 2') FROM ct ORDER BY id`,
	`SELECT * FROM jsonb_path_query('{"a":[1,2,3]}', 'lax $.a[*] ? (@ > 1)') q`,
}

// TestJSONMatchesPostgres runs each jsonCase on PostgreSQL 15 and its
// translation on the catalog's DuckDB and compares the text of the answers.
func TestJSONMatchesPostgres(t *testing.T) {
	pg := testsupport.RequirePostgres(t, "tester", "cloudtrail")
	ctx := context.Background()
	pc, err := pgconn.Connect(ctx, pg.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close(ctx)
	c := open(t, t.TempDir())
	defer c.Close()
	const cols = "(id int, request_parameters json, user_identity json, resources json, event_name text)"
	values := "INSERT INTO ct VALUES " + strings.Join(jsonRows, ", ")
	if _, err := pc.Exec(ctx, "CREATE TABLE ct "+cols+"; "+values).ReadAll(); err != nil {
		t.Fatal(err)
	}
	// user_identity is a STRUCT in DuckDB, as in the lake; clients see json.
	const ui = "STRUCT(type VARCHAR, arn VARCHAR, session_context STRUCT(mfa_authenticated VARCHAR))"
	if _, err := c.DB().Exec("CREATE TABLE ct " + cols + "; " + values + "; ALTER TABLE ct ALTER user_identity TYPE " + ui + " USING CAST(user_identity AS " + ui + ")"); err != nil {
		t.Fatal(err)
	}
	for _, q := range jsonErrorCases {
		if _, err := pc.Exec(ctx, q).ReadAll(); err == nil {
			t.Errorf("PostgreSQL accepts %s", q)
		}
		tq := c.TranslateSQL(q)
		if got, err := duckText(c.DB(), tq); err == nil {
			t.Errorf("%s\n  translated: %s\n  answers %q where PostgreSQL fails", q, tq, got)
		}
	}
	for _, q := range jsonCases {
		res, err := pc.Exec(ctx, q).ReadAll()
		if err != nil {
			t.Errorf("PostgreSQL: %s: %v", q, err)
			continue
		}
		want := pgText(res[0])
		tq := c.TranslateSQL(q)
		got, err := duckText(c.DB(), tq)
		if err != nil {
			t.Errorf("%s\n  translated: %s\n  %v", q, tq, err)
			continue
		}
		if got != want {
			t.Errorf("%s\n  translated: %s\n  PostgreSQL: %s\n  tpserver:   %s", q, tq, want, got)
		}
	}
	t.Logf("%d statements compared with PostgreSQL, %d errors", len(jsonCases), len(jsonErrorCases))
}

// pgText renders a result as rows of |-separated text values.
func pgText(r *pgconn.Result) string {
	var rows []string
	for _, row := range r.Rows {
		var vals []string
		for _, v := range row {
			if v == nil {
				vals = append(vals, "NULL")
			} else {
				vals = append(vals, string(v))
			}
		}
		rows = append(rows, strings.Join(vals, "|"))
	}
	return strings.Join(rows, "\n")
}

// duckText runs q and renders its answer as pgwire's text format would:
// JSON and lists as their text, booleans as t and f.
func duckText(db *sql.DB, q string) (string, error) {
	rows, err := db.Query("SELECT CAST(COLUMNS(*) AS VARCHAR) FROM (" + q + ")")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	types, err := typesOf(db, q)
	if err != nil {
		return "", err
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(types))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		var s []string
		for i, v := range vals {
			switch {
			case !v.Valid:
				s = append(s, "NULL")
			case types[i] == "BOOLEAN":
				s = append(s, v.String[:1])
			default:
				s = append(s, v.String)
			}
		}
		out = append(out, strings.Join(s, "|"))
	}
	return strings.Join(out, "\n"), rows.Err()
}

func typesOf(db *sql.DB, q string) ([]string, error) {
	rows, err := db.Query("SELECT column_type FROM (DESCRIBE " + q + ")")
	if err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// BenchmarkJSON measures the json rule's translations over 100,000
// CloudTrail-shaped rows: DuckDB's own JSON functions (json) against the Go
// functions (jsonb).
func BenchmarkJSON(b *testing.B) {
	c, err := Open(context.Background(), Options{DataDir: b.TempDir(), Tables: []lake.Table{lake.CloudTrailLog()}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if _, err := c.DB().Exec(`CREATE TABLE bt AS SELECT i AS id, CAST('{"bucketName":"bucket-' || (i % 100) || '","Host":"s3.amazonaws.com","key":"logs/' || i ||
		'/a.json","tags":{"env":"prod","team":"sec"},"x-amz-acl":"private","ids":[3,1,2],"n":1.50}' AS JSON) AS request_parameters FROM range(100000) t(i)`); err != nil {
		b.Fatal(err)
	}
	for _, q := range []struct{ name, sql string }{
		{"json_extract", `SELECT count(*) FROM bt WHERE request_parameters ->> 'bucketName' = 'bucket-7'`},
		{"json_path", `SELECT count(*) FROM bt WHERE request_parameters #>> '{tags,env}' = 'prod'`},
		{"jsonb_extract", `SELECT count(*) FROM bt WHERE request_parameters::jsonb ->> 'bucketName' = 'bucket-7'`},
		{"jsonb_contains", `SELECT count(*) FROM bt WHERE request_parameters::jsonb @> '{"bucketName":"bucket-7"}'`},
		{"jsonb_canon", `SELECT max(CAST(request_parameters::jsonb AS text)) FROM bt`},
		{"go_trivial", `SELECT count(*) FROM bt WHERE tp_go_jsonb(CAST(id AS VARCHAR)) = '7'`},
		{"json_text", `SELECT max(CAST(request_parameters AS text)) FROM bt`},
	} {
		tq := c.TranslateSQL(q.sql)
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				var v any
				if err := c.DB().QueryRow(tq).Scan(&v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
