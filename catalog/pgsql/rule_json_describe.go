package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// jsonbFuncs are the functions whose PostgreSQL result type is jsonb.
var jsonbFuncs = map[string]bool{
	"to_jsonb": true, "jsonb_build_object": true, "jsonb_build_array": true, "jsonb_agg": true,
	"jsonb_object_agg": true, "jsonb_set": true, "jsonb_insert": true, "jsonb_strip_nulls": true,
	"jsonb_path_query": true, "jsonb_path_query_first": true, "jsonb_path_query_array": true,
	"jsonb_extract_path": true, "jsonb_array_elements": true, "jsonb_object": true,
}

// jsonbColumns reports which result columns of a SELECT PostgreSQL types
// jsonb, where DuckDB's answer is its one JSON type (pgwire then describes
// those columns as jsonb). ok is false when it cannot tell (a star over
// anything but one jsonb set-returning function, several statements, not
// a SELECT).
func jsonbColumns(tree *pg_query.ParseResult) (jsonb []bool, ok bool) {
	if len(tree.Stmts) != 1 {
		return nil, false
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	for sel != nil && sel.Op != pg_query.SetOperation_SETOP_NONE {
		sel = sel.Larg
	}
	if sel == nil || len(sel.TargetList) == 0 {
		return nil, false
	}
	srfs := fromSRFs(sel.FromClause)
	for _, n := range sel.TargetList {
		rt := n.GetResTarget()
		if rt == nil {
			return nil, false
		}
		if isStar(rt.Val) {
			if len(sel.TargetList) != 1 || len(sel.FromClause) != 1 || len(srfs) != 1 {
				return nil, false
			}
			for _, fn := range srfs {
				switch fn {
				case "jsonb_each":
					return []bool{false, true}, true
				case "jsonb_array_elements", "jsonb_path_query":
					return []bool{true}, true
				}
				return nil, false
			}
		}
		jsonb = append(jsonb, isJSONB(rt.Val, srfs))
	}
	return jsonb, true
}

// fromSRFs maps the aliases (and column aliases) of the FROM clause's
// json set-returning functions to the functions' names.
func fromSRFs(from []*pg_query.Node) map[string]string {
	out := map[string]string{}
	for _, n := range from {
		collectSRFs(n, out)
	}
	return out
}

func collectSRFs(n *pg_query.Node, out map[string]string) {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_JoinExpr:
		collectSRFs(x.JoinExpr.Larg, out)
		collectSRFs(x.JoinExpr.Rarg, out)
	case *pg_query.Node_RangeFunction:
		rf := x.RangeFunction
		if len(rf.Functions) != 1 {
			return
		}
		items := rf.Functions[0].GetList().GetItems()
		if len(items) == 0 || items[0].GetFuncCall() == nil {
			return
		}
		fc := items[0].GetFuncCall()
		if fc == nil {
			return
		}
		fn := lastString(fc.Funcname)
		alias := fn
		if rf.Alias != nil {
			alias = rf.Alias.Aliasname
			if cols, ok := nodeStrings(rf.Alias.Colnames); ok {
				for i, c := range cols {
					if fn == "jsonb_each" && i == 1 || fn != "jsonb_each" && i == 0 {
						out["."+c] = fn // a column alias of the jsonb column
					}
				}
			}
		}
		out[alias] = fn
	}
}

// isJSONB reports an expression PostgreSQL types jsonb.
func isJSONB(n *pg_query.Node, srfs map[string]string) bool {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_TypeCast:
		tn := x.TypeCast.TypeName
		return tn != nil && len(tn.ArrayBounds) == 0 && lastString(tn.Names) == "jsonb"
	case *pg_query.Node_FuncCall:
		return jsonbFuncs[lastString(x.FuncCall.Funcname)]
	case *pg_query.Node_CoalesceExpr:
		for _, a := range x.CoalesceExpr.Args {
			if isJSONB(a, srfs) {
				return true
			}
		}
	case *pg_query.Node_CaseExpr:
		for _, w := range x.CaseExpr.Args {
			if cw := w.GetCaseWhen(); cw != nil && isJSONB(cw.Result, srfs) {
				return true
			}
		}
		return x.CaseExpr.Defresult != nil && isJSONB(x.CaseExpr.Defresult, srfs)
	case *pg_query.Node_AExpr:
		e := x.AExpr
		if e.Kind != pg_query.A_Expr_Kind_AEXPR_OP || e.Lexpr == nil || e.Rexpr == nil {
			return false
		}
		switch lastString(e.Name) {
		case "->", "#>", "#-", "-":
			return isJSONB(e.Lexpr, srfs)
		case "||":
			return isJSONB(e.Lexpr, srfs) || isJSONB(e.Rexpr, srfs)
		}
	case *pg_query.Node_AIndirection:
		if len(x.AIndirection.Indirection) > 0 && x.AIndirection.Indirection[0].GetAIndices() != nil {
			return isJSONB(x.AIndirection.Arg, srfs) // x['a']
		}
		fc := x.AIndirection.Arg.GetFuncCall()
		return fc != nil && lastString(fc.Funcname) == "jsonb_each" && lastString(x.AIndirection.Indirection) == "value"
	case *pg_query.Node_ColumnRef:
		names, ok := nodeStrings(x.ColumnRef.Fields)
		if !ok {
			return false
		}
		switch len(names) {
		case 1:
			switch srfs[names[0]] {
			case "jsonb_array_elements", "jsonb_path_query":
				return true
			}
			if srfs["."+names[0]] != "" {
				return true
			}
			if names[0] == "value" {
				for _, fn := range srfs {
					if fn == "jsonb_each" || fn == "jsonb_array_elements" {
						return true
					}
				}
			}
		case 2:
			fn := srfs[names[0]]
			return (fn == "jsonb_each" || fn == "jsonb_array_elements") && names[1] == "value"
		}
	}
	return false
}
