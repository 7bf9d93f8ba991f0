package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tpserver/tpserver/catalog/pgemu"
)

// The expectations below are what PostgreSQL 15 returns, in a database
// named tpserver, for keysDDL with PostgreSQL's types (text for VARCHAR,
// float8 for DOUBLE, numeric for DECIMAL, timestamptz for TIMESTAMPTZ) when
// the queries run with pg_catalog and information_schema in place of the
// emulation's schemas.

// keysDDL creates tables with keys, checks, indexes and defaults.
var keysDDL = []string{
	`CREATE TABLE p (id INTEGER PRIMARY KEY, code VARCHAR UNIQUE, n INTEGER DEFAULT 0 CHECK (n >= 0), s VARCHAR DEFAULT 'x',
		ts TIMESTAMP DEFAULT now(), UNIQUE (n, s))`,
	`CREATE TABLE c (cid INTEGER, pid INTEGER REFERENCES p(id), pcode VARCHAR, a INTEGER, b INTEGER, PRIMARY KEY (cid, a),
		FOREIGN KEY (pcode) REFERENCES p(code), CHECK (a > 0 AND b < 10), CHECK (b <> 3))`,
	`CREATE INDEX c_b_idx ON c (b)`,
	`CREATE UNIQUE INDEX c_ab ON c (a, b)`,
	`CREATE INDEX c_expr ON c ((a + b))`,
	`CREATE TABLE d (i8 BIGINT DEFAULT 5, neg INTEGER DEFAULT -1, f8 DOUBLE DEFAULT 1.5, nm DECIMAL(10,2) DEFAULT 2.5,
		bo BOOLEAN DEFAULT true, dt DATE DEFAULT '2020-01-01', ct TIMESTAMPTZ DEFAULT current_timestamp, cd DATE DEFAULT current_date,
		e VARCHAR DEFAULT '', q VARCHAR DEFAULT 'it''s', nl INTEGER DEFAULT NULL, ex INTEGER DEFAULT 1 + 2, lo VARCHAR DEFAULT lower('X'),
		fneg DOUBLE DEFAULT -2.5, big BIGINT DEFAULT 3000000000, cv VARCHAR DEFAULT CAST(3 AS VARCHAR), cc VARCHAR DEFAULT 'a' || 'b')`,
	`CREATE TABLE k (a INTEGER, b BOOLEAN, c BOOLEAN, s VARCHAR, e VARCHAR, v INTEGER, CHECK (a > 0 AND a < 5 AND a <> 3),
		CHECK (NOT b), CHECK ((b OR c) AND a > 1), CHECK (a NOT IN (1, 2)), CHECK (s NOT LIKE 'x%'), CHECK (a IS NULL OR a > 2),
		CHECK (coalesce(a, 0) >= 0), CHECK (-a < 5), CHECK (a > -1), CHECK (CAST(a AS VARCHAR) <> 'q'), CHECK (e IN ('x', 'y')),
		CHECK (v BETWEEN 1 AND 5), CHECK (a > 0 OR v < 0 AND s = 'z'))`,
	`CREATE TABLE "Odd Name" ("Id" INTEGER PRIMARY KEY, "select" INTEGER UNIQUE)`,
	`CREATE TABLE a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while (
		a_very_long_column_name_that_also_goes_on_and_on INTEGER UNIQUE, b INTEGER PRIMARY KEY)`,
	`CREATE SCHEMA s2`,
	`CREATE TABLE s2.r (x INTEGER PRIMARY KEY)`,
	`CREATE TABLE s2.f (y INTEGER REFERENCES s2.r(x))`,
}

