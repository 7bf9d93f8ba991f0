package pgsql

import (
	"fmt"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// unknownColname is PostgreSQL's name for a result column it cannot name.
const unknownColname = "?column?"

// FigureColname returns the name PostgreSQL gives a SELECT target
// expression that has no alias (FigureColname in parse_target.c): the
// function name for calls, the last field name for column references, the
// type name for casts of unnamed expressions, "case" for CASE, and
// "?column?" when nothing better is known.
func FigureColname(n *pg_query.Node) string {
	name, strength := figureColname(n)
	if strength == 0 {
		return unknownColname
	}
	return name
}

// figureColname is FigureColnameInternal: strength 2 is a name from the
// expression itself, 1 a fallback (type name, "case"), 0 none.
func figureColname(n *pg_query.Node) (string, int) {
	if n == nil {
		return "", 0
	}
	switch x := n.GetNode().(type) {
	case *pg_query.Node_ColumnRef:
		if s := lastString(x.ColumnRef.Fields); s != "" {
			return s, 2
		}
	case *pg_query.Node_AIndirection:
		if s := lastString(x.AIndirection.Indirection); s != "" {
			return s, 2
		}
		return figureColname(x.AIndirection.Arg)
	case *pg_query.Node_FuncCall:
		if s := lastString(x.FuncCall.Funcname); s != "" {
			return s, 2
		}
	case *pg_query.Node_AExpr:
		if x.AExpr.Kind == pg_query.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", 2
		}
	case *pg_query.Node_TypeCast:
		name, strength := figureColname(x.TypeCast.Arg)
		if strength <= 1 && x.TypeCast.TypeName != nil {
			if s := lastString(x.TypeCast.TypeName.Names); s != "" {
				return s, 1
			}
		}
		return name, strength
	case *pg_query.Node_CollateClause:
		return figureColname(x.CollateClause.Arg)
	case *pg_query.Node_GroupingFunc:
		return "grouping", 2
	case *pg_query.Node_SubLink:
		switch x.SubLink.SubLinkType {
		case pg_query.SubLinkType_EXISTS_SUBLINK:
			return "exists", 2
		case pg_query.SubLinkType_ARRAY_SUBLINK:
			return "array", 2
		case pg_query.SubLinkType_EXPR_SUBLINK:
			if sel := leftmostSelect(x.SubLink.Subselect.GetSelectStmt()); sel != nil && len(sel.TargetList) > 0 {
				if rt := sel.TargetList[0].GetResTarget(); rt != nil {
					if rt.Name != "" {
						return rt.Name, 2
					}
					return FigureColname(rt.Val), 2
				}
			}
		}
	case *pg_query.Node_CaseExpr:
		name, strength := figureColname(x.CaseExpr.Defresult)
		if strength <= 1 {
			return "case", 1
		}
		return name, strength
	case *pg_query.Node_AArrayExpr:
		return "array", 2
	case *pg_query.Node_RowExpr:
		return "row", 2
	case *pg_query.Node_CoalesceExpr:
		return "coalesce", 2
	case *pg_query.Node_MinMaxExpr:
		switch x.MinMaxExpr.Op {
		case pg_query.MinMaxOp_IS_GREATEST:
			return "greatest", 2
		case pg_query.MinMaxOp_IS_LEAST:
			return "least", 2
		}
	case *pg_query.Node_SqlvalueFunction:
		op := strings.TrimPrefix(x.SqlvalueFunction.Op.String(), "SVFOP_")
		return strings.ToLower(strings.TrimSuffix(op, "_N")), 2
	case *pg_query.Node_XmlExpr:
		switch x.XmlExpr.Op {
		case pg_query.XmlExprOp_IS_XMLCONCAT:
			return "xmlconcat", 2
		case pg_query.XmlExprOp_IS_XMLELEMENT:
			return "xmlelement", 2
		case pg_query.XmlExprOp_IS_XMLFOREST:
			return "xmlforest", 2
		case pg_query.XmlExprOp_IS_XMLPARSE:
			return "xmlparse", 2
		case pg_query.XmlExprOp_IS_XMLPI:
			return "xmlpi", 2
		case pg_query.XmlExprOp_IS_XMLROOT:
			return "xmlroot", 2
		case pg_query.XmlExprOp_IS_XMLSERIALIZE:
			return "xmlserialize", 2
		}
	case *pg_query.Node_XmlSerialize:
		return "xmlserialize", 2
	case *pg_query.Node_MergeSupportFunc:
		return "merge_action", 2
	case *pg_query.Node_JsonParseExpr:
		return "json", 2
	case *pg_query.Node_JsonScalarExpr:
		return "json_scalar", 2
	case *pg_query.Node_JsonSerializeExpr:
		return "json_serialize", 2
	case *pg_query.Node_JsonObjectConstructor:
		return "json_object", 2
	case *pg_query.Node_JsonArrayConstructor, *pg_query.Node_JsonArrayQueryConstructor:
		return "json_array", 2
	case *pg_query.Node_JsonObjectAgg:
		return "json_objectagg", 2
	case *pg_query.Node_JsonArrayAgg:
		return "json_arrayagg", 2
	case *pg_query.Node_JsonFuncExpr:
		switch x.JsonFuncExpr.Op {
		case pg_query.JsonExprOp_JSON_EXISTS_OP:
			return "json_exists", 2
		case pg_query.JsonExprOp_JSON_QUERY_OP:
			return "json_query", 2
		case pg_query.JsonExprOp_JSON_VALUE_OP:
			return "json_value", 2
		}
	}
	return "", 0
}

