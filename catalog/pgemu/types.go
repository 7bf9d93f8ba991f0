package pgemu

// Type mapping: PostgreSQL catalog column types to the DuckDB types the
// emulation stores them as, and format_type's names of built-in types.
// (DuckDB column types to PostgreSQL type oids is SQL: tp_type_oid in
// sql/helpers.sql, which must agree with pgwire's RowDescription.)

// DuckType is the DuckDB type the emulation gives a catalog column of
// PostgreSQL type t (oid, name, "char", int2vector...).
func DuckType(t string) string {
	switch t {
	case "oid", "xid", "regproc", "regtype", "regclass", "bigint":
		return "BIGINT"
	case "integer":
		return "INTEGER"
	case "smallint":
		return "SMALLINT"
	case "boolean":
		return "BOOLEAN"
	case "real":
		return "FLOAT"
	case "double precision":
		return "DOUBLE"
	case "timestamp with time zone":
		return "TIMESTAMPTZ"
	case "interval":
		return "INTERVAL"
	case "bytea":
		return "BLOB"
	case "int2vector", "smallint[]":
		return "SMALLINT[]"
	case "oidvector", "oid[]", "regtype[]":
		return "BIGINT[]"
	case "aclitem[]", "text[]", "name[]", `"char"[]`:
		return "VARCHAR[]"
	}
	return "VARCHAR" // name, text, "char", pg_node_tree, inet, anyarray
}

// formatTypeNames are format_type's names of built-in types whose name
// differs from typname (without a typmod).
var formatTypeNames = map[string]string{
	"int4": "integer", "int8": "bigint", "int2": "smallint", "bool": "boolean", "float4": "real",
	"float8": "double precision", "char": `"char"`, "bpchar": "character", "varchar": "character varying",
	"timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone",
	"time": "time without time zone", "timetz": "time with time zone", "varbit": "bit varying",
}

// formatTypeName is format_type(oid, NULL) of a built-in type.
func formatTypeName(oid int64) string {
	byOID := func(o int64) (pgTypeRow, bool) {
		for _, t := range pgTypeRows {
			if t.oid == o {
				return t, true
			}
		}
		return pgTypeRow{}, false
	}
	t, ok := byOID(oid)
	if !ok {
		return "???"
	}
	suffix := ""
	if t.category == 'A' && t.elem != 0 {
		if e, ok := byOID(t.elem); ok {
			t, suffix = e, "[]"
		}
	}
	if n, ok := formatTypeNames[t.name]; ok {
		return n + suffix
	}
	return t.name + suffix
}
