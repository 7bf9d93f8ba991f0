package pgsql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// recordFuncs are json_to_record's family: FROM items whose columns the
// query defines (AS r(a int, b text)).
var recordFuncs = map[string]bool{
	"json_to_record": true, "jsonb_to_record": true, "json_to_recordset": true, "jsonb_to_recordset": true,
	"json_populate_record": true, "jsonb_populate_record": true, "json_populate_recordset": true, "jsonb_populate_recordset": true,
}

// jsonRecordFrom turns `FROM json_to_record(x) AS r(a int, b text)` into a
// LATERAL subquery reading each column's key as PostgreSQL does: the value
// of a string, the JSON text of anything else, cast to the column's type;
// json columns keep the JSON. The recordset forms read each element of an
// array.
func (r *rewriter) jsonRecordFrom(rf *pg_query.RangeFunction, fn string, fc *pg_query.FuncCall) *pg_query.Node {
	arg := 0
	if strings.Contains(fn, "populate") {
		// json_populate_record(NULL::record, x) AS r(...): the base row
		// must be NULL, the columns come from the definition list.
		if len(fc.Args) < 2 || !nullRecord(fc.Args[0]) {
			return nil
		}
		arg = 1
	}
	if len(rf.Coldeflist) == 0 || len(fc.Args) <= arg || rf.Ordinality {
		return nil
	}
	doc := r.jsonDoc(fc.Args[arg])
	set := strings.HasSuffix(fn, "recordset")
	if set {
		doc = pg_query.MakeColumnRefNode(strNodes("tp_e"), -1)
	}
	sel := &pg_query.SelectStmt{LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg_query.SetOperation_SETOP_NONE}
	var cols []string
	for _, n := range rf.Coldeflist {
		cd := n.GetColumnDef()
		if cd == nil || cd.TypeName == nil {
			return nil
		}
		val := funcCall([]string{"json_extract"}, doc, strConst(`$."`+jsonPathKey(cd.Colname)+`"`))
		if lastString(cd.TypeName.Names) != "json" || len(cd.TypeName.ArrayBounds) > 0 {
			val = &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{
				Arg: r.call("tp_json_text", val), TypeName: cd.TypeName, Location: -1}}}
		}
		cols = append(cols, cd.Colname)
		sel.TargetList = append(sel.TargetList, pg_query.MakeResTargetNodeWithNameAndVal(cd.Colname, val, -1))
	}
	if set {
		elems := &pg_query.SelectStmt{
			TargetList:  []*pg_query.Node{pg_query.MakeResTargetNodeWithNameAndVal("tp_e", funcCall([]string{"unnest"}, r.call("tp_json_elements", r.jsonDoc(fc.Args[arg]))), -1)},
			LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT, Op: pg_query.SetOperation_SETOP_NONE,
		}
		sel.FromClause = []*pg_query.Node{{Node: &pg_query.Node_RangeSubselect{RangeSubselect: &pg_query.RangeSubselect{
			Subquery: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: elems}},
			Alias:    &pg_query.Alias{Aliasname: "tp_elements"},
		}}}}
	}
	alias := fn
	if rf.Alias != nil {
		alias = rf.Alias.Aliasname
	}
	return &pg_query.Node{Node: &pg_query.Node_RangeSubselect{RangeSubselect: &pg_query.RangeSubselect{
		Lateral:  true,
		Subquery: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}},
		Alias:    &pg_query.Alias{Aliasname: alias, Colnames: strNodes(cols...)},
	}}}
}

// nullRecord reports NULL or NULL::record.
func nullRecord(n *pg_query.Node) bool {
	if tc := n.GetTypeCast(); tc != nil {
		n = tc.Arg
	}
	c := n.GetAConst()
	return c != nil && c.Isnull
}

// jsonPathKey escapes a key for a quoted JSONPath member.
func jsonPathKey(k string) string {
	out := make([]byte, 0, len(k))
	for i := 0; i < len(k); i++ {
		if k[i] == '"' || k[i] == '\\' {
			out = append(out, '\\')
		}
		out = append(out, k[i])
	}
	return string(out)
}
