package pgwire

import (
	"fmt"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
)

// PostgreSQL type OIDs used by the type registry.
const (
	oidBool        uint32 = 16
	oidBytea       uint32 = 17
	oidInt8        uint32 = 20
	oidInt2        uint32 = 21
	oidInt4        uint32 = 23
	oidText        uint32 = 25
	oidJSON        uint32 = 114
	oidJSONArray   uint32 = 199
	oidFloat4      uint32 = 700
	oidFloat8      uint32 = 701
	oidBoolArray   uint32 = 1000
	oidByteaArray  uint32 = 1001
	oidInt2Array   uint32 = 1005
	oidInt4Array   uint32 = 1007
	oidTextArray   uint32 = 1009
	oidVarcharArr  uint32 = 1015
	oidInt8Array   uint32 = 1016
	oidFloat4Array uint32 = 1021
	oidFloat8Array uint32 = 1022
	oidVarchar     uint32 = 1043
	oidDate        uint32 = 1082
	oidTime        uint32 = 1083
	oidTimestamp   uint32 = 1114
	oidTSArray     uint32 = 1115
	oidDateArray   uint32 = 1182
	oidTimeArray   uint32 = 1183
	oidTimestampTZ uint32 = 1184
	oidTSTZArray   uint32 = 1185
	oidInterval    uint32 = 1186
	oidIntervalArr uint32 = 1187
	oidNumericArr  uint32 = 1231
	oidTimeTZ      uint32 = 1266
	oidTimeTZArray uint32 = 1270
	oidBit         uint32 = 1560
	oidBitArray    uint32 = 1561
	oidNumeric     uint32 = 1700
	oidUUID        uint32 = 2950
	oidUUIDArray   uint32 = 2951
	oidBpchar      uint32 = 1042
	oidBpcharArray uint32 = 1014
	oidJSONB       uint32 = 3802
	oidJSONBArray  uint32 = 3807
)

// pgTypeInfo describes a PostgreSQL type as announced in RowDescription.
type pgTypeInfo struct {
	oid      uint32
	name     string
	size     int16  // typlen; -1 for variable length
	arrayOID uint32 // OID of the array type with this element type, 0 if none
	// binary reports whether result values of this type can be sent in binary format.
	binary bool
}

// pgTypes is the registry of PostgreSQL types the server emits, keyed by OID.
var pgTypes = map[uint32]pgTypeInfo{
	oidBool:        {oidBool, "bool", 1, oidBoolArray, true},
	oidBytea:       {oidBytea, "bytea", -1, oidByteaArray, true},
	oidInt8:        {oidInt8, "int8", 8, oidInt8Array, true},
	oidInt2:        {oidInt2, "int2", 2, oidInt2Array, true},
	oidInt4:        {oidInt4, "int4", 4, oidInt4Array, true},
	oidText:        {oidText, "text", -1, oidTextArray, true},
	oidVarchar:     {oidVarchar, "varchar", -1, oidVarcharArr, true},
	oidJSON:        {oidJSON, "json", -1, oidJSONArray, true},
	oidFloat4:      {oidFloat4, "float4", 4, oidFloat4Array, true},
	oidFloat8:      {oidFloat8, "float8", 8, oidFloat8Array, true},
	oidDate:        {oidDate, "date", 4, oidDateArray, true},
	oidTime:        {oidTime, "time", 8, oidTimeArray, true},
	oidTimeTZ:      {oidTimeTZ, "timetz", 12, oidTimeTZArray, false},
	oidTimestamp:   {oidTimestamp, "timestamp", 8, oidTSArray, true},
	oidTimestampTZ: {oidTimestampTZ, "timestamptz", 8, oidTSTZArray, true},
	oidInterval:    {oidInterval, "interval", 16, oidIntervalArr, true},
	oidNumeric:     {oidNumeric, "numeric", -1, oidNumericArr, false},
	oidUUID:        {oidUUID, "uuid", 16, oidUUIDArray, true},
	oidBit:         {oidBit, "bit", -1, oidBitArray, false},
}

// textOnlyTypes are the PostgreSQL types a backend may compute as their
// text (ColumnTyper): the reg* types, which print as names. Their binary
// form is an oid, which the text does not give.
var textOnlyTypes = map[uint32]pgTypeInfo{
	24:   {24, "regproc", 4, 1008, false},
	2202: {2202, "regprocedure", 4, 2207, false},
	2203: {2203, "regoper", 4, 2208, false},
	2204: {2204, "regoperator", 4, 2209, false},
	2205: {2205, "regclass", 4, 2210, false},
	2206: {2206, "regtype", 4, 2211, false},
	4089: {4089, "regnamespace", 4, 4090, false},
	4096: {4096, "regrole", 4, 4097, false},
}

