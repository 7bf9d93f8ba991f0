package catalog

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tpserver/tpserver/catalog/pgemu"
)

// Index relations as PostgreSQL 15 shows them: their pg_attribute rows,
// their visibility and names as regclass, and psql's \di and \d of an
// index. The expectations are PostgreSQL 15's for keysDDL and indexDDL,
// with PostgreSQL's types (text for VARCHAR, numeric(10,2) for
// DECIMAL(10,2), timestamptz for TIMESTAMPTZ), as database/sql prints them.

// indexDDL adds expression indexes, an index whose name needs quoting and
// a default taken from a sequence to keysDDL's tables.
var indexDDL = []string{
	`CREATE TABLE ex (a INTEGER, b INTEGER, s VARCHAR, n DECIMAL(10,2), "Q" INTEGER)`,
	`CREATE INDEX ex_i ON ex ((a + b), lower(s), (a - b), s, upper(s), (s || 'x'), coalesce(a, 0), (a::text), n)`,
	`CREATE UNIQUE INDEX "ex Q" ON ex ("Q", n)`,
	`CREATE SEQUENCE sq`,
	`CREATE TABLE sqt (id INTEGER DEFAULT nextval('sq'), t TIMESTAMPTZ DEFAULT now())`,
}

// indexOpen opens a catalog holding keysDDL and indexDDL.
func indexOpen(t *testing.T) *Catalog {
	t.Helper()
	c := keysOpen(t)
	execDDL(t, c, strings.Join(indexDDL, ";\n"))
	return c
}

