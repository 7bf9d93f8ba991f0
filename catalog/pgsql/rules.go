package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// rewriter applies the rules to one parse tree.
type rewriter struct {
	t       *Translator
	tree    *pg_query.ParseResult
	changed bool
	// ctes are the names of all common table expressions in the tree: an
	// unqualified reference to one of them is not a catalog relation.
	ctes map[string]bool
	// names are the PostgreSQL column names of the unnamed SELECT targets,
	// figured before any rule changed the expressions.
	names map[*pg_query.ResTarget]string
	// catalogAliases maps the aliases (and names) of pg_catalog relations in
	// FROM clauses to the relation, for system columns like tableoid.
	catalogAliases map[string]string
	// otherRelations is set when the statement reads a relation that is
	// not an emulated pg_catalog one (a user table, a CTE, ...).
	otherRelations bool
	// fromCalls are the function calls that are FROM items (rule_srf.go).
	fromCalls map[*pg_query.FuncCall]bool
}

func newRewriter(t *Translator, tree *pg_query.ParseResult) *rewriter {
	return &rewriter{t: t, tree: tree, ctes: map[string]bool{}, names: map[*pg_query.ResTarget]string{}}
}

// skipStatement reports statements the translator leaves alone: pgwire
// handles SET/SHOW/transaction control itself.
func skipStatement(n *pg_query.Node) bool {
	switch n.GetNode().(type) {
	case *pg_query.Node_VariableSetStmt, *pg_query.Node_VariableShowStmt, *pg_query.Node_TransactionStmt:
		return true
	}
	return false
}

// run applies the rules; it reports whether the tree changed.
func (r *rewriter) run() bool {
	for _, raw := range r.tree.Stmts {
		if raw.Stmt == nil || skipStatement(raw.Stmt) {
			continue
		}
		walkNode(raw.Stmt, nil, r.collect)
	}
	for _, raw := range r.tree.Stmts {
		if raw.Stmt == nil || skipStatement(raw.Stmt) {
			continue
		}
		walkNode(raw.Stmt, r.pre, r.post)
	}
	for _, raw := range r.tree.Stmts {
		if sel := raw.Stmt.GetSelectStmt(); sel != nil {
			r.regResults(sel)
		}
	}
	if r.changed {
		for rt, name := range r.names {
			rt.Name = name
		}
	}
	return r.changed
}

// collect records CTE names and the PostgreSQL names of unnamed targets.
func (r *rewriter) collect(m protoreflect.Message) {
	switch x := m.Interface().(type) {
	case *pg_query.CommonTableExpr:
		r.ctes[x.Ctename] = true
	case *pg_query.RangeVar:
		if (x.Schemaname != "pg_catalog" && x.Schemaname != "") || !r.t.catRels[x.Relname] || r.ctes[x.Relname] {
			r.otherRelations = true
		}
		if (x.Schemaname == "pg_catalog" || x.Schemaname == "") && r.t.catRels[x.Relname] {
			if r.catalogAliases == nil {
				r.catalogAliases = map[string]string{}
			}
			r.catalogAliases[x.Relname] = x.Relname
			if x.Alias != nil {
				r.catalogAliases[x.Alias.Aliasname] = x.Relname
			}
		}
	case *pg_query.SelectStmt:
		r.nameTargets(x.TargetList)
	case *pg_query.InsertStmt:
		r.nameTargets(x.ReturningList)
	case *pg_query.UpdateStmt:
		r.nameTargets(x.ReturningList)
	case *pg_query.DeleteStmt:
		r.nameTargets(x.ReturningList)
	}
}

func (r *rewriter) nameTargets(list []*pg_query.Node) {
	for _, n := range list {
		rt := n.GetResTarget()
		if rt == nil || rt.Name != "" || rt.Val == nil || isStar(rt.Val) {
			continue
		}
		r.names[rt] = FigureColname(rt.Val)
	}
}

// isStar reports a `*` or `t.*` target.
func isStar(n *pg_query.Node) bool {
	cr := n.GetColumnRef()
	if cr == nil || len(cr.Fields) == 0 {
		return false
	}
	return cr.Fields[len(cr.Fields)-1].GetAStar() != nil
}

// pre handles the nodes whose children need special treatment: a cast's
// type name is rewritten by the cast rule, not by the type-name rule; a
// SELECT gets its implied day bounds while its WHERE is still the client's.
func (r *rewriter) pre(m protoreflect.Message) bool {
	switch x := m.Interface().(type) {
	case *pg_query.TypeCast:
		walkNode(x.Arg, r.pre, r.post)
		return false
	case *pg_query.SelectStmt:
		r.dayBounds(x) // before the rules rewrite its expressions
		r.topNDays(x)
	}
	return true
}

// post applies the rules to a node whose children are already rewritten.
func (r *rewriter) post(m protoreflect.Message) {
	if r.jsonPost(m) { // json and jsonb first (rule_json.go)
		return
	}
	switch x := m.Interface().(type) {
	case *pg_query.Node:
		r.node(x)
	case *pg_query.RangeVar:
		r.rangeVar(x)
	case *pg_query.FuncCall:
		r.funcCall(x)
	case *pg_query.TypeName:
		r.typeName(x)
	case *pg_query.ColumnRef:
		r.columnRef(x)
	case *pg_query.RangeFunction:
		r.rangeFunction(x)
	}
}

// node applies the rules that replace an expression by another.
func (r *rewriter) node(n *pg_query.Node) {
	var repl *pg_query.Node
	switch x := n.GetNode().(type) {
	case *pg_query.Node_TypeCast:
		repl = r.typeCast(x.TypeCast)
	case *pg_query.Node_AExpr:
		r.untypedArrayOperand(x.AExpr)
		repl = r.aExpr(x.AExpr)
	case *pg_query.Node_CollateClause:
		repl = r.collate(x.CollateClause)
	case *pg_query.Node_AArrayExpr:
		repl = unevenArray(x.AArrayExpr)
	case *pg_query.Node_RangeFunction:
		repl = r.functionInFrom(x.RangeFunction)
	case *pg_query.Node_ColumnRef:
		repl = r.systemColumn(x.ColumnRef)
	case *pg_query.Node_SqlvalueFunction:
		repl = r.sqlValueFunction(x.SqlvalueFunction)
	case *pg_query.Node_FuncCall:
		if repl = r.sumResult(x.FuncCall); repl == nil {
			repl = r.functionNode(x.FuncCall)
		}
	}
	if repl != nil {
		n.Node = repl.Node
		r.changed = true
	}
}
