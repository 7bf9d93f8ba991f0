package pgwire

import (
	"fmt"
	"strings"
)

// jsonbTypeOID is PostgreSQL's jsonb. DuckDB has one JSON type; a backend
// that knows which result columns are jsonb (JSONBColumner) has them
// described as jsonb, whose binary format is a version byte (1) and the
// text.
const jsonbTypeOID uint32 = 3802

// JSONBColumner is implemented by backends that know which JSON result
// columns of a statement PostgreSQL types jsonb. ok is false when it cannot
// tell; the answer is used only when there is one flag per column.
type JSONBColumner interface {
	JSONBColumns(sql string) (jsonb []bool, ok bool)
}

// jsonbColumns describes the statement's jsonb columns as jsonb.
func (s *session) jsonbColumns(st *statement, clientText string) {
	j, ok := s.srv.backend.(JSONBColumner)
	if !ok || len(st.cols) == 0 {
		return
	}
	flags, ok := j.JSONBColumns(clientText)
	if !ok || len(flags) != len(st.cols) {
		return
	}
	for i, c := range st.cols {
		if flags[i] && c.typ.kind == kindJSON {
			t := *c.typ
			t.pg = pgTypeInfo{oid: jsonbTypeOID, name: "jsonb", size: -1, arrayOID: 3807, binary: true}
			st.cols[i].typ = &t
		}
	}
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