// keyQueries read the key catalogs; cells are text, NULL-free, so that the
// rows print alike from both servers.
var keyQueries = []struct{ name, sql string }{
	{"pg_constraint", `SELECT k.conname, k.contype, r.relname, n.nspname, array_to_string(k.conkey, ','),
  coalesce(array_to_string(k.confkey, ','), ''), coalesce(fr.relname, ''), coalesce(ix.relname, ''),
  concat(k.confupdtype, k.confdeltype, k.confmatchtype), CAST(k.connoinherit AS VARCHAR), CAST(k.convalidated AS VARCHAR),
  coalesce(array_to_string(k.conpfeqop, ','), ''), tp_pg_catalog.pg_get_constraintdef(k.oid),
  tp_pg_catalog.pg_get_constraintdef(k.oid, true), coalesce(tp_pg_catalog.pg_get_expr(k.conbin, k.conrelid), '')
FROM tp_pg_catalog.pg_constraint k JOIN tp_pg_catalog.pg_class r ON r.oid = k.conrelid
  JOIN tp_pg_catalog.pg_namespace n ON n.oid = k.connamespace AND n.oid = r.relnamespace
  LEFT JOIN tp_pg_catalog.pg_class fr ON fr.oid = k.confrelid LEFT JOIN tp_pg_catalog.pg_class ix ON ix.oid = k.conindid
WHERE n.nspname IN ('public', 's2') ORDER BY 1`},
	{"pg_index", `SELECT ic.relname, t.relname, n.nspname, CAST(i.indnatts AS VARCHAR), CAST(i.indisunique AS VARCHAR),
  CAST(i.indisprimary AS VARCHAR), array_to_string(i.indkey, ','), array_to_string(i.indcollation, ','),
  array_to_string(i.indclass, ','), array_to_string(i.indoption, ','), CAST(i.indexprs IS NOT NULL AS VARCHAR),
  tp_pg_catalog.pg_get_indexdef(i.indexrelid), tp_pg_catalog.pg_get_indexdef(i.indexrelid, 1, true),
  tp_pg_catalog.pg_get_indexdef(i.indexrelid, 2, false), tp_pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),
  ic.relkind, CAST(ic.relam AS VARCHAR), CAST(ic.relnatts AS VARCHAR), CAST(ic.relhasindex AS VARCHAR), CAST(ic.reltype AS VARCHAR)
FROM tp_pg_catalog.pg_index i JOIN tp_pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  JOIN tp_pg_catalog.pg_class t ON t.oid = i.indrelid JOIN tp_pg_catalog.pg_namespace n ON n.oid = ic.relnamespace AND n.oid = t.relnamespace
WHERE n.nspname IN ('public', 's2') ORDER BY 1`},
	{"pg_attrdef", `SELECT c.relname, a.attname, CAST(d.adnum AS VARCHAR), tp_pg_catalog.pg_get_expr(d.adbin, d.adrelid),
  tp_pg_catalog.pg_get_expr(d.adbin, d.adrelid, true), CAST(a.atthasdef AS VARCHAR)
FROM tp_pg_catalog.pg_attrdef d JOIN tp_pg_catalog.pg_class c ON c.oid = d.adrelid
  JOIN tp_pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum ORDER BY 1, 3`},
	{"atthasdef", `SELECT c.relname, a.attname FROM tp_pg_catalog.pg_attribute a JOIN tp_pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN tp_pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.atthasdef AND c.relname IN ('p', 'd') ORDER BY 1, 2`},
	{"pg_class", `SELECT c.relname, c.relkind, CAST(c.relhasindex AS VARCHAR), CAST(c.relchecks AS VARCHAR), CAST(c.relhastriggers AS VARCHAR)
FROM tp_pg_catalog.pg_class c JOIN tp_pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('public', 's2') AND c.relkind = 'r' AND c.relname <> 'aws_cloudtrail_log' ORDER BY 1`},
	{"pg_tables", `SELECT schemaname, tablename, CAST(hasindexes AS VARCHAR), CAST(hastriggers AS VARCHAR) FROM tp_pg_catalog.pg_tables
WHERE schemaname IN ('public', 's2') AND tablename <> 'aws_cloudtrail_log' ORDER BY 1, 2`},
	{"pg_indexes", `SELECT schemaname, tablename, indexname, indexdef FROM tp_pg_catalog.pg_indexes
WHERE schemaname IN ('public', 's2') ORDER BY 1, 3`},
	{"table_constraints", `SELECT constraint_catalog, constraint_schema, regexp_replace(constraint_name, '^\d+_\d+_', 'N_R_'), table_catalog,
  table_schema, table_name, constraint_type, is_deferrable, initially_deferred, enforced, coalesce(nulls_distinct, '')
FROM tp_information_schema.table_constraints WHERE table_name IN ('p', 'c', 'r', 'f') ORDER BY 2, 6, 3`},
	{"key_column_usage", `SELECT constraint_catalog, constraint_schema, constraint_name, table_catalog, table_schema, table_name, column_name,
  CAST(ordinal_position AS VARCHAR), coalesce(CAST(position_in_unique_constraint AS VARCHAR), '')
FROM tp_information_schema.key_column_usage WHERE table_name IN ('p', 'c', 'r', 'f', 'Odd Name') ORDER BY 2, 3, 8`},
	{"constraint_column_usage", `SELECT table_catalog, table_schema, table_name, column_name, constraint_catalog, constraint_schema, constraint_name
FROM tp_information_schema.constraint_column_usage WHERE table_name IN ('p', 'c', 'r', 'f') ORDER BY 2, 7, 4`},
	{"referential_constraints", `SELECT constraint_catalog, constraint_schema, constraint_name, unique_constraint_catalog, unique_constraint_schema,
  unique_constraint_name, match_option, update_rule, delete_rule
FROM tp_information_schema.referential_constraints ORDER BY 2, 3`},
	{"check_constraints", `SELECT constraint_catalog, constraint_schema, regexp_replace(constraint_name, '^\d+_\d+_', 'N_R_'), check_clause
FROM tp_information_schema.check_constraints WHERE constraint_schema IN ('public', 's2')
  AND (constraint_name LIKE 'c%' OR constraint_name LIKE 'p%' OR constraint_name LIKE 'k%' OR check_clause IN ('cid IS NOT NULL', 'id IS NOT NULL'))
ORDER BY 2, 3, 4`},
}

// keysOpen opens a catalog holding keysDDL.
func keysOpen(t *testing.T) *Catalog {
	t.Helper()
	c := open(t, t.TempDir())
	execDDL(t, c, strings.Join(keysDDL, ";\n"))
	return c
}

// rowsText renders rows as lines of |-separated cells.
func rowsText(rows [][]string) string {
	var lines []string
	for _, r := range rows {
		lines = append(lines, strings.Join(r, "|"))
	}
	return strings.Join(lines, "\n")
}

func TestKeyCatalogsMatchPostgres(t *testing.T) {
	c := keysOpen(t)
	defer c.Close()
	for _, q := range keyQueries {
		t.Run(q.name, func(t *testing.T) {
			got := rowsText(queryRows(t, c.DB(), q.sql))
			want := strings.TrimSpace(keyExpected[q.name])
			if got != want {
				t.Errorf("got\n%s\nwant (PostgreSQL 15)\n%s", got, want)
			}
		})
	}
}