// lastString returns the last String node's value in list, ignoring `*`
// and subscripts.
func lastString(list []*pg_query.Node) string {
	s := ""
	for _, n := range list {
		if v := n.GetString_(); v != nil {
			s = v.Sval
		}
	}
	return s
}

// leftmostSelect returns the leftmost plain SELECT of a set operation,
// which determines the result's column names.
func leftmostSelect(s *pg_query.SelectStmt) *pg_query.SelectStmt {
	for s != nil && s.Op != pg_query.SetOperation_SETOP_NONE {
		s = s.Larg
	}
	return s
}

// PostgresColumnNames returns the result column names PostgreSQL gives a
// plain SELECT (or VALUES), whether or not it needs translating, so that a
// RowDescription can match PostgreSQL's (count(*) is "count", not DuckDB's
// "count_star()"). ok is false when sql is not a single SELECT, does not
// parse as PostgreSQL, or selects `*` (whose expansion only the engine
// knows).
func PostgresColumnNames(sql string) (names []string, ok bool) {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return nil, false
	}
	return columnNames(tree)
}

// Result describes a statement's result columns as PostgreSQL would.
type Result struct {
	Names     []string
	NamesOK   bool
	Origins   []Origin
	OriginsOK bool
	// Types are the PostgreSQL type oids of the columns DuckDB cannot type
	// as PostgreSQL does: reg* values (columnRegTypes) and jsonb (3802,
	// jsonbColumns); 0 for the others.
	Types   []uint32
	TypesOK bool
	// SetConfigs are the statement's set_config calls with constant
	// arguments, in order.
	SetConfigs []SetConfig
}

// JSONBTypeOID is PostgreSQL's jsonb, the type Result.Types gives a jsonb
// column.
const JSONBTypeOID = 3802

// DescribeResult parses sql once and returns both its PostgreSQL column
// names and their origins (see PostgresColumnNames and ColumnOrigins).
func DescribeResult(sql string) Result {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return Result{}
	}
	return describeTree(tree)
}

// describeTree is DescribeResult of a parsed statement; it does not change
// the tree.
func describeTree(tree *pg_query.ParseResult) Result {
	var r Result
	r.Names, r.NamesOK = columnNames(tree)
	r.Origins, r.OriginsOK = columnOrigins(tree)
	r.Types, r.TypesOK = columnRegTypes(tree)
	if jsonb, ok := jsonbColumns(tree); ok && slices.Contains(jsonb, true) {
		if !r.TypesOK || len(r.Types) != len(jsonb) {
			r.Types, r.TypesOK = make([]uint32, len(jsonb)), true
		}
		for i, j := range jsonb {
			if j {
				r.Types[i] = JSONBTypeOID
			}
		}
	}
	r.SetConfigs = setConfigCalls(tree)
	return r
}

func columnNames(tree *pg_query.ParseResult) (names []string, ok bool) {
	if len(tree.Stmts) != 1 {
		return nil, false
	}
	sel := leftmostSelect(tree.Stmts[0].GetStmt().GetSelectStmt())
	if sel == nil {
		return nil, false
	}
	if len(sel.ValuesLists) > 0 {
		if l := sel.ValuesLists[0].GetList(); l != nil {
			for i := range l.Items {
				names = append(names, fmt.Sprintf("column%d", i+1))
			}
			return names, true
		}
		return nil, false
	}
	for _, n := range sel.TargetList {
		rt := n.GetResTarget()
		if rt == nil || rt.Val == nil || isStar(rt.Val) {
			return nil, false
		}
		if rt.Name != "" {
			names = append(names, rt.Name)
		} else {
			names = append(names, FigureColname(rt.Val))
		}
	}
	return names, len(names) > 0
}
