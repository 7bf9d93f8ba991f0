package pgwire

import (
	"strings"

	"github.com/tpserver/tpserver/pgwire/internal/sqlclass"
)

// PostgreSQL types a parameter by an explicit cast ($1::boolean); DuckDB
// leaves it untyped where that cast is itself cast or compared
// (CAST($1::boolean AS VARCHAR)). The type named after $n:: stands in for
// the client's type then, as if the client had named it.

// castTypeOIDs are the type names a cast may give, as written.
var castTypeOIDs = map[string]uint32{
	"bool": oidBool, "boolean": oidBool, "int2": oidInt2, "smallint": oidInt2, "int": oidInt4, "int4": oidInt4,
	"integer": oidInt4, "int8": oidInt8, "bigint": oidInt8, "float4": oidFloat4, "real": oidFloat4,
	"float8": oidFloat8, "double precision": oidFloat8, "numeric": oidNumeric, "decimal": oidNumeric,
	"text": oidText, "varchar": oidVarchar, "character varying": oidVarchar, "bytea": oidBytea, "blob": oidBytea,
	"date": oidDate, "time": oidTime, "timestamp": oidTimestamp, "timestamp without time zone": oidTimestamp,
	"timestamptz": oidTimestampTZ, "timestamp with time zone": oidTimestampTZ, "interval": oidInterval,
	"uuid": oidUUID, "json": oidJSON, "jsonb": oidJSONB,
}

// explicitCastOIDs returns, per parameter number (1-based index into a
// slice of n), the type a $n::type cast in query names; 0 where none.
func explicitCastOIDs(query string, n int) []uint32 {
	out := make([]uint32, n)
	var toks []sqlclass.Token
	lx := sqlclass.NewLexer(query)
	for tok, ok := lx.Next(); ok; tok, ok = lx.Next() {
		toks = append(toks, tok)
	}
	for i := 0; i+3 < len(toks); i++ {
		p := toks[i]
		if p.Kind != sqlclass.Param || toks[i+1].Text != ":" || toks[i+2].Text != ":" || toks[i+2].Pos != toks[i+1].Pos+1 {
			continue
		}
		num := 0
		for _, c := range p.Text[1:] {
			num = num*10 + int(c-'0')
		}
		if num < 1 || num > n || out[num-1] != 0 {
			continue
		}
		// The longest run of words that names a type, then [] pairs.
		var oid uint32
		j, name := i+3, ""
		for k := i + 3; k < len(toks) && toks[k].Kind == sqlclass.Word; k++ {
			if name != "" {
				name += " "
			}
			name += strings.ToLower(toks[k].Text)
			if o, ok := castTypeOIDs[name]; ok {
				oid, j = o, k+1
			}
		}
		if oid == 0 {
			continue
		}
		if j+1 < len(toks) && toks[j].Text == "[" && toks[j+1].Text == "]" {
			if arr := pgTypes[oid].arrayOID; arr != 0 {
				oid = arr
			} else if oid == oidJSONB {
				oid = oidJSONBArray
			}
		}
		out[num-1] = oid
	}
	return out
}