// keyExpected are PostgreSQL 15's answers to keyQueries, by name.
var keyExpected = map[string]string{
	"pg_constraint": `
Odd Name_pkey|p|Odd Name|public|1|||Odd Name_pkey|   |true|true||PRIMARY KEY ("Id")|PRIMARY KEY ("Id")|
Odd Name_select_key|u|Odd Name|public|2|||Odd Name_select_key|   |true|true||UNIQUE ("select")|UNIQUE ("select")|
a_very_long_table_name_that_g_a_very_long_column_name_that__key|u|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while|public|1|||a_very_long_table_name_that_g_a_very_long_column_name_that__key|   |true|true||UNIQUE (a_very_long_column_name_that_also_goes_on_and_on)|UNIQUE (a_very_long_column_name_that_also_goes_on_and_on)|
a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey|p|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while|public|2|||a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey|   |true|true||PRIMARY KEY (b)|PRIMARY KEY (b)|
c_b_check|c|c|public|5||||   |false|true||CHECK ((b <> 3))|CHECK (b <> 3)|(b <> 3)
c_check|c|c|public|4,5||||   |false|true||CHECK (((a > 0) AND (b < 10)))|CHECK (a > 0 AND b < 10)|((a > 0) AND (b < 10))
c_pcode_fkey|f|c|public|3|2|p|p_code_key|aas|true|true|98|FOREIGN KEY (pcode) REFERENCES p(code)|FOREIGN KEY (pcode) REFERENCES p(code)|
c_pid_fkey|f|c|public|2|1|p|p_pkey|aas|true|true|96|FOREIGN KEY (pid) REFERENCES p(id)|FOREIGN KEY (pid) REFERENCES p(id)|
c_pkey|p|c|public|1,4|||c_pkey|   |true|true||PRIMARY KEY (cid, a)|PRIMARY KEY (cid, a)|
f_y_fkey|f|f|s2|1|1|r|r_pkey|aas|true|true|96|FOREIGN KEY (y) REFERENCES s2.r(x)|FOREIGN KEY (y) REFERENCES s2.r(x)|
k_a_check|c|k|public|1||||   |false|true||CHECK (((a > 0) AND (a < 5) AND (a <> 3)))|CHECK (a > 0 AND a < 5 AND a <> 3)|((a > 0) AND (a < 5) AND (a <> 3))
k_a_check1|c|k|public|1||||   |false|true||CHECK ((a <> ALL (ARRAY[1, 2])))|CHECK (a <> ALL (ARRAY[1, 2]))|(a <> ALL (ARRAY[1, 2]))
k_a_check2|c|k|public|1||||   |false|true||CHECK (((a IS NULL) OR (a > 2)))|CHECK (a IS NULL OR a > 2)|((a IS NULL) OR (a > 2))
k_a_check3|c|k|public|1||||   |false|true||CHECK ((COALESCE(a, 0) >= 0))|CHECK (COALESCE(a, 0) >= 0)|(COALESCE(a, 0) >= 0)
k_a_check4|c|k|public|1||||   |false|true||CHECK (((- a) < 5))|CHECK ((- a) < 5)|((- a) < 5)
k_a_check5|c|k|public|1||||   |false|true||CHECK ((a > '-1'::integer))|CHECK (a > '-1'::integer)|(a > '-1'::integer)
k_a_check6|c|k|public|1||||   |false|true||CHECK (((a)::text <> 'q'::text))|CHECK (a::text <> 'q'::text)|((a)::text <> 'q'::text)
k_b_check|c|k|public|2||||   |false|true||CHECK ((NOT b))|CHECK (NOT b)|(NOT b)
k_check|c|k|public|2,3,1||||   |false|true||CHECK (((b OR c) AND (a > 1)))|CHECK ((b OR c) AND a > 1)|((b OR c) AND (a > 1))
k_check1|c|k|public|1,6,4||||   |false|true||CHECK (((a > 0) OR ((v < 0) AND (s = 'z'::text))))|CHECK (a > 0 OR v < 0 AND s = 'z'::text)|((a > 0) OR ((v < 0) AND (s = 'z'::text)))
k_e_check|c|k|public|5||||   |false|true||CHECK ((e = ANY (ARRAY['x'::text, 'y'::text])))|CHECK (e = ANY (ARRAY['x'::text, 'y'::text]))|(e = ANY (ARRAY['x'::text, 'y'::text]))
k_s_check|c|k|public|4||||   |false|true||CHECK ((s !~~ 'x%'::text))|CHECK (s !~~ 'x%'::text)|(s !~~ 'x%'::text)
k_v_check|c|k|public|6||||   |false|true||CHECK (((v >= 1) AND (v <= 5)))|CHECK (v >= 1 AND v <= 5)|((v >= 1) AND (v <= 5))
p_code_key|u|p|public|2|||p_code_key|   |true|true||UNIQUE (code)|UNIQUE (code)|
p_n_check|c|p|public|3||||   |false|true||CHECK ((n >= 0))|CHECK (n >= 0)|(n >= 0)
p_n_s_key|u|p|public|3,4|||p_n_s_key|   |true|true||UNIQUE (n, s)|UNIQUE (n, s)|
p_pkey|p|p|public|1|||p_pkey|   |true|true||PRIMARY KEY (id)|PRIMARY KEY (id)|
r_pkey|p|r|s2|1|||r_pkey|   |true|true||PRIMARY KEY (x)|PRIMARY KEY (x)|`,
	"pg_index": `
Odd Name_pkey|Odd Name|public|1|true|true|1|0|1978|0|false|CREATE UNIQUE INDEX "Odd Name_pkey" ON public."Odd Name" USING btree ("Id")|"Id"||CREATE UNIQUE INDEX "Odd Name_pkey" ON "Odd Name" USING btree ("Id")|i|403|1|false|0
Odd Name_select_key|Odd Name|public|1|true|false|2|0|1978|0|false|CREATE UNIQUE INDEX "Odd Name_select_key" ON public."Odd Name" USING btree ("select")|"select"||CREATE UNIQUE INDEX "Odd Name_select_key" ON "Odd Name" USING btree ("select")|i|403|1|false|0
a_very_long_table_name_that_g_a_very_long_column_name_that__key|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while|public|1|true|false|1|0|1978|0|false|CREATE UNIQUE INDEX a_very_long_table_name_that_g_a_very_long_column_name_that__key ON public.a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while USING btree (a_very_long_column_name_that_also_goes_on_and_on)|a_very_long_column_name_that_also_goes_on_and_on||CREATE UNIQUE INDEX a_very_long_table_name_that_g_a_very_long_column_name_that__key ON a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while USING btree (a_very_long_column_name_that_also_goes_on_and_on)|i|403|1|false|0
a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while|public|1|true|true|2|0|1978|0|false|CREATE UNIQUE INDEX a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey ON public.a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while USING btree (b)|b||CREATE UNIQUE INDEX a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey ON a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while USING btree (b)|i|403|1|false|0
c_ab|c|public|2|true|false|4,5|0,0|1978,1978|0,0|false|CREATE UNIQUE INDEX c_ab ON public.c USING btree (a, b)|a|b|CREATE UNIQUE INDEX c_ab ON c USING btree (a, b)|i|403|2|false|0
c_b_idx|c|public|1|false|false|5|0|1978|0|false|CREATE INDEX c_b_idx ON public.c USING btree (b)|b||CREATE INDEX c_b_idx ON c USING btree (b)|i|403|1|false|0
c_expr|c|public|1|false|false|0|0|1978|0|true|CREATE INDEX c_expr ON public.c USING btree (((a + b)))|(a + b)||CREATE INDEX c_expr ON c USING btree ((a + b))|i|403|1|false|0
c_pkey|c|public|2|true|true|1,4|0,0|1978,1978|0,0|false|CREATE UNIQUE INDEX c_pkey ON public.c USING btree (cid, a)|cid|a|CREATE UNIQUE INDEX c_pkey ON c USING btree (cid, a)|i|403|2|false|0
p_code_key|p|public|1|true|false|2|100|3126|0|false|CREATE UNIQUE INDEX p_code_key ON public.p USING btree (code)|code||CREATE UNIQUE INDEX p_code_key ON p USING btree (code)|i|403|1|false|0
p_n_s_key|p|public|2|true|false|3,4|0,100|1978,3126|0,0|false|CREATE UNIQUE INDEX p_n_s_key ON public.p USING btree (n, s)|n|s|CREATE UNIQUE INDEX p_n_s_key ON p USING btree (n, s)|i|403|2|false|0
p_pkey|p|public|1|true|true|1|0|1978|0|false|CREATE UNIQUE INDEX p_pkey ON public.p USING btree (id)|id||CREATE UNIQUE INDEX p_pkey ON p USING btree (id)|i|403|1|false|0
r_pkey|r|s2|1|true|true|1|0|1978|0|false|CREATE UNIQUE INDEX r_pkey ON s2.r USING btree (x)|x||CREATE UNIQUE INDEX r_pkey ON s2.r USING btree (x)|i|403|1|false|0`,
	"pg_attrdef": `
d|i8|1|5|5|true
d|q|10|'it''s'::text|'it''s'::text|true
d|ex|12|(1 + 2)|1 + 2|true
d|lo|13|lower('X'::text)|lower('X'::text)|true
d|fneg|14|'-2.5'::numeric|'-2.5'::numeric|true
d|big|15|'3000000000'::bigint|'3000000000'::bigint|true
d|cv|16|(3)::text|3::text|true
d|cc|17|('a'::text || 'b'::text)|'a'::text || 'b'::text|true
d|neg|2|'-1'::integer|'-1'::integer|true
d|f8|3|1.5|1.5|true
d|nm|4|2.5|2.5|true
d|bo|5|true|true|true
d|dt|6|'2020-01-01'::date|'2020-01-01'::date|true
d|ct|7|CURRENT_TIMESTAMP|CURRENT_TIMESTAMP|true
d|cd|8|CURRENT_DATE|CURRENT_DATE|true
d|e|9|''::text|''::text|true
p|n|3|0|0|true
p|s|4|'x'::text|'x'::text|true
p|ts|5|now()|now()|true`,
	"atthasdef": `
d|nl
p|code
p|id`,
	"pg_class": `
Odd Name|r|true|0|false
a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while|r|true|0|false
c|r|true|2|true
d|r|false|0|false
f|r|false|0|true
k|r|false|13|false
p|r|true|1|true
r|r|true|0|true`,
	"pg_tables": `
public|Odd Name|true|false
public|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while|true|false
public|c|true|true
public|d|false|false
public|k|false|false
public|p|true|true
s2|f|false|true
s2|r|true|true`,
	"pg_indexes": `
public|Odd Name|Odd Name_pkey|CREATE UNIQUE INDEX "Odd Name_pkey" ON public."Odd Name" USING btree ("Id")
public|Odd Name|Odd Name_select_key|CREATE UNIQUE INDEX "Odd Name_select_key" ON public."Odd Name" USING btree ("select")
public|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while|a_very_long_table_name_that_g_a_very_long_column_name_that__key|CREATE UNIQUE INDEX a_very_long_table_name_that_g_a_very_long_column_name_that__key ON public.a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while USING btree (a_very_long_column_name_that_also_goes_on_and_on)
public|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey|CREATE UNIQUE INDEX a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey ON public.a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while USING btree (b)
public|c|c_ab|CREATE UNIQUE INDEX c_ab ON public.c USING btree (a, b)
public|c|c_b_idx|CREATE INDEX c_b_idx ON public.c USING btree (b)
public|c|c_expr|CREATE INDEX c_expr ON public.c USING btree (((a + b)))
public|c|c_pkey|CREATE UNIQUE INDEX c_pkey ON public.c USING btree (cid, a)
public|p|p_code_key|CREATE UNIQUE INDEX p_code_key ON public.p USING btree (code)
public|p|p_n_s_key|CREATE UNIQUE INDEX p_n_s_key ON public.p USING btree (n, s)
public|p|p_pkey|CREATE UNIQUE INDEX p_pkey ON public.p USING btree (id)
s2|r|r_pkey|CREATE UNIQUE INDEX r_pkey ON s2.r USING btree (x)`,
	"table_constraints": `
tpserver|public|N_R_1_not_null|tpserver|public|c|CHECK|NO|NO|YES|
tpserver|public|N_R_4_not_null|tpserver|public|c|CHECK|NO|NO|YES|
tpserver|public|c_b_check|tpserver|public|c|CHECK|NO|NO|YES|
tpserver|public|c_check|tpserver|public|c|CHECK|NO|NO|YES|
tpserver|public|c_pcode_fkey|tpserver|public|c|FOREIGN KEY|NO|NO|YES|
tpserver|public|c_pid_fkey|tpserver|public|c|FOREIGN KEY|NO|NO|YES|
tpserver|public|c_pkey|tpserver|public|c|PRIMARY KEY|NO|NO|YES|
tpserver|public|N_R_1_not_null|tpserver|public|p|CHECK|NO|NO|YES|
tpserver|public|p_code_key|tpserver|public|p|UNIQUE|NO|NO|YES|YES
tpserver|public|p_n_check|tpserver|public|p|CHECK|NO|NO|YES|
tpserver|public|p_n_s_key|tpserver|public|p|UNIQUE|NO|NO|YES|YES
tpserver|public|p_pkey|tpserver|public|p|PRIMARY KEY|NO|NO|YES|
tpserver|s2|f_y_fkey|tpserver|s2|f|FOREIGN KEY|NO|NO|YES|
tpserver|s2|N_R_1_not_null|tpserver|s2|r|CHECK|NO|NO|YES|
tpserver|s2|r_pkey|tpserver|s2|r|PRIMARY KEY|NO|NO|YES|`,
	"key_column_usage": `
tpserver|public|Odd Name_pkey|tpserver|public|Odd Name|Id|1|
tpserver|public|Odd Name_select_key|tpserver|public|Odd Name|select|1|
tpserver|public|c_pcode_fkey|tpserver|public|c|pcode|1|1
tpserver|public|c_pid_fkey|tpserver|public|c|pid|1|1
tpserver|public|c_pkey|tpserver|public|c|cid|1|
tpserver|public|c_pkey|tpserver|public|c|a|2|
tpserver|public|p_code_key|tpserver|public|p|code|1|
tpserver|public|p_n_s_key|tpserver|public|p|n|1|
tpserver|public|p_n_s_key|tpserver|public|p|s|2|
tpserver|public|p_pkey|tpserver|public|p|id|1|
tpserver|s2|f_y_fkey|tpserver|s2|f|y|1|1
tpserver|s2|r_pkey|tpserver|s2|r|x|1|`,
	"constraint_column_usage": `
tpserver|public|c|b|tpserver|public|c_b_check
tpserver|public|c|a|tpserver|public|c_check
tpserver|public|c|b|tpserver|public|c_check
tpserver|public|p|code|tpserver|public|c_pcode_fkey
tpserver|public|p|id|tpserver|public|c_pid_fkey
tpserver|public|c|a|tpserver|public|c_pkey
tpserver|public|c|cid|tpserver|public|c_pkey
tpserver|public|p|code|tpserver|public|p_code_key
tpserver|public|p|n|tpserver|public|p_n_check
tpserver|public|p|n|tpserver|public|p_n_s_key
tpserver|public|p|s|tpserver|public|p_n_s_key
tpserver|public|p|id|tpserver|public|p_pkey
tpserver|s2|r|x|tpserver|s2|f_y_fkey
tpserver|s2|r|x|tpserver|s2|r_pkey`,
	"referential_constraints": `
tpserver|public|c_pcode_fkey|tpserver|public|p_code_key|NONE|NO ACTION|NO ACTION
tpserver|public|c_pid_fkey|tpserver|public|p_pkey|NONE|NO ACTION|NO ACTION
tpserver|s2|f_y_fkey|tpserver|s2|r_pkey|NONE|NO ACTION|NO ACTION`,
	"check_constraints": `
tpserver|public|N_R_1_not_null|cid IS NOT NULL
tpserver|public|N_R_1_not_null|id IS NOT NULL
tpserver|public|c_b_check|((b <> 3))
tpserver|public|c_check|(((a > 0) AND (b < 10)))
tpserver|public|k_a_check|(((a > 0) AND (a < 5) AND (a <> 3)))
tpserver|public|k_a_check1|((a <> ALL (ARRAY[1, 2])))
tpserver|public|k_a_check2|(((a IS NULL) OR (a > 2)))
tpserver|public|k_a_check3|((COALESCE(a, 0) >= 0))
tpserver|public|k_a_check4|(((- a) < 5))
tpserver|public|k_a_check5|((a > '-1'::integer))
tpserver|public|k_a_check6|(((a)::text <> 'q'::text))
tpserver|public|k_b_check|((NOT b))
tpserver|public|k_check|(((b OR c) AND (a > 1)))
tpserver|public|k_check1|(((a > 0) OR ((v < 0) AND (s = 'z'::text))))
tpserver|public|k_e_check|((e = ANY (ARRAY['x'::text, 'y'::text])))
tpserver|public|k_s_check|((s !~~ 'x%'::text))
tpserver|public|k_v_check|(((v >= 1) AND (v <= 5)))
tpserver|public|p_n_check|((n >= 0))`,
}

