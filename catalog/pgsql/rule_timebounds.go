package pgsql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
)

// The day-bounds rule: a lake table's files are partitioned by day (a hive
// key such as tp_date) and DuckDB skips a file unopened only on a filter
// of that key, not on a filter of the time column the day is derived from.
// For each top-level AND conjunct of a SELECT's WHERE that bounds a day
// column (Objects.DayColumns) of a lake relation of the same FROM list by
// a value that does not depend on the row, the rule adds the bound the
// conjunct implies on the day key, with a day's margin:
//
//	col >  B, col >= B   adds  key >= CAST(CAST(B AS timestamp) AS date) - 1
//	col <  B, col <= B   adds  key <= CAST(CAST(B AS timestamp) AS date) + 1
//	col =  B             adds both; col BETWEEN A AND B adds >= A and <= B
//
// The key is the UTC day of the column's value, and the column is compared
// with B as wall times in the session's time zone (a timestamptz bound is
// read in it), which CAST(B AS timestamp) also does; the day's margin
// covers the hour a DST change moves. So every row the original conjunct
// keeps (its column and B not NULL) satisfies the added one, and results
// never change. Conjuncts under OR, NOT or CASE are left alone, and so
// are bounds with parameters (see rowIndependent).

// dayBoundOps are the comparison operators the rule understands, and
// whether each bounds the column from below, from above.
var dayBoundOps = map[string][2]bool{
	">": {true, false}, ">=": {true, false},
	"<": {false, true}, "<=": {false, true},
	"=": {true, true},
}

