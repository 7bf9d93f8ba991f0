package pgemu

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"regexp"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// pg_typeof names PostgreSQL's type of a value: the type pgwire describes
// DuckDB's type of it as (HUGEINT and DECIMAL are numeric, VARCHAR text,
// STRUCT, MAP, UNION and lists of them json, a list of a scalar that
// scalar's array type). The emulated pg_typeof(x) is
// tp_pg_typeof(typeof(x)), a Go function: as a SQL macro the cases took
// DuckDB long to plan in every statement that calls it.

// typeofFunction is the SQL name of the registered function.
const typeofFunction = "tp_pg_typeof"

// duckScalarPGNames maps DuckDB's scalar type names (typeof, without
// parameters) to PostgreSQL's.
var duckScalarPGNames = map[string]string{
	"BOOLEAN": "boolean", "TINYINT": "smallint", "SMALLINT": "smallint", "UTINYINT": "smallint",
	"INTEGER": "integer", "USMALLINT": "integer", "BIGINT": "bigint", "UINTEGER": "bigint",
	"UBIGINT": "numeric", "HUGEINT": "numeric", "UHUGEINT": "numeric", "BIGNUM": "numeric", "DECIMAL": "numeric",
	"FLOAT": "real", "DOUBLE": "double precision", "VARCHAR": "text", "BLOB": "bytea", "DATE": "date",
	"TIME": "time without time zone", "TIME WITH TIME ZONE": "time with time zone",
	"TIMESTAMP": "timestamp without time zone", "TIMESTAMP_S": "timestamp without time zone",
	"TIMESTAMP_MS": "timestamp without time zone", "TIMESTAMP_NS": "timestamp without time zone",
	"TIMESTAMP WITH TIME ZONE": "timestamp with time zone", "INTERVAL": "interval", "UUID": "uuid", "BIT": "bit",
	"JSON": "json", `"NULL"`: "unknown",
}

var (
	typeParams  = regexp.MustCompile(`\(.*\)$`)
	arraySuffix = regexp.MustCompile(`\[\d*\]$`)
	complexType = regexp.MustCompile(`^(STRUCT|MAP|UNION)\(`)
)

// pgTypeofName is pg_typeof's answer for a value of the DuckDB type t (as
// typeof prints it). An ENUM or another type it does not know is text.
func pgTypeofName(t string) string {
	if complexType.MatchString(t) {
		return "json"
	}
	if loc := arraySuffix.FindStringIndex(t); loc != nil {
		elem := t[:loc[0]]
		if arraySuffix.MatchString(elem) || complexType.MatchString(elem) {
			return "json" // a nested list is described as json
		}
		name := pgTypeofName(elem)
		if name == "unknown" {
			return "text[]"
		}
		return name + "[]"
	}
	if name, ok := duckScalarPGNames[strings.TrimSpace(typeParams.ReplaceAllString(t, ""))]; ok {
		return name
	}
	return "text"
}

// typeofUDF is tp_pg_typeof as a DuckDB scalar function.
type typeofUDF struct{}

func (typeofUDF) Config() duckdb.ScalarFuncConfig {
	varchar, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{varchar}, ResultTypeInfo: varchar}
}

func (typeofUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(args []driver.Value) (any, error) {
		t, ok := args[0].(string)
		if !ok {
			return nil, nil
		}
		return pgTypeofName(t), nil
	}}
}

// registerTypeof registers tp_pg_typeof with the database, as
// registerFormatType does tp_format_type.
func registerTypeof(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("register %s: %w", typeofFunction, err)
	}
	defer conn.Close()
	if err := duckdb.RegisterScalarUDF(conn, typeofFunction, typeofUDF{}); err != nil {
		return fmt.Errorf("register %s: %w", typeofFunction, err)
	}
	return nil
}