// psqlDescribe are the catalog queries psql 15 sends for \d of a table
// (%[1]s is its oid), less the columns that print a regclass.
var psqlDescribe = []struct{ name, sql string }{
	{"relation", `SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids, c.relispartition, '', c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, c.relreplident, am.amname
FROM pg_catalog.pg_class c
 LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)
LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)
WHERE c.oid = '%[1]s';`},
	{"columns", `SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
   FROM pg_catalog.pg_attrdef d
   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
  a.attnotnull,
  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
  a.attidentity,
  a.attgenerated
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = '%[1]s' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;`},
	{"indexes", `SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),
  pg_catalog.pg_get_constraintdef(con.oid, true), contype, condeferrable, condeferred, i.indisreplident, c2.reltablespace
FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i
  LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x'))
WHERE c.oid = '%[1]s' AND c.oid = i.indrelid AND i.indexrelid = c2.oid
ORDER BY i.indisprimary DESC, c2.relname;`},
	{"checks", `SELECT r.conname, pg_catalog.pg_get_constraintdef(r.oid, true)
FROM pg_catalog.pg_constraint r
WHERE r.conrelid = '%[1]s' AND r.contype = 'c'
ORDER BY 1;`},
	{"foreign keys", `SELECT true as sametable, conname,
  pg_catalog.pg_get_constraintdef(r.oid, true) as condef
FROM pg_catalog.pg_constraint r
WHERE r.conrelid = '%[1]s' AND r.contype = 'f'
     AND conparentid = 0
ORDER BY conname`},
	{"referenced by", `SELECT conname,
       pg_catalog.pg_get_constraintdef(oid, true) AS condef
  FROM pg_catalog.pg_constraint c
 WHERE confrelid IN (SELECT pg_catalog.pg_partition_ancestors('%[1]s')
                     UNION ALL VALUES ('%[1]s'::pg_catalog.regclass))
       AND contype = 'f' AND conparentid = 0
ORDER BY conname;`},
	{"triggers", `SELECT t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled, t.tgisinternal,
  CASE WHEN t.tgparentid != 0 THEN
    (SELECT u.tgrelid::pg_catalog.regclass
     FROM pg_catalog.pg_trigger AS u,
          pg_catalog.pg_partition_ancestors(t.tgrelid) WITH ORDINALITY AS a(relid, depth)
     WHERE u.tgname = t.tgname AND u.tgrelid = a.relid
           AND u.tgparentid = 0
     ORDER BY a.depth LIMIT 1)
  END AS parent
FROM pg_catalog.pg_trigger t
WHERE t.tgrelid = '%[1]s' AND (NOT t.tgisinternal OR (t.tgisinternal AND t.tgenabled = 'D'))
ORDER BY 1;`},
}