// indexQueries are PostgreSQL queries, run through the SQL translator as
// pgwire runs them, with PostgreSQL 15's answers.
var indexQueries = []struct{ name, sql, want string }{
	{"pg_attribute", `SELECT c.relname, a.attname, a.attnum, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attlen, a.attbyval,
  a.attalign, a.attstorage, a.attcollation, a.attnotnull, a.atthasdef, a.attstattarget, a.attndims, a.attisdropped, a.attislocal, a.attinhcount
FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'i' AND n.nspname IN ('public', 's2') ORDER BY 1, 3`, `
Odd Name_pkey|Id|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
Odd Name_select_key|select|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
a_very_long_table_name_that_g_a_very_long_column_name_that__key|a_very_long_column_name_that_also_goes_on_and_on|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey|b|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
c_ab|a|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
c_ab|b|2|integer|4|true|i|p|0|false|false|-1|0|false|true|0
c_b_idx|b|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
c_expr|expr|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
c_pkey|cid|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
c_pkey|a|2|integer|4|true|i|p|0|false|false|-1|0|false|true|0
ex Q|Q|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
ex Q|n|2|numeric(10,2)|-1|false|i|m|0|false|false|-1|0|false|true|0
ex_i|expr|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
ex_i|lower|2|text|-1|false|i|x|100|false|false|-1|0|false|true|0
ex_i|expr1|3|integer|4|true|i|p|0|false|false|-1|0|false|true|0
ex_i|s|4|text|-1|false|i|x|100|false|false|-1|0|false|true|0
ex_i|upper|5|text|-1|false|i|x|100|false|false|-1|0|false|true|0
ex_i|expr2|6|text|-1|false|i|x|100|false|false|-1|0|false|true|0
ex_i|coalesce|7|integer|4|true|i|p|0|false|false|-1|0|false|true|0
ex_i|a|8|text|-1|false|i|x|100|false|false|-1|0|false|true|0
ex_i|n|9|numeric(10,2)|-1|false|i|m|0|false|false|-1|0|false|true|0
p_code_key|code|1|text|-1|false|i|x|100|false|false|-1|0|false|true|0
p_n_s_key|n|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
p_n_s_key|s|2|text|-1|false|i|x|100|false|false|-1|0|false|true|0
p_pkey|id|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0
r_pkey|x|1|integer|4|true|i|p|0|false|false|-1|0|false|true|0`},
	{"visibility", `SELECT n.nspname, c.relname, pg_catalog.pg_table_is_visible(c.oid), c.oid::pg_catalog.regclass::pg_catalog.text,
  pg_catalog.to_regclass(pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)) = c.oid,
  pg_catalog.to_regclass(pg_catalog.quote_ident(c.relname)) IS NOT DISTINCT FROM c.oid
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'i' AND n.nspname IN ('public', 's2') ORDER BY 1, 2`, `
public|Odd Name_pkey|true|"Odd Name_pkey"|true|true
public|Odd Name_select_key|true|"Odd Name_select_key"|true|true
public|a_very_long_table_name_that_g_a_very_long_column_name_that__key|true|a_very_long_table_name_that_g_a_very_long_column_name_that__key|true|true
public|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey|true|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey|true|true
public|c_ab|true|c_ab|true|true
public|c_b_idx|true|c_b_idx|true|true
public|c_expr|true|c_expr|true|true
public|c_pkey|true|c_pkey|true|true
public|ex Q|true|"ex Q"|true|true
public|ex_i|true|ex_i|true|true
public|p_code_key|true|p_code_key|true|true
public|p_n_s_key|true|p_n_s_key|true|true
public|p_pkey|true|p_pkey|true|true
s2|r_pkey|false|s2.r_pkey|true|false`},
	{"regclass", `SELECT 'p_pkey'::regclass::oid = (SELECT oid FROM pg_class WHERE relname = 'p_pkey'), 's2.r_pkey'::regclass::text,
  '"ex Q"'::regclass::text, to_regclass('r_pkey') IS NULL, to_regclass('public.c_expr')::text, 'EX_I'::regclass::text`,
		`true|s2.r_pkey|"ex Q"|true|c_expr|ex_i`},
	// Expression columns are typed, so they have an operator class.
	{"pg_index", `SELECT c.relname, array_to_string(i.indkey, ','), array_to_string(i.indcollation, ','), array_to_string(i.indclass, ','),
  pg_catalog.pg_get_indexdef(i.indexrelid)
FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('ex_i', 'ex Q') ORDER BY 1`, `
ex Q|5,4|0,0|1978,3125|CREATE UNIQUE INDEX "ex Q" ON public.ex USING btree ("Q", n)
ex_i|0,0,0,3,0,0,0,0,4|0,100,0,100,100,100,0,100,0|1978,3126,1978,3126,3126,3126,1978,3126,3125|CREATE INDEX ex_i ON public.ex USING btree (((a + b)), lower(s), ((a - b)), s, upper(s), ((s || 'x'::text)), COALESCE(a, 0), ((a)::text), n)`},
	{"column_default", `SELECT table_name, column_name, ordinal_position, column_default FROM information_schema.columns
WHERE table_schema = 'public' AND table_name IN ('p', 'd', 'sqt', 'ex') ORDER BY 1, 3`, `
d|i8|1|5
d|neg|2|'-1'::integer
d|f8|3|1.5
d|nm|4|2.5
d|bo|5|true
d|dt|6|'2020-01-01'::date
d|ct|7|CURRENT_TIMESTAMP
d|cd|8|CURRENT_DATE
d|e|9|''::text
d|q|10|'it''s'::text
d|nl|11|NULL
d|ex|12|(1 + 2)
d|lo|13|lower('X'::text)
d|fneg|14|'-2.5'::numeric
d|big|15|'3000000000'::bigint
d|cv|16|(3)::text
d|cc|17|('a'::text || 'b'::text)
ex|a|1|NULL
ex|b|2|NULL
ex|s|3|NULL
ex|n|4|NULL
ex|Q|5|NULL
p|id|1|NULL
p|code|2|NULL
p|n|3|0
p|s|4|'x'::text
p|ts|5|now()
sqt|id|1|nextval('sq'::regclass)
sqt|t|2|now()`},
	// psql's \di.
	{`\di`, `SELECT n.nspname as "Schema",
  c.relname as "Name",
  CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
  pg_catalog.pg_get_userbyid(c.relowner) as "Owner",
  c2.relname as "Table"
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
     LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
     LEFT JOIN pg_catalog.pg_class c2 ON i.indrelid = c2.oid
WHERE c.relkind IN ('i','I','')
      AND n.nspname <> 'pg_catalog'
      AND n.nspname !~ '^pg_toast'
      AND n.nspname <> 'information_schema'
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 1,2;`, `
public|Odd Name_pkey|index|tpserver|Odd Name
public|Odd Name_select_key|index|tpserver|Odd Name
public|a_very_long_table_name_that_g_a_very_long_column_name_that__key|index|tpserver|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while
public|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_wh_pkey|index|tpserver|a_very_long_table_name_that_goes_on_and_on_and_on_for_a_while
public|c_ab|index|tpserver|c
public|c_b_idx|index|tpserver|c
public|c_expr|index|tpserver|c
public|c_pkey|index|tpserver|c
public|ex Q|index|tpserver|ex
public|ex_i|index|tpserver|ex
public|p_code_key|index|tpserver|p
public|p_n_s_key|index|tpserver|p
public|p_pkey|index|tpserver|p`},
}

