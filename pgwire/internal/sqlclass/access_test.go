package sqlclass

import (
	"reflect"
	"testing"
)

// TestTargets checks what statements are read to create, change or drop,
// from the parse tree and from DuckDB's tokens.
func TestTargets(t *testing.T) {
	for _, c := range []struct {
		sql  string
		want []Name
	}{
		{"create table t as select * from aws_cloudtrail_log", []Name{{Name: "t"}}},
		{"insert into s.t select 1", []Name{{Schema: "s", Name: "t"}}},
		{"with d as (delete from x returning 1) select * from d", []Name{{Name: "x"}}},
		{"drop view if exists main.aws_cloudtrail_log, v cascade", []Name{{Schema: "main", Name: "aws_cloudtrail_log"}, {Name: "v"}}},
		{"drop schema tpserver cascade", []Name{{Schema: "tpserver"}}},
		{"alter schema tpserver rename to y", []Name{{Schema: "tpserver"}}},
		{"comment on column t.c is 'x'", []Name{{Name: "t"}}},
		{"copy t from stdin", []Name{{Name: "t"}}},
		{"copy t to stdout", nil},
		{"select * from t", nil},
		{"CREATE OR REPLACE TABLE r AS FROM aws_cloudtrail_log", []Name{{Name: "r"}}},
		{"INSERT OR REPLACE INTO tp.x VALUES (1)", []Name{{Schema: "tp", Name: "x"}}},
		{"CREATE TEMP MACRO twice(x) AS x * 2", []Name{{Schema: "temp", Name: "twice"}}},
		{"PREPARE p AS DROP VIEW \"V\"", []Name{{Name: "V"}}},
	} {
		got := Classify(c.sql)[0].Targets
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: targets %v, want %v", c.sql, got, c.want)
		}
	}
}

// TestExternalAndOpaque checks what counts as reaching outside the database
// and which DuckDB statements cannot be checked.
func TestExternalAndOpaque(t *testing.T) {
	for _, c := range []struct {
		sql, external, opaque string
	}{
		{"select * from read_csv('x')", "read_csv()", ""},
		{"select * from (select * from main.glob('*')) g", "main.glob()", ""},
		{`select * from "a.csv"`, `FROM "a.csv"`, ""},
		{"FROM 'a.csv'", "FROM 'a.csv'", ""},
		{"SELECT 1 FROM t, 'b.csv'", "FROM 'b.csv'", ""},
		{"SELECT 'a', 'b' FROM t", "", ""},
		{"copy t to '/tmp/x'", "COPY TO '/tmp/x'", ""},
		{"set profiling_output = '/d/p.json'", "SET profiling_output", ""},
		{"select set_config('log_query_path', '/q', false)", "set_config('log_query_path')", ""},
		{"SELECT {'a': 1} AS s", "", ""},
		{"CREATE SECRET s (TYPE s3)", "", "CREATE SECRET"},
		{"CREATE MACRO m() AS 1", "", "CREATE MACRO"},
		{"EXPLAIN PRAGMA threads = 1", "", "EXPLAIN PRAGMA"},
		{"WITH w AS (SELECT 1) INSERT INTO x FROM w", "", "INSERT inside WITH"},
		{"WITH w AS (SELECT 1) INSERT INTO x SELECT * FROM w", "", ""}, // PostgreSQL reads its target
	} {
		st := Classify(c.sql)[0]
		if st.External != c.external || st.Files != (c.external != "") || st.Opaque != c.opaque {
			t.Errorf("%s: external %q files %v opaque %q, want %q %q", c.sql, st.External, st.Files, st.Opaque, c.external, c.opaque)
		}
	}
}