// psqlDescribeExpected are PostgreSQL 15's answers to psqlDescribe for
// tables p and c, as database/sql prints them.
var psqlDescribeExpected = map[string]string{
	"p relation": `1|r|true|false|true|false|false|false|false||0||p|d|heap`,
	"p columns": `id|integer|NULL|true|NULL||
code|text|NULL|false|NULL||
n|integer|0|false|NULL||
s|text|'x'::text|false|NULL||
ts|timestamp without time zone|now()|false|NULL||`,
	"p indexes": `p_pkey|true|true|false|true|CREATE UNIQUE INDEX p_pkey ON p USING btree (id)|PRIMARY KEY (id)|p|false|false|false|0
p_code_key|false|true|false|true|CREATE UNIQUE INDEX p_code_key ON p USING btree (code)|UNIQUE (code)|u|false|false|false|0
p_n_s_key|false|true|false|true|CREATE UNIQUE INDEX p_n_s_key ON p USING btree (n, s)|UNIQUE (n, s)|u|false|false|false|0`,
	"p checks":       `p_n_check|CHECK (n >= 0)`,
	"p foreign keys": ``,
	"p referenced by": `c_pcode_fkey|FOREIGN KEY (pcode) REFERENCES p(code)
c_pid_fkey|FOREIGN KEY (pid) REFERENCES p(id)`,
	"p triggers": ``,
	"c relation": `2|r|true|false|true|false|false|false|false||0||p|d|heap`,
	"c columns": `cid|integer|NULL|true|NULL||
pid|integer|NULL|false|NULL||
pcode|text|NULL|false|NULL||
a|integer|NULL|true|NULL||
b|integer|NULL|false|NULL||`,
	"c indexes": `c_pkey|true|true|false|true|CREATE UNIQUE INDEX c_pkey ON c USING btree (cid, a)|PRIMARY KEY (cid, a)|p|false|false|false|0
c_ab|false|true|false|true|CREATE UNIQUE INDEX c_ab ON c USING btree (a, b)|NULL|NULL|NULL|NULL|false|0
c_b_idx|false|false|false|true|CREATE INDEX c_b_idx ON c USING btree (b)|NULL|NULL|NULL|NULL|false|0
c_expr|false|false|false|true|CREATE INDEX c_expr ON c USING btree ((a + b))|NULL|NULL|NULL|NULL|false|0`,
	"c checks": `c_b_check|CHECK (b <> 3)
c_check|CHECK (a > 0 AND b < 10)`,
	"c foreign keys": `true|c_pcode_fkey|FOREIGN KEY (pcode) REFERENCES p(code)
true|c_pid_fkey|FOREIGN KEY (pid) REFERENCES p(id)`,
	"c referenced by": ``,
	"c triggers":      ``,
}

