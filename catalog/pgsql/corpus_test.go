package pgsql

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/tpserver/tpserver/internal/testsupport"
)

// pgCatalogRelations and pgInfoRelations are PostgreSQL 15's catalog and
// information_schema tables and views: the corpus test pretends all are
// emulated.
const pgCatalogRelations = `pg_aggregate pg_am pg_amop pg_amproc pg_attrdef pg_attribute pg_auth_members pg_authid
pg_available_extension_versions pg_available_extensions pg_backend_memory_contexts pg_cast pg_class pg_collation
pg_config pg_constraint pg_conversion pg_cursors pg_database pg_db_role_setting pg_default_acl pg_depend
pg_description pg_enum pg_event_trigger pg_extension pg_file_settings pg_foreign_data_wrapper pg_foreign_server
pg_foreign_table pg_group pg_hba_file_rules pg_ident_file_mappings pg_index pg_indexes pg_inherits pg_init_privs
pg_language pg_largeobject pg_largeobject_metadata pg_locks pg_matviews pg_namespace pg_opclass pg_operator
pg_opfamily pg_parameter_acl pg_partitioned_table pg_policies pg_policy pg_prepared_statements pg_prepared_xacts
pg_proc pg_publication pg_publication_namespace pg_publication_rel pg_publication_tables pg_range
pg_replication_origin pg_replication_origin_status pg_replication_slots pg_rewrite pg_roles pg_rules pg_seclabel
pg_seclabels pg_sequence pg_sequences pg_settings pg_shadow pg_shdepend pg_shdescription pg_shmem_allocations
pg_shseclabel pg_stat_activity pg_stat_all_indexes pg_stat_all_tables pg_stat_user_indexes pg_stat_user_tables
pg_statio_user_tables pg_statistic pg_statistic_ext pg_statistic_ext_data pg_stats pg_stats_ext pg_subscription
pg_subscription_rel pg_tables pg_tablespace pg_timezone_abbrevs pg_timezone_names pg_transform pg_trigger
pg_ts_config pg_ts_config_map pg_ts_dict pg_ts_parser pg_ts_template pg_type pg_user pg_user_mapping
pg_user_mappings pg_views pg_get_keywords`

const pgInfoRelations = `attributes character_sets check_constraints collations column_privileges columns
constraint_column_usage constraint_table_usage domains key_column_usage parameters referential_constraints
routines schemata sequences table_constraints table_privileges tables triggers views`

// corpusFunctions are the functions the corpus test pretends are emulated.
const corpusFunctions = `to_regclass to_regtype to_regproc to_regprocedure to_regnamespace to_regrole to_regoper
format_type pg_get_userbyid pg_encoding_to_char pg_table_is_visible pg_type_is_visible pg_function_is_visible
pg_get_expr pg_get_indexdef pg_get_constraintdef pg_get_viewdef obj_description col_description shobj_description
pg_get_function_result pg_get_function_arguments pg_get_keywords current_schemas array_upper array_lower
pg_size_pretty pg_table_size pg_total_relation_size pg_database_size array_to_string _pg_expandarray
has_table_privilege has_schema_privilege has_database_privilege pg_has_role version current_setting`

func corpusObjects() Objects {
	return Objects{
		CatalogSchema:    "tp_pg_catalog",
		InfoSchema:       "tp_information_schema",
		CatalogRelations: set(strings.Fields(pgCatalogRelations)...),
		InfoRelations:    set(strings.Fields(pgInfoRelations)...),
		Functions:        set(strings.Fields(corpusFunctions)...),
		InfoFunctions:    set("_pg_expandarray"),
	}
}

// corpusStatement is one statement of the client corpus.
type corpusStatement struct {
	file string
	sql  string
}

// headerLine matches a statement's header annotation.
var headerLine = regexp.MustCompile(`^-- (source|protocol|parse param type oids|server ParameterDescription oids|params|bind result format codes|server answered|sent|note|other wire messages seen):`)

// loadCorpus reads the statements of every *.sql file in corpusDir: a
// file header, then statements separated by "-- next" lines, each preceded
// by "-- key: value" header lines.
func loadCorpus(t testing.TB) []corpusStatement {
	// SQL captured from real clients (see the folder's README.md).
	corpusDir := testsupport.SharedFile(t, "reference", "client-queries")
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.sql"))
	if len(files) == 0 {
		t.Skipf("no client query corpus in %s", corpusDir)
	}
	var out []corpusStatement
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		chunks := strings.Split(string(b), "\n-- next\n")
		for i, c := range chunks {
			lines := strings.Split(c, "\n")
			if i == 0 { // file header: up to the first blank line
				for len(lines) > 0 && lines[0] != "" {
					lines = lines[1:]
				}
				for len(lines) > 0 && lines[0] == "" {
					lines = lines[1:]
				}
			}
			for len(lines) > 0 && headerLine.MatchString(lines[0]) {
				lines = lines[1:]
			}
			sql := strings.Join(lines, "\n")
			if i == len(chunks)-1 {
				sql = strings.TrimSuffix(sql, "\n")
			}
			out = append(out, corpusStatement{file: filepath.Base(f), sql: sql})
		}
	}
	return out
}

