package pgwire

import (
	"fmt"
	"strings"
)

// jsonbTypeOID is PostgreSQL's jsonb. DuckDB has one JSON type; a backend
// that knows which result columns are jsonb (ColumnTyper) has them
// described as jsonb, whose binary format is a version byte (1) and the
// text.
const jsonbTypeOID uint32 = 3802

// describeJSONB describes a JSON result column as jsonb.
func describeJSONB(c *column) {
	t := *c.typ
	t.pg = pgTypeInfo{oid: jsonbTypeOID, name: "jsonb", size: -1, arrayOID: 3807, binary: true}
	c.typ = &t
}

// positionalRewrite is rewrite's query for result columns with duplicate
// names (x -> 'a', x -> 'b' are both ?column?): the columns are addressed
// by position through a column alias list.
func (st *statement) positionalRewrite() string {
	aliases := make([]string, len(st.cols))
	sel := make([]string, len(st.cols))
	for i, c := range st.cols {
		aliases[i] = fmt.Sprintf("_pgwire_c%d", i+1)
		expr := aliases[i]
		if e, ok := c.typ.rewriteExpr(aliases[i]); ok {
			expr = e
		}
		sel[i] = expr + " AS " + quoteIdent(c.name)
	}
	return "SELECT " + strings.Join(sel, ", ") + " FROM (" + st.sql + "\n) AS _pgwire_q(" + strings.Join(aliases, ", ") + ")"
}