// mirroredOps turn `B op col` into `col op' B`.
var mirroredOps = map[string]string{">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "="}

// lakeRelation is one lake relation of a FROM list: the name its columns
// are qualified with (its alias, else its name) and its day columns.
type lakeRelation struct {
	ref     string
	columns []string
}

// fromScope is what a FROM list tells the rule: its lake relations by
// reference name, and whether an unqualified column surely belongs to
// its only lake relation.
type fromScope struct {
	lake map[string]lakeRelation
	// refs counts the reference names of all items (lake or not).
	refs map[string]int
	// sole is the lake relation an unqualified column resolves to, when
	// the FROM list is exactly that one relation; nil otherwise.
	sole *lakeRelation
}

// dayBounds adds the implied day-key conjuncts to sel's WHERE. It runs
// before the other rules rewrite sel's expressions, so the added
// conjuncts, in PostgreSQL syntax, are translated like the rest.
func (r *rewriter) dayBounds(sel *pg_query.SelectStmt) {
	if len(r.t.dayColumns) == 0 || sel.WhereClause == nil || len(sel.FromClause) == 0 {
		return
	}
	scope, ok := r.fromScope(sel.FromClause)
	if !ok || len(scope.lake) == 0 {
		return
	}
	var added []*pg_query.Node
	for _, c := range conjuncts(sel.WhereClause) {
		added = append(added, r.impliedDayBounds(scope, c)...)
	}
	if len(added) == 0 {
		return
	}
	args := append(conjuncts(sel.WhereClause), added...)
	sel.WhereClause = pg_query.MakeBoolExprNode(pg_query.BoolExprType_AND_EXPR, args, -1)
	r.changed = true
}

// conjuncts returns the top-level AND operands of a WHERE clause.
func conjuncts(n *pg_query.Node) []*pg_query.Node {
	be := n.GetBoolExpr()
	if be == nil || be.Boolop != pg_query.BoolExprType_AND_EXPR {
		return []*pg_query.Node{n}
	}
	var out []*pg_query.Node
	for _, a := range be.Args {
		out = append(out, conjuncts(a)...)
	}
	return out
}

// fromScope reads a FROM list; ok is false when it cannot tell which
// relation a name refers to (a join with USING or NATURAL merges columns).
func (r *rewriter) fromScope(from []*pg_query.Node) (fromScope, bool) {
	s := fromScope{lake: map[string]lakeRelation{}, refs: map[string]int{}}
	items := 0
	var walkItem func(n *pg_query.Node) bool
	walkItem = func(n *pg_query.Node) bool {
		switch x := n.GetNode().(type) {
		case *pg_query.Node_JoinExpr:
			j := x.JoinExpr
			if j.IsNatural || len(j.UsingClause) > 0 || j.Alias != nil || j.JoinUsingAlias != nil {
				return false
			}
			return walkItem(j.Larg) && walkItem(j.Rarg)
		case *pg_query.Node_RangeVar:
			items++
			rv := x.RangeVar
			ref := rv.Relname
			if rv.Alias != nil {
				ref = rv.Alias.Aliasname
			}
			s.refs[ref]++
			if cols, ok := r.lakeRelationColumns(rv); ok {
				s.lake[ref] = lakeRelation{ref: ref, columns: cols}
			}
		case *pg_query.Node_RangeSubselect:
			items++
			if a := x.RangeSubselect.Alias; a != nil {
				s.refs[a.Aliasname]++
			}
		case *pg_query.Node_RangeFunction:
			items++
			if a := x.RangeFunction.Alias; a != nil {
				s.refs[a.Aliasname]++
			}
		default:
			items++ // other FROM items: their names are unknown here
		}
		return true
	}
	for _, n := range from {
		if !walkItem(n) {
			return s, false
		}
	}
	for ref, rel := range s.lake {
		if s.refs[ref] > 1 {
			delete(s.lake, ref) // ambiguous: PostgreSQL rejects the query
		} else if items == 1 {
			rel := rel
			s.sole = &rel
		}
	}
	return s, true
}

// lakeRelationColumns returns the day columns of the lake relation rv
// names, if it names one: unqualified (and not a CTE's name), or in
// schema public or main, and its columns not renamed by an alias.
func (r *rewriter) lakeRelationColumns(rv *pg_query.RangeVar) ([]string, bool) {
	if rv.Catalogname != "" || !rv.Inh || rv.Alias != nil && len(rv.Alias.Colnames) > 0 {
		return nil, false
	}
	switch rv.Schemaname {
	case "":
		if r.ctes[rv.Relname] {
			return nil, false
		}
	case "public", "main":
	default:
		return nil, false
	}
	cols, ok := r.t.dayColumns[rv.Relname]
	return cols, ok
}

// impliedDayBounds returns the day-key conjuncts conjunct c implies, if
// it bounds a day column by a row-independent value.
func (r *rewriter) impliedDayBounds(s fromScope, c *pg_query.Node) []*pg_query.Node {
	e := c.GetAExpr()
	if e == nil {
		return nil
	}
	switch e.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		name, ok := nodeStrings(e.Name)
		if !ok || len(name) != 1 {
			return nil
		}
		col, bound, opName := e.Lexpr, e.Rexpr, name[0]
		if _, isCol := s.dayColumn(col); !isCol {
			col, bound, opName = e.Rexpr, e.Lexpr, mirroredOps[opName]
		}
		rel, isCol := s.dayColumn(col)
		dir, known := dayBoundOps[opName]
		if !isCol || !known || !rowIndependent(bound) {
			return nil
		}
		return r.dayKeyBounds(rel, bound, dir[0], dir[1])
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN:
		rel, isCol := s.dayColumn(e.Lexpr)
		list := e.Rexpr.GetList()
		if !isCol || list == nil || len(list.Items) != 2 || !rowIndependent(list.Items[0]) || !rowIndependent(list.Items[1]) {
			return nil
		}
		lo := r.dayKeyBounds(rel, list.Items[0], true, false)
		return append(lo, r.dayKeyBounds(rel, list.Items[1], false, true)...)
	}
	return nil
}

