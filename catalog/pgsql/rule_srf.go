package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// singleColumnSRFs are set-returning functions with one output column. In
// PostgreSQL `FROM generate_series(1, 3) s` makes s name that column; in
// DuckDB s names the row, so the alias is given a column list.
var singleColumnSRFs = map[string]bool{
	"generate_series": true, "generate_subscripts": true, "unnest": true,
	"regexp_split_to_table": true, "json_array_elements_text": true, "jsonb_array_elements_text": true,
}

// scalarFunctionsInFrom are scalar functions PostgreSQL lets a FROM clause
// call as a one-row relation; DuckDB only has table functions there.
var scalarFunctionsInFrom = map[string]bool{
	"string_to_array": true, "current_schemas": true, "regexp_split_to_array": true,
}

// functionInFrom turns `FROM generate_series(...) AS i` and
// `FROM string_to_array(...) s` into subqueries, since DuckDB table
// functions take only constant arguments and scalar functions are not
// relations: (SELECT unnest(generate_series(...)) AS i) AS i(i).
func (r *rewriter) functionInFrom(rf *pg_query.RangeFunction) *pg_query.Node {
	if rf.Alias == nil || len(rf.Functions) != 1 || rf.Ordinality || rf.Lateral {
		return nil
	}
	pair := rf.Functions[0].GetList()
	if pair == nil || len(pair.Items) == 0 {
		return nil
	}
	fc := pair.Items[0].GetFuncCall()
	if fc == nil || len(fc.Funcname) == 0 {
		return nil
	}
	name := fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	var val *pg_query.Node
	switch {
	case name == "generate_series" && len(fc.Args) == 2:
		val = pg_query.MakeFuncCallNode([]*pg_query.Node{pg_query.MakeStrNode("unnest")}, []*pg_query.Node{pair.Items[0]}, fc.Location)
	case scalarFunctionsInFrom[name]:
		val = pair.Items[0]
	default:
		return nil
	}
	col := rf.Alias.Aliasname
	if len(rf.Alias.Colnames) == 1 {
		col = rf.Alias.Colnames[0].GetString_().GetSval()
	} else if len(rf.Alias.Colnames) > 1 {
		return nil
	}
	sel := &pg_query.SelectStmt{
		TargetList:  []*pg_query.Node{pg_query.MakeResTargetNodeWithNameAndVal(col, val, fc.Location)},
		LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT,
		Op:          pg_query.SetOperation_SETOP_NONE,
	}
	return &pg_query.Node{Node: &pg_query.Node_RangeSubselect{RangeSubselect: &pg_query.RangeSubselect{
		Subquery: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}},
		Alias:    &pg_query.Alias{Aliasname: rf.Alias.Aliasname, Colnames: []*pg_query.Node{pg_query.MakeStrNode(col)}},
	}}}
}

// rangeFunction gives `FROM srf(...) alias` the column list PostgreSQL implies.
func (r *rewriter) rangeFunction(rf *pg_query.RangeFunction) {
	if rf.Alias == nil || len(rf.Alias.Colnames) > 0 || len(rf.Functions) != 1 || rf.Ordinality {
		return
	}
	pair := rf.Functions[0].GetList()
	if pair == nil || len(pair.Items) == 0 {
		return
	}
	fc := pair.Items[0].GetFuncCall()
	if fc == nil || len(fc.Funcname) == 0 {
		return
	}
	name := fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	if !singleColumnSRFs[name] || (name == "unnest" && len(fc.Args) != 1) {
		return
	}
	rf.Alias.Colnames = []*pg_query.Node{pg_query.MakeStrNode(rf.Alias.Aliasname)}
	r.changed = true
}