// leftovers lists what in a translated statement still needs PostgreSQL:
// emulated relations or functions qualified with pg_catalog, reg* casts,
// OPERATOR(...) and COLLATE clauses.
func leftovers(o Objects, sql string) []string {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return []string{"does not parse: " + err.Error()}
	}
	var bad []string
	for _, s := range tree.Stmts {
		walkNode(s.Stmt, nil, func(m protoreflect.Message) {
			switch x := m.Interface().(type) {
			case *pg_query.RangeVar:
				if x.Schemaname == "pg_catalog" && o.CatalogRelations[x.Relname] || x.Schemaname == "information_schema" && o.InfoRelations[x.Relname] {
					bad = append(bad, "relation "+x.Schemaname+"."+x.Relname)
				}
				if x.Schemaname == "" && o.CatalogRelations[x.Relname] {
					bad = append(bad, "relation "+x.Relname)
				}
			case *pg_query.FuncCall:
				name, _ := nodeStrings(x.Funcname)
				if len(name) == 2 && name[0] == "pg_catalog" && x.Funcformat != pg_query.CoercionForm_COERCE_SQL_SYNTAX {
					bad = append(bad, "function "+strings.Join(name, "."))
				}
				if len(name) == 1 && o.Functions[name[0]] {
					bad = append(bad, "function "+name[0])
				}
			case *pg_query.TypeName:
				name, _ := nodeStrings(x.Names)
				if regTypes[name[len(name)-1]] {
					bad = append(bad, "type "+strings.Join(name, "."))
				}
			case *pg_query.A_Expr:
				name, _ := nodeStrings(x.Name)
				if len(name) > 1 {
					bad = append(bad, "OPERATOR("+strings.Join(name, ".")+")")
				}
				if _, ok := regexOps[name[0]]; ok && len(name) == 1 && x.Kind == pg_query.A_Expr_Kind_AEXPR_OP && x.Lexpr != nil {
					bad = append(bad, "regex operator "+name[0])
				}
			case *pg_query.CollateClause:
				bad = append(bad, "COLLATE")
			}
		})
	}
	return bad
}

// TestCorpus translates every statement real clients sent: no panic,
// deterministic, and no PostgreSQL catalog construct left in the
// statements that use the catalog.
func TestCorpus(t *testing.T) {
	stmts := loadCorpus(t)
	o := corpusObjects()
	tr := New(o)
	changed, parsed, catalogUsers := 0, 0, 0
	for _, s := range stmts {
		out := tr.Translate(s.sql)
		if again := New(o).Translate(s.sql); again != out {
			t.Errorf("%s: not deterministic:\n%s\n%s", s.file, out, again)
		}
		if out != s.sql {
			changed++
		}
		if full := tr.translate(s.sql); full != out {
			t.Errorf("%s: the prefilter skipped a rewrite:\n%s\n=> %s", s.file, s.sql, full)
		}
		if _, err := pg_query.Parse(s.sql); err != nil {
			continue
		}
		parsed++
		if len(leftovers(o, s.sql)) == 0 {
			continue
		}
		catalogUsers++
		if bad := leftovers(o, out); len(bad) > 0 {
			t.Errorf("%s: left %v in\n%s\n=> %s", s.file, bad, s.sql, out)
		}
	}
	t.Logf("%d statements, %d parse as PostgreSQL, %d use PostgreSQL catalog constructs, %d changed by Translate", len(stmts), parsed, catalogUsers, changed)
}

// TestTranslateDescribing checks that translating and describing from one
// parse gives, for every statement real clients sent and every rule case,
// the translation Translate gives and the description DescribeResult gives
// (the rules must not have changed the tree yet), and that a cached
// translation describes nothing.
func TestTranslateDescribing(t *testing.T) {
	var texts []string
	for _, s := range loadCorpus(t) {
		texts = append(texts, s.sql)
	}
	for _, c := range ruleCases {
		texts = append(texts, c.in)
	}
	o := corpusObjects()
	tr := New(o)
	for _, sql := range texts {
		var got *Result
		out := tr.TranslateDescribing(sql, func(r Result) { got = &r })
		if want := New(o).Translate(sql); out != want {
			t.Errorf("translation differs:\n%s\n=> %s\nwant %s", sql, out, want)
		}
		if got == nil {
			if _, cached := tr.cache.get(sql); !cached || len(sql) > maxCachedLen {
				t.Errorf("not described: %s", sql)
			}
			continue // a text seen before in the corpus
		}
		if want := DescribeResult(sql); !reflect.DeepEqual(*got, want) {
			t.Errorf("description differs:\n%s\n=> %+v\nwant %+v", sql, *got, want)
		}
		tr.TranslateDescribing(sql, func(Result) {
			if len(sql) <= maxCachedLen {
				t.Errorf("a cached translation described again: %s", sql)
			}
		})
	}
}
