package pgwire

import (
	"reflect"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// rawPrepared digs the C prepared statement out of duckdb-go's Stmt, which
// does not export it. duckdb-go's column type information drops DuckDB's
// JSON alias; the C logical type keeps it, which spares a DESCRIBE (a second
// bind) of every statement with text columns. Nil if the layout changed.
func rawPrepared(s *duckdb.Stmt) *bindings.PreparedStatement {
	f := reflect.ValueOf(s).Elem().FieldByName("preparedStmt")
	if !f.IsValid() || f.Type() != reflect.TypeOf(&bindings.PreparedStatement{}) {
		return nil
	}
	return *(**bindings.PreparedStatement)(unsafe.Pointer(f.UnsafeAddr()))
}

// jsonColumn reports whether result column i of a prepared statement is
// JSON, and whether it is a list of JSON.
func jsonColumn(ps *bindings.PreparedStatement, i int) (isJSON, listOfJSON bool) {
	lt := bindings.PreparedStatementColumnLogicalType(*ps, bindings.IdxT(i))
	defer bindings.DestroyLogicalType(&lt)
	if bindings.LogicalTypeGetAlias(lt) == "JSON" {
		return true, false
	}
	var child bindings.LogicalType
	switch bindings.GetTypeId(lt) {
	case bindings.TypeList:
		child = bindings.ListTypeChildType(lt)
	case bindings.TypeArray:
		child = bindings.ArrayTypeChildType(lt)
	default:
		return false, false
	}
	defer bindings.DestroyLogicalType(&child)
	return false, bindings.LogicalTypeGetAlias(child) == "JSON"
}
