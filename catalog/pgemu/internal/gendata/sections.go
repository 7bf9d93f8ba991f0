package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// section is one variable of data.go: a query whose rows, each rendered as
// a Go composite literal by row, make the slice.
type section struct {
	name    string // the variable
	typ     string // its element type
	comment string
	query   string
	args    []any
	// row renders the current row, scanned into dest, as a literal.
	dest func() []any
	row  func() string
}

// write runs the section's query and writes the variable.
func (s section) write(ctx context.Context, conn *pgx.Conn, b *bytes.Buffer) error {
	rows, err := conn.Query(ctx, s.query, s.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	fmt.Fprintf(b, "\n%s\nvar %s = []%s{\n", s.comment, s.name, s.typ)
	n := 0
	for rows.Next() {
		if err := rows.Scan(s.dest()...); err != nil {
			return err
		}
		fmt.Fprintf(b, "\t{%s},\n", s.row())
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("no rows")
	}
	b.WriteString("}\n")
	return nil
}

// typeRegprocs are pg_type's regproc columns: the functions pgProcRows
// always includes.
const typeRegprocs = "typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze, typsubscript"

// sections are data.go's variables, in order.
func sections() []section {
	return []section{typeSection(), procSection(), keywordSection(), settingSection(), relationSection(), operatorSection()}
}

func typeSection() section {
	var (
		oid, elem, array, input, output, receive, send, modin, modout, analyze, subscript, collation int64
		name, typtype, category, delim, align, storage                                               string
		length                                                                                       int
		byval, preferred                                                                             bool
	)
	return section{
		name: "pgTypeRows", typ: "pgTypeRow",
		comment: "// pgTypeRows are PostgreSQL 15's built-in types: pg_type WHERE oid < 10000 AND typrelid = 0.",
		query: `SELECT oid::int8, typname::text, typlen::int, typbyval, typtype::text, typcategory::text, typispreferred, typdelim::text,
  typelem::int8, typarray::int8, typinput::oid::int8, typoutput::oid::int8, typreceive::oid::int8, typsend::oid::int8,
  typmodin::oid::int8, typmodout::oid::int8, typanalyze::oid::int8, typsubscript::oid::int8, typalign::text, typstorage::text,
  typcollation::int8
FROM pg_type WHERE oid < 10000 AND typrelid = 0 ORDER BY oid`,
		dest: func() []any {
			return []any{&oid, &name, &length, &byval, &typtype, &category, &preferred, &delim, &elem, &array,
				&input, &output, &receive, &send, &modin, &modout, &analyze, &subscript, &align, &storage, &collation}
		},
		row: func() string {
			return fmt.Sprintf("%d, %q, %d, %t, %s, %s, %t, %s, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %s, %s, %d",
				oid, name, length, byval, char(typtype), char(category), preferred, char(delim), elem, array,
				input, output, receive, send, modin, modout, analyze, subscript, char(align), char(storage), collation)
		},
	}
}

// emulatedFunctions are the functions whose pg_proc rows (every overload)
// pgProcRows holds besides the types' own: those the emulation defines and
// those clients look up in pg_proc.
func emulatedFunctions() []string {
	return strings.Fields(`array_length array_lower array_to_string array_upper avg col_description count
current_database current_schema current_schemas current_setting format_type generate_series has_any_column_privilege
has_column_privilege has_database_privilege has_function_privilege has_schema_privilege has_sequence_privilege
has_table_privilege inet_server_addr inet_server_port length lower max min now obj_description parse_ident
pg_backend_pid pg_char_to_encoding pg_database_size pg_encoding_max_length pg_encoding_to_char pg_function_is_visible
pg_get_constraintdef pg_get_expr pg_get_function_arguments pg_get_function_identity_arguments pg_get_function_result
pg_get_function_sqlbody pg_get_indexdef pg_get_keywords pg_get_partkeydef pg_get_ruledef pg_get_serial_sequence
pg_get_statisticsobjdef_columns pg_get_triggerdef pg_get_userbyid pg_get_viewdef pg_indexes_size pg_is_in_recovery
pg_is_other_temp_schema pg_my_temp_schema pg_opclass_is_visible pg_opfamily_is_visible pg_postmaster_start_time
pg_relation_is_publishable pg_relation_size pg_size_pretty pg_stat_get_numscans pg_table_is_visible pg_table_size
pg_tablespace_location pg_total_relation_size pg_type_is_visible pg_typeof quote_ident set_config shobj_description
string_to_array substring sum to_regclass to_regnamespace to_regoper to_regproc to_regprocedure to_regrole to_regtype
txid_current unnest upper version`)
}

func procSection() section {
	var (
		oid, rettype, lang                        int64
		name, kind, volatile, parallel, args, src string
		strict, retset                            bool
		nargs                                     int
	)
	return section{
		name: "pgProcRows", typ: "pgProcRow",
		comment: "// pgProcRows are the PostgreSQL 15 pg_proc rows of the functions pg_type names\n// (typinput, typoutput, ...) and of the functions tp_pg_catalog emulates.",
		query: `SELECT oid::int8, proname::text, prokind::text, proisstrict, proretset, provolatile::text, proparallel::text, pronargs::int,
  prorettype::int8, proargtypes::text, prolang::int8, prosrc
FROM pg_proc
WHERE oid IN (SELECT unnest(ARRAY[` + typeRegprocs + `]::oid[]) FROM pg_type WHERE oid < 10000 AND typrelid = 0)
  OR proname = ANY($1)
ORDER BY oid`,
		args: []any{emulatedFunctions()},
		dest: func() []any {
			return []any{&oid, &name, &kind, &strict, &retset, &volatile, &parallel, &nargs, &rettype, &args, &lang, &src}
		},
		row: func() string {
			return fmt.Sprintf("%d, %q, %s, %t, %t, %s, %s, %d, %d, %q, %d, %q",
				oid, name, char(kind), strict, retset, char(volatile), char(parallel), nargs, rettype, args, lang, src)
		},
	}
}

func keywordSection() section {
	var word, catcode, catdesc, baredesc string
	var barelabel bool
	return section{
		name: "pgKeywordRows", typ: "pgKeywordRow",
		comment: "// pgKeywordRows are the rows of PostgreSQL 15's pg_get_keywords().",
		query:   `SELECT word::text, catcode::text, barelabel, catdesc, baredesc FROM pg_get_keywords()`,
		dest:    func() []any { return []any{&word, &catcode, &barelabel, &catdesc, &baredesc} },
		row: func() string {
			return fmt.Sprintf("%q, %s, %t, %q, %q", word, char(catcode), barelabel, catdesc, baredesc)
		},
	}
}

// pgwireSettings are the parameters pgwire knows: the pg_settings rows
// pgSettingRows holds.
func pgwireSettings() []string {
	return strings.Fields(`DateStyle IntervalStyle TimeZone application_name backslash_quote block_size
bytea_output check_function_bodies client_encoding client_min_messages data_directory_mode default_tablespace
default_text_search_config default_transaction_isolation default_transaction_read_only escape_string_warning
extra_float_digits idle_in_transaction_session_timeout idle_session_timeout in_hot_standby integer_datetimes jit
lc_collate lc_ctype lc_messages lc_monetary lc_numeric lc_time listen_addresses lock_timeout max_connections
max_function_args max_identifier_length max_index_keys port row_security search_path segment_size server_encoding
server_version server_version_num shared_buffers standard_conforming_strings statement_timeout synchronous_commit
timezone_abbreviations transaction_isolation transaction_read_only wal_block_size work_mem xmloption`)
}

func settingSection() section {
	var v [12]string
	return section{
		name: "pgSettingRows", typ: "pgSettingRow",
		comment: "// pgSettingRows are PostgreSQL 15 pg_settings rows (setting as in a fresh cluster;\n// values the server reports differently are overridden when installed).",
		query: `SELECT name::text, setting, coalesce(unit, ''), category, short_desc, context, vartype, coalesce(min_val, ''), coalesce(max_val, ''),
  coalesce(array_to_string(enumvals, ','), ''), coalesce(boot_val, ''), coalesce(reset_val, '')
FROM pg_settings WHERE name = ANY($1) ORDER BY name COLLATE "C"`,
		args: []any{pgwireSettings()},
		dest: func() []any {
			d := make([]any, len(v))
			for i := range v {
				d[i] = &v[i]
			}
			return d
		},
		row: func() string {
			q := make([]string, len(v))
			for i, s := range v {
				q[i] = fmt.Sprintf("%q", s)
			}
			return strings.Join(q, ", ")
		},
	}
}

func relationSection() section {
	var oid int64
	var schema, name, kind string
	return section{
		name: "pgSystemRelations", typ: "pgSystemRelation",
		comment: "// pgSystemRelations are the relations of PostgreSQL 15's pg_catalog and\n// information_schema (oid, schema, name, relkind), for to_regclass.",
		query: `SELECT c.oid::int8, n.nspname::text, c.relname::text, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'v') ORDER BY c.oid`,
		dest: func() []any { return []any{&oid, &schema, &name, &kind} },
		row:  func() string { return fmt.Sprintf("%d, %q, %q, %s", oid, schema, name, char(kind)) },
	}
}

// operatorNames are the operators pgOperatorRows holds, those whose left
// operand is of one of operatorTypes.
func operatorNames() []string {
	return strings.Fields(`= <> < <= > >= + - * / || ~~ !~~ ~~* !~~* ~ !~ ~* !~* -> ->> @> <@ &&`)
}

// operatorTypes are the types tpserver emits, anyarray, and 0 (no left
// operand: a prefix operator).
func operatorTypes() []int64 {
	return []int64{0, 16, 17, 18, 19, 20, 21, 23, 25, 26, 114, 700, 701, 1082, 1083, 1114, 1184, 1186, 1700, 2277, 2950, 3802}
}

func operatorSection() section {
	var oid, left, right, result, com, negate, code int64
	var name, kind string
	var canMerge, canHash bool
	return section{
		name: "pgOperatorRows", typ: "pgOperatorRow",
		comment: "// pgOperatorRows are PostgreSQL 15 pg_operator rows of the common comparison,\n// pattern and concatenation operators on the types tpserver emits.",
		query: `SELECT oid::int8, oprname::text, oprkind::text, oprcanmerge, oprcanhash, oprleft::int8, oprright::int8, oprresult::int8,
  oprcom::int8, oprnegate::int8, oprcode::oid::int8
FROM pg_operator WHERE oprname = ANY($1) AND oprleft = ANY($2::oid[]) ORDER BY oid`,
		args: []any{operatorNames(), operatorTypes()},
		dest: func() []any {
			return []any{&oid, &name, &kind, &canMerge, &canHash, &left, &right, &result, &com, &negate, &code}
		},
		row: func() string {
			return fmt.Sprintf("%d, %q, %s, %t, %t, %d, %d, %d, %d, %d, %d", oid, name, char(kind), canMerge, canHash, left, right, result, com, negate, code)
		},
	}
}

// char renders a one-character "char" value as a Go rune literal.
func char(s string) string {
	if len(s) != 1 {
		panic(fmt.Sprintf("not one character: %q", s))
	}
	return fmt.Sprintf("%q", rune(s[0]))
}