// scalarOIDs maps DuckDB scalar types to PostgreSQL type OIDs.
var scalarOIDs = map[duckdb.Type]uint32{
	duckdb.TYPE_BOOLEAN:      oidBool,
	duckdb.TYPE_TINYINT:      oidInt2,
	duckdb.TYPE_SMALLINT:     oidInt2,
	duckdb.TYPE_INTEGER:      oidInt4,
	duckdb.TYPE_BIGINT:       oidInt8,
	duckdb.TYPE_UTINYINT:     oidInt2,
	duckdb.TYPE_USMALLINT:    oidInt4,
	duckdb.TYPE_UINTEGER:     oidInt8,
	duckdb.TYPE_UBIGINT:      oidNumeric,
	duckdb.TYPE_HUGEINT:      oidNumeric,
	duckdb.TYPE_UHUGEINT:     oidNumeric,
	duckdb.TYPE_BIGNUM:       oidNumeric,
	duckdb.TYPE_DECIMAL:      oidNumeric,
	duckdb.TYPE_FLOAT:        oidFloat4,
	duckdb.TYPE_DOUBLE:       oidFloat8,
	duckdb.TYPE_VARCHAR:      oidText,
	duckdb.TYPE_ENUM:         oidText,
	duckdb.TYPE_BLOB:         oidBytea,
	duckdb.TYPE_DATE:         oidDate,
	duckdb.TYPE_TIME:         oidTime,
	duckdb.TYPE_TIME_TZ:      oidTimeTZ,
	duckdb.TYPE_TIMESTAMP:    oidTimestamp,
	duckdb.TYPE_TIMESTAMP_S:  oidTimestamp,
	duckdb.TYPE_TIMESTAMP_MS: oidTimestamp,
	duckdb.TYPE_TIMESTAMP_NS: oidTimestamp,
	duckdb.TYPE_TIMESTAMP_TZ: oidTimestampTZ,
	duckdb.TYPE_INTERVAL:     oidInterval,
	duckdb.TYPE_UUID:         oidUUID,
	duckdb.TYPE_BIT:          oidBit,
}

// valueKind says how values of a column are rendered.
type valueKind int

const (
	kindScalar valueKind = iota // rendered by the scalar text encoder
	kindArray                   // LIST/ARRAY of scalars → PostgreSQL array
	kindJSON                    // DuckDB JSON → json text
	kindNested                  // STRUCT, MAP, UNION, nested LIST → json text
)

// structField is one named member of a STRUCT or UNION.
type structField struct {
	name string
	typ  *colType
}

// colType is a DuckDB column type together with its PostgreSQL mapping.
type colType struct {
	duck         duckdb.Type
	json         bool // VARCHAR with the JSON alias
	width, scale uint8
	elem         *colType      // LIST / ARRAY element
	fields       []structField // STRUCT fields or UNION members, in declaration order
	key, value   *colType      // MAP

	kind   valueKind
	pg     pgTypeInfo
	typmod int32
}

// newColType builds a colType from duckdb-go type information and resolves its
// PostgreSQL mapping.
func newColType(ti duckdb.TypeInfo) *colType {
	ct := buildColType(ti)
	ct.resolve()
	return ct
}

func buildColType(ti duckdb.TypeInfo) *colType {
	if ti == nil {
		return &colType{duck: duckdb.TYPE_INVALID}
	}
	ct := &colType{duck: ti.InternalType()}
	switch d := ti.Details().(type) {
	case *duckdb.DecimalDetails:
		ct.width, ct.scale = d.Width, d.Scale
	case *duckdb.ListDetails:
		ct.elem = buildColType(d.Child)
	case *duckdb.ArrayDetails:
		ct.elem = buildColType(d.Child)
	case *duckdb.MapDetails:
		ct.key, ct.value = buildColType(d.Key), buildColType(d.Value)
	case *duckdb.StructDetails:
		for _, e := range d.Entries {
			ct.fields = append(ct.fields, structField{name: e.Name(), typ: buildColType(e.Info())})
		}
	case *duckdb.UnionDetails:
		for _, m := range d.Members {
			ct.fields = append(ct.fields, structField{name: m.Name, typ: buildColType(m.Type)})
		}
	}
	return ct
}

func (ct *colType) isList() bool {
	return ct.duck == duckdb.TYPE_LIST || ct.duck == duckdb.TYPE_ARRAY
}

func (ct *colType) isComplex() bool {
	switch ct.duck {
	case duckdb.TYPE_STRUCT, duckdb.TYPE_MAP, duckdb.TYPE_UNION, duckdb.TYPE_LIST, duckdb.TYPE_ARRAY:
		return true
	}
	return false
}