func TestIndexCatalogsMatchPostgres(t *testing.T) {
	c := indexOpen(t)
	defer c.Close()
	for _, q := range indexQueries {
		t.Run(q.name, func(t *testing.T) {
			sql := c.TranslateSQL(q.sql)
			got := rowsText(queryRows(t, c.DB(), sql))
			if want := strings.TrimSpace(q.want); got != want {
				t.Errorf("got\n%s\nwant (PostgreSQL 15)\n%s\nSQL: %s", got, want, sql)
			}
		})
	}
}

// psqlDescribeIndex are the queries psql 15 sends for \d+ of an index,
// after it found the index's oid (%[1]s) with psqlLookup; the relation
// query is psqlDescribe's.
var psqlDescribeIndex = []struct{ name, sql string }{
	{"relation", psqlDescribe[0].sql},
	{"columns", `SELECT a.attname,
  pg_catalog.format_type(a.atttypid, a.atttypmod),
  CASE WHEN a.attnum <= (SELECT i.indnkeyatts FROM pg_catalog.pg_index i WHERE i.indexrelid = '%[1]s') THEN 'yes' ELSE 'no' END AS is_key,
  pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, TRUE) AS indexdef,
  a.attstorage,
  CASE WHEN a.attstattarget=-1 THEN NULL ELSE a.attstattarget END AS attstattarget
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = '%[1]s' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;`},
	{"index", `SELECT i.indisunique, i.indisprimary, i.indisclustered, i.indisvalid,
  (NOT i.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x') AND condeferrable) AS condeferrable,
  (NOT i.indimmediate) AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x') AND condeferred) AS condeferred,
i.indisreplident,
i.indnullsnotdistinct,
  a.amname, c2.relname, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)
FROM pg_catalog.pg_index i, pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_am a
WHERE i.indexrelid = c.oid AND c.oid = '%[1]s' AND c.relam = a.oid
AND i.indrelid = c2.oid;`},
}

// psqlLookup is how psql 15 finds the relation named in \d NAME (%[1]s a
// regular expression), and psqlLookupIn in \d SCHEMA.NAME (%[2]s).
const (
	psqlLookup = `SELECT c.oid,
  n.nspname,
  c.relname
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname OPERATOR(pg_catalog.~) '^(%[1]s)$' COLLATE pg_catalog.default
  AND pg_catalog.pg_table_is_visible(c.oid)
ORDER BY 2, 3;`
	psqlLookupIn = `SELECT c.oid,
  n.nspname,
  c.relname
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relname OPERATOR(pg_catalog.~) '^(%[1]s)$' COLLATE pg_catalog.default
  AND n.nspname OPERATOR(pg_catalog.~) '^(%[2]s)$' COLLATE pg_catalog.default
ORDER BY 2, 3;`
)

