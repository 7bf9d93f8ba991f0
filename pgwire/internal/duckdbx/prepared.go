package duckdbx

import (
	"reflect"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
	duckdb "github.com/duckdb/duckdb-go/v2"
)

// JSONKind says whether a result column is DuckDB's JSON type.
type JSONKind uint8

// JSON kinds of a result column.
const (
	NotJSON    JSONKind = iota // any other type
	JSON                       // JSON
	ListOfJSON                 // JSON[] (a LIST or ARRAY of JSON)
)

// ColumnJSONKinds reports the JSON kind of each of the first n result
// columns of a prepared statement. duckdb-go's column type information drops
// DuckDB's JSON alias; the C logical type keeps it, which spares a DESCRIBE
// (a second bind) of every statement with text columns. ok is false when
// the C prepared statement cannot be reached (the driver's layout changed).
func ColumnJSONKinds(s *duckdb.Stmt, n int) (kinds []JSONKind, ok bool) {
	ps := rawPrepared(s)
	if ps == nil {
		return nil, false
	}
	kinds = make([]JSONKind, n)
	for i := range kinds {
		kinds[i] = columnJSONKind(ps, i)
	}
	return kinds, true
}

// rawPrepared digs the C prepared statement out of duckdb-go's Stmt, which
// does not export it. Nil if the layout changed.
func rawPrepared(s *duckdb.Stmt) *bindings.PreparedStatement {
	f := reflect.ValueOf(s).Elem().FieldByName("preparedStmt")
	if !f.IsValid() || f.Type() != reflect.TypeOf(&bindings.PreparedStatement{}) {
		return nil
	}
	return *(**bindings.PreparedStatement)(unsafe.Pointer(f.UnsafeAddr()))
}

// columnJSONKind reads the JSON kind of result column i from its C logical
// type.
func columnJSONKind(ps *bindings.PreparedStatement, i int) JSONKind {
	lt := bindings.PreparedStatementColumnLogicalType(*ps, bindings.IdxT(i))
	defer bindings.DestroyLogicalType(&lt)
	if bindings.LogicalTypeGetAlias(lt) == "JSON" {
		return JSON
	}
	var child bindings.LogicalType
	switch bindings.GetTypeId(lt) {
	case bindings.TypeList:
		child = bindings.ListTypeChildType(lt)
	case bindings.TypeArray:
		child = bindings.ArrayTypeChildType(lt)
	default:
		return NotJSON
	}
	defer bindings.DestroyLogicalType(&child)
	if bindings.LogicalTypeGetAlias(child) == "JSON" {
		return ListOfJSON
	}
	return NotJSON
}

// Param is what the C logical type of a prepared statement's parameter
// tells beyond duckdb-go's ParamType: the JSON alias, and for a LIST or
// ARRAY parameter its element type and nesting depth.
type Param struct {
	JSON bool
	// Elem is the innermost element type of a LIST or ARRAY parameter
	// (Depth levels deep); zero otherwise.
	Elem  duckdb.Type
	Depth int
	// ElemJSON says the innermost element type is JSON.
	ElemJSON bool
}

// Params reports the first n parameters of a prepared statement; ok is
// false when the C prepared statement cannot be reached.
func Params(s *duckdb.Stmt, n int) (params []Param, ok bool) {
	ps := rawPrepared(s)
	if ps == nil {
		return nil, false
	}
	params = make([]Param, n)
	for i := range params {
		lt := bindings.ParamLogicalType(*ps, bindings.IdxT(i+1))
		if lt.Ptr == nil {
			continue // unresolved: DuckDB has no type for it
		}
		params[i] = describeParam(lt)
		bindings.DestroyLogicalType(&lt)
	}
	return params, true
}

// describeParam reads a parameter's logical type (it does not destroy it).
func describeParam(lt bindings.LogicalType) Param {
	var p Param
	p.JSON = bindings.LogicalTypeGetAlias(lt) == "JSON"
	cur := lt
	var owned []bindings.LogicalType
	defer func() {
		for i := range owned {
			bindings.DestroyLogicalType(&owned[i])
		}
	}()
	for {
		var child bindings.LogicalType
		switch bindings.GetTypeId(cur) {
		case bindings.TypeList:
			child = bindings.ListTypeChildType(cur)
		case bindings.TypeArray:
			child = bindings.ArrayTypeChildType(cur)
		default:
			if p.Depth > 0 {
				p.Elem = bindings.GetTypeId(cur)
				p.ElemJSON = bindings.LogicalTypeGetAlias(cur) == "JSON"
			}
			return p
		}
		owned = append(owned, child)
		cur = child
		p.Depth++
	}
}