// dayColumn reports whether n is a reference to a day column of one of
// the scope's lake relations, and returns the relation's reference name
// ("" for an unqualified column).
func (s fromScope) dayColumn(n *pg_query.Node) (string, bool) {
	cr := n.GetColumnRef()
	if cr == nil {
		return "", false
	}
	names, ok := nodeStrings(cr.Fields)
	if !ok {
		return "", false
	}
	switch len(names) {
	case 1:
		return "", s.sole != nil && contains(s.sole.columns, names[0])
	case 2:
		rel, ok := s.lake[names[0]]
		return names[0], ok && contains(rel.columns, names[1])
	}
	return "", false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// dayKeyBounds returns the day-key conjuncts for a bound: from below
// (key >= day(B) - 1) and/or from above (key <= day(B) + 1).
func (r *rewriter) dayKeyBounds(rel string, bound *pg_query.Node, lower, upper bool) []*pg_query.Node {
	key := func() *pg_query.Node {
		fields := []string{r.t.dayKey}
		if rel != "" {
			fields = []string{rel, r.t.dayKey}
		}
		return pg_query.MakeColumnRefNode(strNodes(fields...), -1)
	}
	day := func() *pg_query.Node {
		b := proto.Clone(bound).(*pg_query.Node)
		ts := typeCast(b, &pg_query.TypeName{Names: strNodes("pg_catalog", "timestamp"), Typemod: -1, Location: -1})
		return typeCast(ts, &pg_query.TypeName{Names: strNodes("pg_catalog", "date"), Typemod: -1, Location: -1})
	}
	var out []*pg_query.Node
	if lower {
		out = append(out, op(">=", key(), op("-", day(), intConst(1))))
	}
	if upper {
		out = append(out, op("<=", key(), op("+", day(), intConst(1))))
	}
	return out
}

// rowIndependent reports whether n is a time bound whose value does not
// depend on the row: a literal, a cast of one to a time or text type, now() and its kin (the transaction's start, fixed for the
// statement), to_timestamp or date_trunc of such values, and sums and
// differences of these and intervals. Not a parameter $n, even under a
// cast: once $n occurs twice DuckDB no longer infers its type from the
// comparison (a value sent without a type, e.g. a Go time, is then bound
// as a timestamptz), which changes how the original conjunct reads it.
func rowIndependent(n *pg_query.Node) bool {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_AConst:
		return true
	case *pg_query.Node_TypeCast:
		return boundType(x.TypeCast.TypeName) && rowIndependent(x.TypeCast.Arg)
	case *pg_query.Node_SqlvalueFunction:
		switch x.SqlvalueFunction.Op {
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP,
			pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP,
			pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
			return true
		}
	case *pg_query.Node_FuncCall:
		return stableTimeCall(x.FuncCall)
	case *pg_query.Node_AExpr:
		e := x.AExpr
		name, ok := nodeStrings(e.Name)
		return ok && e.Kind == pg_query.A_Expr_Kind_AEXPR_OP && len(name) == 1 && (name[0] == "+" || name[0] == "-") &&
			e.Lexpr != nil && rowIndependent(e.Lexpr) && rowIndependent(e.Rexpr)
	}
	return false
}

// boundType reports the types a row-independent bound may be cast to.
func boundType(tn *pg_query.TypeName) bool {
	names, ok := nodeStrings(tn.Names)
	if !ok || len(names) == 0 || len(names) > 2 || len(names) == 2 && names[0] != "pg_catalog" || len(tn.ArrayBounds) > 0 {
		return false
	}
	switch strings.ToLower(names[len(names)-1]) {
	case "timestamp", "timestamptz", "date", "interval", "text", "varchar":
		return true
	}
	return false
}

// stableTimeCall reports calls whose value is fixed for a statement when
// their arguments are: now(), transaction_timestamp(), statement_timestamp(),
// to_timestamp(...), date_trunc(unit, ...).
func stableTimeCall(fc *pg_query.FuncCall) bool {
	name, ok := nodeStrings(fc.Funcname)
	if !ok || len(name) == 0 || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" ||
		fc.AggStar || fc.Over != nil || fc.AggFilter != nil || len(fc.AggOrder) > 0 || fc.FuncVariadic {
		return false
	}
	switch name[len(name)-1] {
	case "now", "transaction_timestamp", "statement_timestamp":
		return len(fc.Args) == 0
	case "to_timestamp", "date_trunc":
		for _, a := range fc.Args {
			if !rowIndependent(a) {
				return false
			}
		}
		return len(fc.Args) > 0
	}
	return false
}