// psqlDescribeIndexExpected are PostgreSQL 15's answers to psqlLookup and
// psqlDescribeIndex, by index; OID stands for the index's oid. psql prints
// them as, for p_pkey:
//
//	        Index "public.p_pkey"
//	 Column |  Type   | Key? | Definition
//	--------+---------+------+------------
//	 id     | integer | yes  | id
//	primary key, btree, for table "public.p"
var psqlDescribeIndexExpected = []struct {
	schema, name string
	want         map[string]string
}{
	{"public", "p_pkey", map[string]string{
		"lookup":   `OID|public|p_pkey`,
		"relation": `0|i|false|false|false|false|false|false|false||0||p|n|btree`,
		"columns":  `id|integer|yes|id|p|NULL`,
		"index":    `true|true|false|true|false|false|false|false|btree|p|NULL`,
	}},
	{"public", "c_expr", map[string]string{
		"lookup":   `OID|public|c_expr`,
		"relation": `0|i|false|false|false|false|false|false|false||0||p|n|btree`,
		"columns":  `expr|integer|yes|(a + b)|p|NULL`,
		"index":    `false|false|false|true|false|false|false|false|btree|c|NULL`,
	}},
	{"public", "ex_i", map[string]string{
		"lookup":   `OID|public|ex_i`,
		"relation": `0|i|false|false|false|false|false|false|false||0||p|n|btree`,
		"columns": `expr|integer|yes|(a + b)|p|NULL
lower|text|yes|lower(s)|x|NULL
expr1|integer|yes|(a - b)|p|NULL
s|text|yes|s|x|NULL
upper|text|yes|upper(s)|x|NULL
expr2|text|yes|(s || 'x'::text)|x|NULL
coalesce|integer|yes|COALESCE(a, 0)|p|NULL
a|text|yes|(a::text)|x|NULL
n|numeric(10,2)|yes|n|m|NULL`,
		"index": `false|false|false|true|false|false|false|false|btree|ex|NULL`,
	}},
	{"public", "ex Q", map[string]string{
		"lookup":   `OID|public|ex Q`,
		"relation": `0|i|false|false|false|false|false|false|false||0||p|n|btree`,
		"columns": `Q|integer|yes|"Q"|p|NULL
n|numeric(10,2)|yes|n|m|NULL`,
		"index": `true|false|false|true|false|false|false|false|btree|ex|NULL`,
	}},
	{"s2", "r_pkey", map[string]string{
		"lookup":   `OID|s2|r_pkey`,
		"relation": `0|i|false|false|false|false|false|false|false||0||p|n|btree`,
		"columns":  `x|integer|yes|x|p|NULL`,
		"index":    `true|true|false|true|false|false|false|false|btree|r|NULL`,
	}},
}

// TestIndexesAsPsqlDescribes replays psql's \d+ of indexes through the SQL
// translator, as pgwire runs them.
func TestIndexesAsPsqlDescribes(t *testing.T) {
	c := indexOpen(t)
	defer c.Close()
	for _, ix := range psqlDescribeIndexExpected {
		duck := ix.schema
		if duck == "public" {
			duck = "main"
		}
		oid := fmt.Sprint(pgemu.HashOID("index:" + duck + "." + ix.name))
		check := func(name, q string) {
			t.Run(ix.name+" "+name, func(t *testing.T) {
				sql := c.TranslateSQL(q)
				got := rowsText(queryRows(t, c.DB(), sql))
				if want := strings.ReplaceAll(ix.want[name], "OID", oid); got != want {
					t.Errorf("got\n%s\nwant (PostgreSQL 15)\n%s\nSQL: %s", got, want, sql)
				}
			})
		}
		// psql looks a name in the search path up among the visible
		// relations, a qualified one by its schema.
		if ix.schema == "public" {
			check("lookup", fmt.Sprintf(psqlLookup, ix.name))
		} else {
			check("lookup", fmt.Sprintf(psqlLookupIn, ix.name, ix.schema))
		}
		for _, q := range psqlDescribeIndex {
			check(q.name, fmt.Sprintf(q.sql, oid))
		}
	}
}

// TestIndexAttributesFollowSchemaChanges checks that an index's
// pg_attribute rows come and go with the index, and that an expression's
// type follows its table's column.
func TestIndexAttributesFollowSchemaChanges(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	const q = `SELECT c.relname, a.attname, a.attnum, a.atttypid FROM tp_pg_catalog.pg_attribute a
JOIN tp_pg_catalog.pg_class c ON c.oid = a.attrelid WHERE c.relkind = 'i' ORDER BY 1, 3`
	list := func() string { return rowsText(queryRows(t, c.DB(), q)) }
	execDDL(t, c, "CREATE TABLE t (id INTEGER PRIMARY KEY, s VARCHAR); CREATE INDEX t_l ON t (lower(s), (id * 2))")
	if got, want := list(), "t_l|lower|1|25\nt_l|expr|2|23\nt_pkey|id|1|23"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	execDDL(t, c, "DROP INDEX t_l; CREATE TABLE u (x BIGINT); CREATE INDEX u_x ON u ((x * 2))")
	if got, want := list(), "t_pkey|id|1|23\nu_x|expr|1|20"; got != want {
		t.Errorf("after DROP INDEX and CREATE INDEX: got\n%s\nwant\n%s", got, want)
	}
	execDDL(t, c, "DROP TABLE u; DROP TABLE t")
	if got := list(); got != "" {
		t.Errorf("after DROP TABLE: %q", got)
	}
	if got := rowsText(queryRows(t, c.DB(), "SELECT count(*) FROM tp_pg_catalog.tp_index_expr_types")); got != "0" {
		t.Errorf("expression types of dropped indexes linger: %s", got)
	}
}