// TestKeysAsPsqlDescribes replays psql's \d queries through the SQL
// translator, as pgwire runs them.
func TestKeysAsPsqlDescribes(t *testing.T) {
	c := keysOpen(t)
	defer c.Close()
	for _, tbl := range []string{"p", "c"} {
		oid := fmt.Sprint(RelationOID("main", tbl))
		for _, q := range psqlDescribe {
			name := tbl + " " + q.name
			t.Run(name, func(t *testing.T) {
				sql := c.TranslateSQL(fmt.Sprintf(q.sql, oid))
				got := rowsText(queryRows(t, c.DB(), sql))
				if want := psqlDescribeExpected[name]; got != want {
					t.Errorf("got\n%s\nwant (PostgreSQL 15)\n%s\nSQL: %s", got, want, sql)
				}
			})
		}
	}
}

// keyCatalogColumns are PostgreSQL 15's columns of the key catalogs.
var keyCatalogColumns = map[string]string{
	"pg_index":      `indexrelid oid, indrelid oid, indnatts smallint, indnkeyatts smallint, indisunique boolean, indnullsnotdistinct boolean, indisprimary boolean, indisexclusion boolean, indimmediate boolean, indisclustered boolean, indisvalid boolean, indcheckxmin boolean, indisready boolean, indislive boolean, indisreplident boolean, indkey int2vector, indcollation oidvector, indclass oidvector, indoption int2vector, indexprs pg_node_tree, indpred pg_node_tree`,
	"pg_constraint": `oid oid, conname name, connamespace oid, contype "char", condeferrable boolean, condeferred boolean, convalidated boolean, conrelid oid, contypid oid, conindid oid, conparentid oid, confrelid oid, confupdtype "char", confdeltype "char", confmatchtype "char", conislocal boolean, coninhcount integer, connoinherit boolean, conkey smallint[], confkey smallint[], conpfeqop oid[], conppeqop oid[], conffeqop oid[], confdelsetcols smallint[], conexclop oid[], conbin pg_node_tree`,
	"pg_attrdef":    `oid oid, adrelid oid, adnum smallint, adbin pg_node_tree`,
	"pg_indexes":    `schemaname name, tablename name, indexname name, tablespace name, indexdef text`,
}

