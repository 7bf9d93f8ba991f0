package sqlclass

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// fileFunctions are DuckDB (and PostgreSQL) functions that read or list
// server files, read the environment, secrets or the network, or run SQL
// text the classifier cannot see.
var fileFunctions = map[string]bool{
	"getenv": true, "duckdb_secrets": true, "which_secret": true, "load_aws_credentials": true,
	"query": true, "query_table": true, "iceberg_metadata": true, "iceberg_snapshots": true,
	"read_csv_auto_scan": true, "read_parquet_metadata": true, "duckdb_extensions_install": true,
	"read_ndjson_object": true, "delta_scan_metadata": true, "postgres_scan": true, "sqlite_scan": true,
	"mysql_scan": true, "postgres_query": true, "read_xml": true, "st_read": true,
	"read_csv": true, "read_csv_auto": true, "csv_scan": true, "sniff_csv": true,
	"read_parquet": true, "parquet_scan": true, "parquet_metadata": true, "parquet_schema": true,
	"parquet_file_metadata": true, "parquet_kv_metadata": true, "parquet_bloom_probe": true,
	"read_json": true, "read_json_auto": true, "read_json_objects": true, "read_json_objects_auto": true,
	"read_ndjson": true, "read_ndjson_auto": true, "read_ndjson_objects": true, "json_scan": true,
	"read_text": true, "read_blob": true, "glob": true, "read_xlsx": true, "iceberg_scan": true,
	"delta_scan": true, "read_duckdb": true,
	"pg_read_file": true, "pg_read_binary_file": true, "pg_ls_dir": true, "pg_stat_file": true,
	"lo_import": true, "lo_export": true,
}

// writeNodes are parse nodes that change data wherever they appear (a
// data-modifying WITH, for one).
func writeNode(m protoreflect.ProtoMessage) bool {
	switch m.(type) {
	case *pg_query.InsertStmt, *pg_query.UpdateStmt, *pg_query.DeleteStmt, *pg_query.MergeStmt:
		return true
	}
	return false
}

// collect walks a statement's tree for the relations and functions it
// names, the files it reads and the data it writes.
func collect(st *Statement, node *pg_query.Node) {
	ctes := map[string]bool{}
	walk(node.ProtoReflect(), func(m protoreflect.ProtoMessage) {
		switch x := m.(type) {
		case *pg_query.RangeVar:
			st.Relations = append(st.Relations, Name{Catalog: x.Catalogname, Schema: x.Schemaname, Name: x.Relname})
			if looksLikeFile(x.Relname) {
				st.Files = true
				st.noteExternal("FROM \"" + x.Relname + "\"")
			}
		case *pg_query.CommonTableExpr:
			ctes[x.Ctename] = true
		case *pg_query.FuncCall:
			name := funcName(x.Funcname)
			st.Functions = append(st.Functions, name)
			base := name[strings.LastIndexByte(name, '.')+1:]
			if fileFunctions[base] {
				st.Files = true
				st.noteExternal(name + "()")
			}
			if base == "set_config" {
				if c, ok := setConfigCall(x.Args); ok {
					st.SetConfigs = append(st.SetConfigs, c)
				}
			}
		default:
			if writeNode(m) {
				st.Writes = true
			}
		}
		st.Targets = append(st.Targets, targetsOf(m)...)
	})
	if len(ctes) > 0 {
		kept := st.Relations[:0]
		for _, r := range st.Relations {
			if r.Schema != "" || !ctes[r.Name] {
				kept = append(kept, r)
			}
		}
		st.Relations = kept
	}
}

// walk calls visit for m and every message below it.
func walk(m protoreflect.Message, visit func(protoreflect.ProtoMessage)) {
	visit(m.Interface())
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Message() == nil || fd.IsMap() {
			return true
		}
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				walk(l.Get(i).Message(), visit)
			}
			return true
		}
		walk(v.Message(), visit)
		return true
	})
}

// funcName joins a function's qualified name, lower-case as parsed.
func funcName(parts []*pg_query.Node) string {
	names := make([]string, 0, len(parts))
	for _, p := range parts {
		names = append(names, p.GetString_().GetSval())
	}
	return strings.Join(names, ".")
}

// setConfigCall reads set_config('name', 'value', is_local) with constant
// arguments.
func setConfigCall(args []*pg_query.Node) (SetConfigCall, bool) {
	if len(args) != 3 {
		return SetConfigCall{}, false
	}
	name, value := args[0].GetAConst().GetSval(), args[1].GetAConst().GetSval()
	local := args[2].GetAConst().GetBoolval()
	if name == nil || value == nil || local == nil {
		return SetConfigCall{}, false
	}
	return SetConfigCall{Name: name.Sval, Value: value.Sval, Local: local.Boolval}, true
}
