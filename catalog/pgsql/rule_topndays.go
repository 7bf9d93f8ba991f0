package pgsql

import (
	"math"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The top-N days rule: "the latest N events" (ORDER BY a day column DESC
// LIMIT N) needs only the newest days whose rows number N or more, but
// DuckDB opens every listed file to find that out. For a query block that
// reads one lake relation with DayLimits, with no WHERE, grouping,
// DISTINCT or window, whose targets keep one row per row read, first
// ordered by one of the relation's day columns, with a constant LIMIT
// (and OFFSET), the rule adds
//
//	ORDER BY col DESC ... LIMIT n OFFSET k   adds  WHERE key >= newest('col', n+k, nulls_first)
//	ORDER BY col ASC  ... LIMIT n OFFSET k   adds  WHERE key <= oldest('col', n+k, nulls_first)
//
// where newest and oldest are the relation's DayLimit macros: the catalog
// defines them from the lake's file statistics, in the transaction that
// redefines the relation's view, so that they hold for the files the view
// lists; DuckDB folds a call with constant arguments into a date at bind
// time and skips the other days' files unopened. A text translated so
// stays valid whatever the lake later holds: a prepared statement is bound
// again when the view and the macros change.
//
// Why the result does not change: the macro's day d is one whose days
// from d on hold at least n+k rows with a non-NULL col (a row's key is the
// UTC day of col), so the (n+k)th value of col in the order is on day d or
// later, and so is every row that sorts before it or ties with it; the
// rows with a NULL col, which sort first with nulls_first, are all on days
// from d on as well (the macro takes them into account).

// The head: a latest-N query with n+k no more than a lake relation's
// Head.Rows reads the relation's head (a small table of its newest rows)
// instead of its files, under the relation's own name as alias, with the
// same day-key bound. The answer does not change: the head holds every row
// whose col is NULL and every row whose col is at least the Rows-th largest
// value of col, so each row it lacks sorts, on the first key, strictly after
// Rows rows it holds, whatever the NULL order; DESC only (the head holds
// the newest rows). A column written with its schema (s.t.col) keeps the
// query as it is: the alias would not resolve it.

// DayLimit names the macros of a lake relation that bound the days of its
// newest and oldest rows: Newest(col, n, nulls_first) is a date d such that
// every row among the first n in ORDER BY col DESC (NULLS FIRST when
// nulls_first) has its day key >= d; Oldest is the same for ORDER BY col
// ASC, with day key <= d. Both may be schema-qualified ("s.name").
type DayLimit struct {
	Newest, Oldest string
}

// Head names the head relation of a lake relation (it may be
// schema-qualified): for each of the lake relation's day columns col, it
// holds every row whose col is NULL and every row whose col is at least
// the Rows-th largest non-NULL col (all rows when there are fewer), with
// the lake relation's columns; a query of the head reads no file.
type Head struct {
	Relation string
	Rows     int64
}

// topNDays adds the day-key bound of a latest-N query block (see above).
func (r *rewriter) topNDays(sel *pg_query.SelectStmt) {
	if len(r.t.dayLimits) == 0 || !plainBlock(sel) {
		return
	}
	rv := sel.FromClause[0].GetRangeVar()
	if rv == nil {
		return
	}
	limit, ok := r.t.dayLimits[rv.Relname]
	if !ok {
		return
	}
	cols, ok := r.lakeRelationColumns(rv)
	if !ok {
		return
	}
	ref := rv.Relname
	if rv.Alias != nil {
		ref = rv.Alias.Aliasname
	}
	rel := lakeRelation{ref: ref, columns: cols}
	scope := fromScope{lake: map[string]lakeRelation{ref: rel}, sole: &rel}
	sb := sel.SortClause[0].GetSortBy()
	if sb == nil {
		return
	}
	col, ok := sortColumn(scope, sb.Node)
	if !ok || !rowPreservingTargets(sel.TargetList, scope, col) {
		return
	}
	n, ok := rowsNeeded(sel)
	if !ok {
		return
	}
	var newest bool
	switch sb.SortbyDir {
	case pg_query.SortByDir_SORTBY_DEFAULT, pg_query.SortByDir_SORTBY_ASC:
	case pg_query.SortByDir_SORTBY_DESC:
		newest = true
	default:
		return // USING an operator
	}
	nullsFirst := newest // PostgreSQL's default: NULLs sort as the largest value
	switch sb.SortbyNulls {
	case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
		nullsFirst = true
	case pg_query.SortByNulls_SORTBY_NULLS_LAST:
		nullsFirst = false
	}
	macro, cmp := limit.Oldest, "<="
	if newest {
		macro, cmp = limit.Newest, ">="
	}
	name, ok := splitName(macro)
	if !ok {
		return
	}
	call := pg_query.MakeFuncCallNode(strNodes(name...), []*pg_query.Node{strConst(col), pg_query.MakeAConstIntNode(n, -1), boolConst(nullsFirst)}, -1)
	key := pg_query.MakeColumnRefNode(strNodes(ref, r.t.dayKey), -1)
	sel.WhereClause = op(cmp, key, call)
	r.changed = true
	if head, ok := r.t.heads[rv.Relname]; ok && newest && n <= head.Rows && !schemaColumnRefs(sel) {
		readHead(rv, head)
	}
}

// readHead points a lake relation's FROM item at its head, under the
// name the query knows it by.
func readHead(rv *pg_query.RangeVar, head Head) {
	name, ok := splitName(head.Relation)
	if !ok {
		return
	}
	if rv.Alias == nil {
		rv.Alias = &pg_query.Alias{Aliasname: rv.Relname}
	}
	rv.Schemaname, rv.Relname = "", name[len(name)-1]
	if len(name) == 2 {
		rv.Schemaname = name[0]
	}
}

// schemaColumnRefs reports a column reference of a query block's targets
// or sort keys qualified with a schema (s.t.col), which an alias does not
// resolve.
func schemaColumnRefs(sel *pg_query.SelectStmt) bool {
	found := false
	check := func(m protoreflect.Message) bool {
		if cr, ok := m.Interface().(*pg_query.ColumnRef); ok && len(cr.Fields) > 2 {
			found = true
		}
		return !found
	}
	for _, n := range sel.TargetList {
		walkNode(n, check, func(protoreflect.Message) {})
	}
	for _, n := range sel.SortClause {
		walkNode(n, check, func(protoreflect.Message) {})
	}
	return found
}

// plainBlock reports a query block that reads exactly one FROM item and
// keeps every row of it up to its ORDER BY and LIMIT: no WHERE, grouping,
// DISTINCT, windows or set operation, and a sort.
func plainBlock(sel *pg_query.SelectStmt) bool {
	return sel.Op == pg_query.SetOperation_SETOP_NONE && len(sel.FromClause) == 1 && sel.WhereClause == nil &&
		len(sel.GroupClause) == 0 && sel.HavingClause == nil && len(sel.DistinctClause) == 0 &&
		len(sel.WindowClause) == 0 && len(sel.SortClause) > 0 && len(sel.ValuesLists) == 0 &&
		(sel.LimitOption == pg_query.LimitOption_LIMIT_OPTION_COUNT || sel.LimitOption == pg_query.LimitOption_LIMIT_OPTION_DEFAULT)
}

// sortColumn returns the day column a sort key names, if it names one of
// the scope's only relation.
func sortColumn(s fromScope, n *pg_query.Node) (string, bool) {
	if _, ok := s.dayColumn(n); !ok {
		return "", false
	}
	names, _ := nodeStrings(n.GetColumnRef().Fields)
	return names[len(names)-1], true
}

// rowsNeeded returns LIMIT + OFFSET when both are integer constants (no
// OFFSET counts as 0).
func rowsNeeded(sel *pg_query.SelectStmt) (int64, bool) {
	limit, ok := intValue(sel.LimitCount)
	if !ok || limit < 0 {
		return 0, false
	}
	var offset int64
	if sel.LimitOffset != nil {
		if offset, ok = intValue(sel.LimitOffset); !ok || offset < 0 {
			return 0, false
		}
	}
	if limit > math.MaxInt64-offset {
		return 0, false
	}
	return limit + offset, true
}

// intValue returns the value of an integer constant (LIMIT ALL and NULL
// are not one).
func intValue(n *pg_query.Node) (int64, bool) {
	c := n.GetAConst()
	if c == nil || c.Isnull || c.GetIval() == nil {
		return 0, false
	}
	return int64(c.GetIval().Ival), true
}

// rowPreservingTargets reports whether a target list computes one output
// row per row read (plain columns, constants, casts and operators over
// them: no function, which might aggregate, number rows or return a set;
// no subquery), and whether an ORDER BY of col still means the relation's
// column: no output column is named col unless it is that column itself.
func rowPreservingTargets(targets []*pg_query.Node, s fromScope, col string) bool {
	for _, t := range targets {
		rt := t.GetResTarget()
		if rt == nil || rt.Val == nil || !rowPreserving(rt.Val) {
			return false
		}
		name := rt.Name
		if name == "" && !isStar(rt.Val) {
			name = FigureColname(rt.Val)
		}
		if name == col {
			if c, ok := sortColumn(s, rt.Val); !ok || c != col {
				return false
			}
		}
	}
	return true
}

// rowPreserving reports an expression of the kinds rowPreservingTargets
// allows.
func rowPreserving(n *pg_query.Node) bool {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_ColumnRef, *pg_query.Node_AConst:
		return true
	case *pg_query.Node_TypeCast:
		return rowPreserving(x.TypeCast.Arg)
	case *pg_query.Node_AExpr:
		e := x.AExpr
		if e.Kind != pg_query.A_Expr_Kind_AEXPR_OP {
			return false
		}
		return (e.Lexpr == nil || rowPreserving(e.Lexpr)) && (e.Rexpr == nil || rowPreserving(e.Rexpr))
	}
	return false
}

// splitName splits "s.name" or "name" into its parts.
func splitName(qualified string) ([]string, bool) {
	parts := splitSchema(qualified)
	return parts, len(parts) == 1 || len(parts) == 2
}