// keyInfoColumns are PostgreSQL 15's columns of the information_schema
// views of constraints (cardinal_number is INTEGER, the rest VARCHAR).
var keyInfoColumns = map[string]string{
	"table_constraints":       "constraint_catalog constraint_schema constraint_name table_catalog table_schema table_name constraint_type is_deferrable initially_deferred enforced nulls_distinct",
	"key_column_usage":        "constraint_catalog constraint_schema constraint_name table_catalog table_schema table_name column_name ordinal_position:INTEGER position_in_unique_constraint:INTEGER",
	"referential_constraints": "constraint_catalog constraint_schema constraint_name unique_constraint_catalog unique_constraint_schema unique_constraint_name match_option update_rule delete_rule",
	"constraint_column_usage": "table_catalog table_schema table_name column_name constraint_catalog constraint_schema constraint_name",
	"check_constraints":       "constraint_catalog constraint_schema constraint_name check_clause",
}

// columnTypes returns "name TYPE" for each column of rel.
func columnTypes(t *testing.T, c *Catalog, rel string) string {
	t.Helper()
	var out []string
	for _, r := range queryRows(t, c.DB(), "SELECT column_name, column_type FROM (DESCRIBE "+rel+")") {
		out = append(out, r[0]+" "+r[1])
	}
	return strings.Join(out, ", ")
}

func TestKeyCatalogColumns(t *testing.T) {
	c := keysOpen(t)
	defer c.Close()
	for name, cols := range keyCatalogColumns {
		var want []string
		for _, col := range strings.Split(cols, ", ") {
			n, typ, _ := strings.Cut(col, " ")
			want = append(want, n+" "+pgemu.DuckType(typ))
		}
		if got := columnTypes(t, c, PGCatalogSchema+"."+name); got != strings.Join(want, ", ") {
			t.Errorf("%s columns\n got %s\nwant %s", name, got, strings.Join(want, ", "))
		}
	}
	for name, cols := range keyInfoColumns {
		var want []string
		for _, col := range strings.Fields(cols) {
			n, typ, ok := strings.Cut(col, ":")
			if !ok {
				typ = "VARCHAR"
			}
			want = append(want, n+" "+typ)
		}
		if got := columnTypes(t, c, PGInformationSchema+"."+name); got != strings.Join(want, ", ") {
			t.Errorf("%s columns\n got %s\nwant %s", name, got, strings.Join(want, ", "))
		}
	}
	// pg_class keeps its columns with the index rows added.
	want := strings.Fields(pgCatalogColumns["pg_class"])
	var got []string
	for _, r := range queryRows(t, c.DB(), "SELECT column_name FROM (DESCRIBE "+PGCatalogSchema+".pg_class)") {
		got = append(got, r[0])
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("pg_class columns\n got %s\nwant %s", got, want)
	}
}

// TestKeyCatalogsAreSnapshots checks that client queries never run DuckDB's
// constraint and index functions: those are read only by the _live views
// the snapshot is copied from.
func TestKeyCatalogsAreSnapshots(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	for _, name := range []string{"tp_constraints", "tp_indexes", "tp_attrdef"} {
		if !slices.Contains(pgemu.SnapshotTables(), name) {
			t.Errorf("%s is not in pgemu.SnapshotTables()", name)
		}
		rows := queryRows(t, c.DB(), "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", PGCatalogSchema, name+"_rows")
		if rows[0][0] != "1" {
			t.Errorf("%s.%s_rows is not a table", PGCatalogSchema, name)
		}
	}
	rows := queryRows(t, c.DB(), `SELECT schema_name || '.' || view_name FROM duckdb_views()
WHERE schema_name IN (?, ?) AND NOT suffix(view_name, '_live') AND (sql LIKE '%duckdb_constraints%' OR sql LIKE '%duckdb_indexes%')`,
		PGCatalogSchema, PGInformationSchema)
	if len(rows) != 0 {
		t.Errorf("views reading DuckDB's catalog at query time: %q", rows)
	}
	// The tables the key snapshot reads come before it.
	pos := func(n string) int { return slices.Index(pgemu.SnapshotTables(), n) }
	if !(pos("tp_columns") < pos("tp_constraints") && pos("tp_constraints") < pos("tp_indexes") && pos("tp_indexes") < pos("pg_class") &&
		pos("tp_columns") < pos("tp_attrdef")) {
		t.Errorf("pgemu.SnapshotTables() out of dependency order: %q", pgemu.SnapshotTables())
	}
}

