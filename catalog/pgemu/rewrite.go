package pgemu

import "fmt"

// Expression texts (CHECK, DEFAULT, index expressions) are DuckDB's; the
// key catalog (sql/keys.sql) rewrites them into PostgreSQL's spelling for
// the simple cases with nested regexp_replace calls built from these rules:
// literals with their type, <> for !=, = ANY (ARRAY[..]) for IN, ::type
// casts, and pretty mode's fewer parentheses.

// sqlLitRE matches a SQL string literal.
const sqlLitRE = `'(?:[^']|'')*'`

// reRule is one regexp_replace step of an expression rewrite.
type reRule struct{ pattern, repl string }

// applyRules nests regexp_replace calls applying rules, in order, to expr.
func applyRules(expr string, rules []reRule) string {
	for _, r := range rules {
		expr = fmt.Sprintf("regexp_replace(%s, %s, %s, 'g')", expr, quote(r.pattern), quote(r.repl))
	}
	return expr
}

// castTypes maps the type names DuckDB prints in CAST(x AS T) to the
// PostgreSQL type names tpserver shows for them.
var castTypes = []struct{ duck, pg string }{
	{"VARCHAR", "text"}, {"INTEGER", "integer"}, {"BIGINT", "bigint"}, {"SMALLINT", "smallint"},
	{"DOUBLE", "double precision"}, {"FLOAT", "real"}, {"BOOLEAN", "boolean"}, {"DATE", "date"},
	{"TIMESTAMP", "timestamp without time zone"}, {"TIMESTAMP WITH TIME ZONE", "timestamp with time zone"},
	{"TIME", "time without time zone"}, {"TIME WITH TIME ZONE", "time with time zone"}, {"INTERVAL", "interval"}, {"UUID", "uuid"}, {"BLOB", "bytea"}, {"JSON", "json"},
}

// pgExprRules rewrite a DuckDB expression text into PostgreSQL's
// (non-pretty) rendering of the same expression.
func pgExprRules() []reRule {
	operand := `([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*"|\d+(?:\.\d+)?)`
	rules := []reRule{
		{`nextval\((` + sqlLitRE + `)\)`, `nextval(\1::regclass)`},
		{`CAST\('t' AS BOOLEAN\)`, `true`},
		{`CAST\('f' AS BOOLEAN\)`, `false`},
		{`CAST\((` + sqlLitRE + `) AS DECIMAL\((\d+), (\d+)\)\)`, `\1::numeric(\2,\3)`},
		{`CAST\(` + operand + ` AS DECIMAL\((\d+), (\d+)\)\)`, `(\1)::numeric(\2,\3)`},
	}
	for _, t := range castTypes {
		rules = append(rules,
			reRule{`CAST\((` + sqlLitRE + `) AS "?` + t.duck + `"?\)`, `\1::` + t.pg},
			reRule{`CAST\(` + operand + ` AS "?` + t.duck + `"?\)`, `(\1)::` + t.pg})
	}
	bigint := `(-?(?:\d{11,}|[3-9]\d{9}|2[2-9]\d{8}|21[5-9]\d{7}|214[89]\d{6}|2147[5-9]\d{5}|21474[89]\d{4}|214748[4-9]\d{3}|2147483[7-9]\d{2}|21474836[5-9]\d|214748364[89]))`
	before, after := `(^|[\s(,\[])`, `($|[\s),\]])`
	return append(rules,
		// Untyped string literals are text; a literal typed above keeps its type.
		reRule{`(` + sqlLitRE + `)`, `\1::text`},
		reRule{`::text::`, `::`},
		reRule{`!=`, `<>`},
		reRule{`(\S+) NOT IN \(([^()]*)\)`, `\1 <> ALL (ARRAY[\2])`},
		reRule{`(\S+) IN \(([^()]*)\)`, `\1 = ANY (ARRAY[\2])`},
		reRule{`\(([^()\s]+) BETWEEN ([^()\s]+) AND ([^()\s]+)\)`, `((\1 >= \2) AND (\1 <= \3))`},
		// Constants PostgreSQL labels with their type: negative numbers and
		// integers beyond int4.
		reRule{before + bigint + after, `\1'\2'::bigint\3`},
		reRule{before + `-(\d+\.\d+)` + after, `\1'-\2'::numeric\3`},
		reRule{before + `-(\d+)` + after, `\1'-\2'::integer\3`},
		reRule{`-\(([A-Za-z_][A-Za-z0-9_]*)\)`, `(- \1)`},
		reRule{`\bcurrent_timestamp\b`, `CURRENT_TIMESTAMP`},
		reRule{`\bcurrent_date\b`, `CURRENT_DATE`},
		reRule{`\bcurrent_time\b`, `CURRENT_TIME`},
		reRule{`\blocaltimestamp\b`, `LOCALTIMESTAMP`},
		reRule{`\blocaltime\b`, `LOCALTIME`},
		// DuckDB turns s ~ 'p' into regexp_full_match(s, 'p').
		reRule{`^regexp_full_match\(([^,()]+), (` + sqlLitRE + `::text)\)$`, `(\1 ~ \2)`},
	)
}

// pgPrettyRules drop the parentheses PostgreSQL's pretty mode leaves out
// around the operands of AND, OR and NOT: comparisons, NOT, and AND under
// OR. AND and OR are first replaced by the markers \x01 and \x02 so that
// one operand's pattern cannot span them.
func pgPrettyRules() []reRule {
	atom := `(?:[^()'\x01\x02]|` + sqlLitRE + `|[A-Za-z0-9_]\((?:[^()']|` + sqlLitRE + `)*\)|(?:ANY|ALL) \((?:[^()']|` + sqlLitRE + `)*\))`
	cmp := ` (?:=|<>|<|>|<=|>=|~~\*?|!~~\*?|~\*?|!~\*?|IS) `
	leaf := `((?:NOT ` + atom + `*|` + atom + `*` + cmp + atom + `*))`
	andGroup := `((?:[^()'\x02]|` + sqlLitRE + `)*\x01(?:[^()'\x02]|` + sqlLitRE + `)*)`
	return []reRule{
		{`\(([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*"|\d+(?:\.\d+)?)\)::`, `\1::`},
		{`\(` + leaf + `\)( [\x01\x02] )`, `\1\2`},
		{`([( ]NOT | [\x01\x02] )\(` + leaf + `\)`, `\1\2`},
		{`\(` + andGroup + `\)( \x02 )`, `\1\2`},
		{`( \x02 )\(` + andGroup + `\)`, `\1\2`},
	}
}
