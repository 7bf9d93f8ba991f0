package pgemu

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// format_type is the function clients call most when they browse a schema
// (once per column in psql's \d, SQLAlchemy's get_columns, DBeaver). As a
// SQL macro its many cases took DuckDB milliseconds to plan on every query,
// so it is a Go function registered with DuckDB: tp_format_type(oid,
// typmod), which the emulated pg_catalog.format_type calls.

// formatTypeFunction is the SQL name of the registered function.
const formatTypeFunction = "tp_format_type"

// typmodElements are the array types whose element type prints its typmod.
var typmodElements = map[int64]int64{
	1014: 1042, 1015: 1043, 1231: 1700, 1115: 1114, 1185: 1184, 1183: 1083, 1270: 1266, 1561: 1560, 1563: 1562,
}

// formatType is PostgreSQL's format_type(oid, typmod) for the built-in
// types; typmod nil is SQL NULL. An oid it does not know is "???".
func formatType(names map[int64]string, oid int64, typmod *int64) string {
	if elem, ok := typmodElements[oid]; ok {
		s, _ := formatTypmodTypeOK(elem, typmod)
		return s + "[]"
	}
	if s, ok := formatTypmodTypeOK(oid, typmod); ok {
		return s
	}
	if n, ok := names[oid]; ok {
		return n
	}
	return "???"
}

// formatTypmodTypeOK formats the types whose text depends on the typmod;
// ok is false for other types.
func formatTypmodTypeOK(oid int64, typmod *int64) (string, bool) {
	m, known := int64(0), typmod != nil
	if known {
		m = *typmod
	}
	precision := func() string {
		if known && m >= 0 {
			return "(" + strconv.FormatInt(m, 10) + ")"
		}
		return ""
	}
	switch oid {
	case 0:
		return "-", true
	case 1042:
		switch {
		case !known:
			return "character", true
		case m > 4:
			return fmt.Sprintf("character(%d)", m-4), true
		}
		return "bpchar", true
	case 1043:
		if known && m > 4 {
			return fmt.Sprintf("character varying(%d)", m-4), true
		}
		return "character varying", true
	case 1700:
		if known && m >= 4 {
			return fmt.Sprintf("numeric(%d,%d)", (m-4)>>16, (m-4)&65535), true
		}
		return "numeric", true
	case 1114:
		return "timestamp" + precision() + " without time zone", true
	case 1184:
		return "timestamp" + precision() + " with time zone", true
	case 1083:
		return "time" + precision() + " without time zone", true
	case 1266:
		return "time" + precision() + " with time zone", true
	case 1560:
		switch {
		case !known:
			return "bit", true
		case m >= 0:
			return fmt.Sprintf("bit(%d)", m), true
		}
		return `"bit"`, true
	case 1562:
		if known && m >= 0 {
			return fmt.Sprintf("bit varying(%d)", m), true
		}
		return "bit varying", true
	}
	return "", false
}

// formatTypeUDF is tp_format_type as a DuckDB scalar function.
type formatTypeUDF struct{ names map[int64]string }

func (f formatTypeUDF) Config() duckdb.ScalarFuncConfig {
	bigint, _ := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	varchar, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	// NULL handling is the function's own: a NULL typmod is not -1.
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{bigint, bigint}, ResultTypeInfo: varchar, SpecialNullHandling: true}
}

func (f formatTypeUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(args []driver.Value) (any, error) {
		oid, ok := args[0].(int64)
		if !ok {
			return nil, nil // NULL type
		}
		var typmod *int64
		if m, ok := args[1].(int64); ok {
			typmod = &m
		}
		return formatType(f.names, oid, typmod), nil
	}}
}

// registerFormatType registers tp_format_type with the database; DuckDB
// keeps a function registered on one connection for all of them, for the
// life of the process (it is not stored in the file). Registering again
// is harmless. It must come before the connection runs a query: with
// streaming results on, a registration after one did not take effect.
func registerFormatType(ctx context.Context, db *sql.DB) error {
	names := make(map[int64]string, len(pgTypeRows))
	for _, t := range pgTypeRows {
		names[t.oid] = formatTypeName(t.oid)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("register %s: %w", formatTypeFunction, err)
	}
	defer conn.Close()
	if err := duckdb.RegisterScalarUDF(conn, formatTypeFunction, formatTypeUDF{names: names}); err != nil {
		return fmt.Errorf("register %s: %w", formatTypeFunction, err)
	}
	return nil
}