func TestKeyCatalogsFollowSchemaChanges(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	execDDL(t, c, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER DEFAULT 7); CREATE INDEX t_n ON t (n)")
	list := func(q string) string { return rowsText(queryRows(t, c.DB(), q)) }
	const (
		constraints = "SELECT conname, oid FROM tp_pg_catalog.pg_constraint ORDER BY 1"
		indexes     = "SELECT c.relname, i.indexrelid, c.relkind FROM tp_pg_catalog.pg_index i JOIN tp_pg_catalog.pg_class c ON c.oid = i.indexrelid ORDER BY 1"
		defaults    = "SELECT adnum, adbin FROM tp_pg_catalog.pg_attrdef ORDER BY 1"
	)
	wantCons := fmt.Sprintf("t_pkey|%d", pgemu.HashOID("constraint:main.t_pkey"))
	wantIdx := fmt.Sprintf("t_n|%d|i\nt_pkey|%d|i", pgemu.HashOID("index:main.t_n"), pgemu.HashOID("index:main.t_pkey"))
	if got := list(constraints); got != wantCons {
		t.Errorf("constraints %q, want %q", got, wantCons)
	}
	if got := list(indexes); got != wantIdx {
		t.Errorf("indexes %q, want %q", got, wantIdx)
	}
	if got := list(defaults); got != "2|7" {
		t.Errorf("defaults %q", got)
	}
	// The oids are the same after a restart.
	c.Close()
	c = open(t, dir)
	defer c.Close()
	if err := c.syncSnapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := list(constraints); got != wantCons {
		t.Errorf("after reopen: constraints %q, want %q", got, wantCons)
	}
	if got := list(indexes); got != wantIdx {
		t.Errorf("after reopen: indexes %q, want %q", got, wantIdx)
	}
	execDDL(t, c, "DROP INDEX t_n; ALTER TABLE t ALTER n SET DEFAULT 8")
	if got := list(indexes); got != fmt.Sprintf("t_pkey|%d|i", pgemu.HashOID("index:main.t_pkey")) {
		t.Errorf("after DROP INDEX: %q", got)
	}
	if got := list(defaults); got != "2|8" {
		t.Errorf("after SET DEFAULT: %q", got)
	}
	execDDL(t, c, "DROP TABLE t")
	for _, q := range []string{constraints, indexes, defaults, "SELECT relname FROM tp_pg_catalog.pg_class WHERE relkind = 'i'"} {
		if got := list(q); got != "" {
			t.Errorf("after DROP TABLE: %s: %q", q, got)
		}
	}
	if got := list("SELECT CAST(relhasindex AS VARCHAR) FROM tp_pg_catalog.pg_class WHERE relname = 'aws_cloudtrail_log'"); got != "false" {
		t.Errorf("lake table relhasindex %q", got)
	}
}

// TestKeysAsSQLAlchemyReflects runs SQLAlchemy 1.4's get_indexes query,
// which parses pg_index.indkey::varchar as space-separated numbers.
func TestKeysAsSQLAlchemyReflects(t *testing.T) {
	c := keysOpen(t)
	defer c.Close()
	oid := fmt.Sprint(RelationOID("main", "p"))
	sql := c.TranslateSQL(`SELECT
                  i.relname as relname,
                  ix.indisunique, ix.indexprs,
                  a.attname, a.attnum, c.conrelid, ix.indkey::varchar,
                  ix.indoption::varchar, i.reloptions, am.amname,
                  pg_get_expr(ix.indpred, ix.indrelid),
                  ix.indnkeyatts as indnkeyatts
              FROM
                  pg_class t
                        join pg_index ix on t.oid = ix.indrelid
                        join pg_class i on i.oid = ix.indexrelid
                        left outer join
                            pg_attribute a
                            on t.oid = a.attrelid and a.attnum = ANY(ix.indkey)
                        left outer join
                            pg_constraint c
                            on (ix.indrelid = c.conrelid and
                                ix.indexrelid = c.conindid and
                                c.contype in ('p', 'u', 'x'))
                        left outer join
                            pg_am am
                            on i.relam = am.oid
              WHERE
                  t.relkind IN ('r', 'v', 'f', 'm', 'p')
                  and t.oid = ` + oid + `
                  and ix.indisprimary = 'f'
              ORDER BY
                  t.relname,
                  i.relname`)
	rows := queryRows(t, c.DB(), sql)
	// The order of a key's columns is not fixed.
	slices.SortFunc(rows, func(a, b []string) int { return strings.Compare(strings.Join(a, "|"), strings.Join(b, "|")) })
	got := rowsText(rows)
	// PostgreSQL 15, with p's oid for conrelid.
	want := strings.ReplaceAll(`p_code_key|true|NULL|code|2|OID|2|0|NULL|btree|NULL|1
p_n_s_key|true|NULL|n|3|OID|3 4|0 0|NULL|btree|NULL|2
p_n_s_key|true|NULL|s|4|OID|3 4|0 0|NULL|btree|NULL|2`, "OID", oid)
	if got != want {
		t.Errorf("got\n%s\nwant (PostgreSQL 15)\n%s\nSQL: %s", got, want, sql)
	}
}

// TestKeyCatalogsReplaceEmptyViews installs the emulation over a database
// from a release whose key catalogs were empty views.
func TestKeyCatalogsReplaceEmptyViews(t *testing.T) {
	c := keysOpen(t)
	defer c.Close()
	for _, name := range []string{"pg_constraint", "pg_index", "pg_attrdef", "pg_indexes"} {
		if _, err := c.DB().Exec("CREATE OR REPLACE VIEW " + PGCatalogSchema + "." + name + " AS SELECT CAST(NULL AS BIGINT) AS oid WHERE false"); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"table_constraints", "key_column_usage", "check_constraints"} {
		if _, err := c.DB().Exec("CREATE OR REPLACE VIEW " + PGInformationSchema + "." + name + " AS SELECT CAST(NULL AS VARCHAR) AS constraint_name WHERE false"); err != nil {
			t.Fatal(err)
		}
	}
	// Another lake table list changes the version: the script runs again.
	if err := pgemu.Install(context.Background(), c.DB(), []string{"aws_cloudtrail_log", "other"}); err != nil {
		t.Fatal(err)
	}
	c.SchemaChanged()
	if err := c.syncSnapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := rowsText(queryRows(t, c.DB(), "SELECT tp_pg_catalog.pg_get_constraintdef(oid) FROM tp_pg_catalog.pg_constraint WHERE conname = 'p_pkey'"))
	if got != "PRIMARY KEY (id)" {
		t.Errorf("after reinstall: %q", got)
	}
}