// resolve computes kind, pg and typmod. It must be called again after json
// flags are changed.
func (ct *colType) resolve() {
	ct.typmod = -1
	switch {
	case ct.json:
		ct.kind, ct.pg = kindJSON, pgTypes[oidJSON]
	case ct.isList() && ct.elem != nil && !ct.elem.isComplex():
		ct.elem.resolve()
		ct.kind = kindArray
		ct.pg = pgTypeInfo{oid: ct.elem.pg.arrayOID, name: "_" + ct.elem.pg.name, size: -1}
		ct.typmod = ct.elem.typmod // numeric(p,s)[] as PostgreSQL describes it
		if ct.pg.oid == 0 {
			ct.kind, ct.pg = kindNested, pgTypes[oidJSON]
		}
	case ct.isComplex():
		ct.kind, ct.pg = kindNested, pgTypes[oidJSON]
	default:
		ct.kind = kindScalar
		oid, ok := scalarOIDs[ct.duck]
		if !ok {
			oid = oidText // SQLNULL, INVALID (unresolved parameter), and anything unknown
		}
		ct.pg = pgTypes[oid]
		if ct.duck == duckdb.TYPE_DECIMAL {
			ct.typmod = (int32(ct.width)<<16 | int32(ct.scale)) + 4
		}
	}
	for _, f := range ct.fields {
		f.typ.resolve()
	}
	if ct.key != nil {
		ct.key.resolve()
		ct.value.resolve()
	}
	if ct.elem != nil && ct.kind != kindArray {
		ct.elem.resolve()
	}
}

// needsRewrite reports whether the column must be converted to text inside
// DuckDB to keep JSON text and STRUCT field order, and returns the expression.
func (ct *colType) rewriteExpr(quoted string) (string, bool) {
	switch {
	case ct.kind == kindJSON:
		return "CAST(" + quoted + " AS VARCHAR)", true
	case ct.kind == kindArray && ct.elem.json:
		return "CAST(" + quoted + " AS VARCHAR[])", true
	case ct.kind == kindNested:
		return "CAST(to_json(" + quoted + ") AS VARCHAR)", true
	}
	return "", false
}

// vectorJSON reports whether the JSON text of a column rewriteExpr
// converts in SQL is read from DuckDB's vectors as well (chunkRows): a
// JSON or JSON[] column's vectors hold the text, and a nested column of
// DuckDB type shape (nil: unknown) is rendered from them when
// jsonRenderable.
func (ct *colType) vectorJSON(shape *duckdbx.Shape) bool {
	switch {
	case ct.kind == kindJSON:
		return true
	case ct.kind == kindArray && ct.elem.json:
		return ct.duck == duckdb.TYPE_LIST
	case ct.kind == kindNested:
		return shape != nil && jsonRenderable(shape)
	}
	return false
}

// applyDescribeType marks JSON columns using the type string printed by
// DuckDB's DESCRIBE (duckdb-go's TypeInfo drops the JSON alias).
func (ct *colType) applyDescribeType(s string) {
	s = strings.TrimSpace(s)
	switch {
	case s == "JSON" && ct.duck == duckdb.TYPE_VARCHAR:
		ct.json = true
	case strings.HasPrefix(s, "JSON[") && ct.isList() && ct.elem != nil && ct.elem.duck == duckdb.TYPE_VARCHAR:
		ct.elem.json = true
	}
	ct.resolve()
}

// mightBeJSON reports whether DuckDB's JSON alias could hide behind this type.
func (ct *colType) mightBeJSON() bool {
	return ct.duck == duckdb.TYPE_VARCHAR || (ct.isList() && ct.elem != nil && ct.elem.duck == duckdb.TYPE_VARCHAR)
}

// String renders the type for logs and error messages.
func (ct *colType) String() string {
	if ct.json {
		return "JSON"
	}
	switch {
	case ct.isList() && ct.elem != nil:
		return ct.elem.String() + "[]"
	case ct.duck == duckdb.TYPE_DECIMAL:
		return fmt.Sprintf("DECIMAL(%d,%d)", ct.width, ct.scale)
	}
	return fmt.Sprintf("duckdb type %d", ct.duck)
}

// paramOIDForDuck returns the PostgreSQL OID announced for a parameter whose
// type DuckDB inferred (text when unknown): json for DuckDB's JSON, the
// array type of the element type for a list.
func paramOIDForDuck(t duckdb.Type, info duckdbx.Param) uint32 {
	if info.JSON {
		return oidJSON
	}
	switch t {
	case duckdb.TYPE_LIST, duckdb.TYPE_ARRAY:
		if info.ElemJSON {
			return oidJSONArray
		}
		if oid, ok := scalarOIDs[info.Elem]; ok && pgTypes[oid].arrayOID != 0 {
			return pgTypes[oid].arrayOID
		}
		return oidTextArray
	case duckdb.TYPE_STRUCT, duckdb.TYPE_MAP, duckdb.TYPE_UNION:
		return oidJSON
	}
	if oid, ok := scalarOIDs[t]; ok {
		return oid
	}
	return oidText
}
