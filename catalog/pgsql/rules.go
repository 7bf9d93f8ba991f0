package pgsql

import (
	"strings"

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
// type name is rewritten by the cast rule, not by the type-name rule.
func (r *rewriter) pre(m protoreflect.Message) bool {
	if tc, ok := m.Interface().(*pg_query.TypeCast); ok {
		walkNode(tc.Arg, r.pre, r.post)
		return false
	}
	return true
}

// post applies the rules to a node whose children are already rewritten.
func (r *rewriter) post(m protoreflect.Message) {
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

// systemColumn gives `alias.tableoid` of a pg_catalog relation a value:
// the relation's own oid, as PostgreSQL's system column holds.
func (r *rewriter) systemColumn(cr *pg_query.ColumnRef) *pg_query.Node {
	if len(cr.Fields) != 2 || !r.t.funcs["to_regclass"] {
		return nil
	}
	names, ok := nodeStrings(cr.Fields)
	if !ok || names[1] != "tableoid" {
		return nil
	}
	rel, ok := r.catalogAliases[names[0]]
	if !ok {
		return nil
	}
	fn := append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], "to_regclass")
	oid := pg_query.MakeFuncCallNode(strNodes(fn...), []*pg_query.Node{pg_query.MakeAConstStrNode("pg_catalog."+rel, cr.Location)}, cr.Location)
	// tableoid is an oid, not a regclass: it prints as a number.
	return &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{
		Arg: oid, TypeName: &pg_query.TypeName{Names: strNodes("pg_catalog", "int8"), Typemod: -1, Location: -1}, Location: -1}}}
}

// pgFormat rewrites PostgreSQL's format('...%s...%I...%L...', args) with a
// constant format string into concat(...): DuckDB's format speaks fmt's {}
// syntax instead. It reports whether it rewrote the call.
func (r *rewriter) pgFormat(fc *pg_query.FuncCall) bool {
	if len(fc.Args) == 0 || fc.AggStar || fc.AggDistinct {
		return false
	}
	c := fc.Args[0].GetAConst()
	if c == nil || c.GetSval() == nil {
		return false
	}
	f := c.GetSval().GetSval()
	if !strings.Contains(f, "%") {
		return false
	}
	var parts []*pg_query.Node
	var lit strings.Builder
	next := 1
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, strConst(lit.String()))
			lit.Reset()
		}
	}
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		if i+1 >= len(f) {
			return false
		}
		i++
		var conv []string
		switch f[i] {
		case '%':
			lit.WriteByte('%')
			continue
		case 's':
		case 'I':
			conv = []string{"quote_ident"}
		case 'L':
			conv = []string{"quote_literal"}
		default:
			return false // positions and widths: leave it to DuckDB
		}
		if next >= len(fc.Args) {
			return false
		}
		arg := fc.Args[next]
		next++
		flush()
		if conv != nil {
			fn := conv
			if r.t.funcs[conv[0]] {
				fn = append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], conv[0])
			}
			arg = funcCall(fn, arg)
		}
		parts = append(parts, arg)
	}
	flush()
	fc.Funcname = strNodes("concat")
	fc.Args = parts
	r.changed = true
	return true
}

// duckFunctions are PostgreSQL functions DuckDB has under another name.
var duckFunctions = map[string]string{
	"json_build_object": "json_object", "jsonb_build_object": "json_object",
	"json_build_array": "json_array", "jsonb_build_array": "json_array",
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

// node applies the rules that replace an expression by another.
func (r *rewriter) node(n *pg_query.Node) {
	var repl *pg_query.Node
	switch x := n.GetNode().(type) {
	case *pg_query.Node_TypeCast:
		repl = r.typeCast(x.TypeCast)
	case *pg_query.Node_AExpr:
		repl = r.aExpr(x.AExpr)
	case *pg_query.Node_CollateClause:
		repl = r.collate(x.CollateClause)
	case *pg_query.Node_RangeFunction:
		repl = r.functionInFrom(x.RangeFunction)
	case *pg_query.Node_ColumnRef:
		repl = r.systemColumn(x.ColumnRef)
	case *pg_query.Node_SqlvalueFunction:
		repl = r.sqlValueFunction(x.SqlvalueFunction)
	}
	if repl != nil {
		n.Node = repl.Node
		r.changed = true
	}
}

// --- Rule 1: relations -------------------------------------------------

// rangeVar points pg_catalog and information_schema relations that the
// emulation provides at the emulation schemas. An unqualified catalog
// relation name resolves to pg_catalog first, as in PostgreSQL.
func (r *rewriter) rangeVar(rv *pg_query.RangeVar) {
	if rv.Schemaname == "public" && rv.Catalogname == "" {
		// PostgreSQL's default schema is DuckDB's main.
		rv.Schemaname = "main"
		r.changed = true
		return
	}
	schema := r.relationSchema(rv.Schemaname, rv.Relname)
	if rv.Schemaname == "" && rv.Catalogname == "" && r.t.catRels[rv.Relname] && !r.ctes[rv.Relname] {
		schema = r.t.catSchema
	}
	if len(schema) == 0 {
		return
	}
	rv.Catalogname, rv.Schemaname = "", schema[len(schema)-1]
	if len(schema) > 1 {
		rv.Catalogname = schema[len(schema)-2]
	}
	r.changed = true
}

// relationSchema returns the emulation schema for relation rel qualified
// with schema, or nil.
func (r *rewriter) relationSchema(schema, rel string) []string {
	switch {
	case schema == "pg_catalog" && r.t.catRels[rel]:
		return r.t.catSchema
	case schema == "information_schema" && r.t.infoRels[rel]:
		return r.t.infoSchema
	}
	return nil
}

// columnRef rewrites schema-qualified column references
// (pg_catalog.pg_class.oid) like the relations they name.
func (r *rewriter) columnRef(cr *pg_query.ColumnRef) {
	if len(cr.Fields) < 3 {
		return
	}
	name, ok := nodeStrings(cr.Fields[:2])
	if !ok {
		return
	}
	if name[0] == "public" {
		// public.table.column: PostgreSQL's default schema is DuckDB's main.
		cr.Fields[0] = pg_query.MakeStrNode("main")
		r.changed = true
		return
	}
	if schema := r.relationSchema(name[0], name[1]); len(schema) > 0 {
		cr.Fields = append(strNodes(schema...), cr.Fields[1:]...)
		r.changed = true
	}
}

// --- Rule 2: functions -------------------------------------------------

// parserFuncs are pg_catalog functions the PostgreSQL grammar itself
// inserts (x SIMILAR TO p → x ~ pg_catalog.similar_to_escape(p)); the
// deparser needs their qualifier to print the syntax back.
var parserFuncs = map[string]bool{"similar_to_escape": true}

// funcCall points calls of emulated functions at the emulation schema and
// drops the pg_catalog qualifier of the others (DuckDB has many of them
// built in, unqualified).
func (r *rewriter) funcCall(fc *pg_query.FuncCall) {
	if fc.Funcformat == pg_query.CoercionForm_COERCE_SQL_SYNTAX {
		return // EXTRACT(...), SUBSTRING(... FROM ...), AT TIME ZONE: deparsed as SQL syntax
	}
	name, ok := nodeStrings(fc.Funcname)
	if !ok || len(name) == 2 && parserFuncs[name[1]] {
		return
	}
	if name[len(name)-1] == "format" && (len(name) == 1 || name[0] == "pg_catalog") {
		if r.pgFormat(fc) {
			return
		}
	}
	if dn, ok := duckFunctions[name[len(name)-1]]; ok && (len(name) == 1 || name[0] == "pg_catalog") {
		// Same function, DuckDB's name (variadic, so no macro can stand in).
		fc.Funcname = strNodes(dn)
		r.changed = true
		return
	}
	var repl []string
	switch {
	case len(name) == 1 && r.t.funcs[name[0]]:
		repl = append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], name[0])
	case len(name) == 2 && name[0] == "pg_catalog":
		if r.t.funcs[name[1]] {
			repl = append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], name[1])
		} else {
			repl = name[1:]
		}
	case len(name) == 2 && name[0] == "information_schema":
		if r.t.infoFuncs[name[1]] {
			repl = append(r.t.infoSchema[:len(r.t.infoSchema):len(r.t.infoSchema)], name[1])
		} else if r.t.funcs[name[1]] {
			repl = append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], name[1])
		}
	}
	if repl == nil || len(repl) == 1 && len(name) == 1 {
		return
	}
	fc.Funcname = strNodes(repl...)
	r.changed = true
}

// --- Rule 3: casts and types -------------------------------------------

// regTypes are the object-identifier alias types; a cast to one of them
// becomes a call of the emulation's to_<type> macro, which takes a name or
// an oid and returns the oid as BIGINT.
var regTypes = map[string]bool{
	"regclass": true, "regtype": true, "regproc": true, "regprocedure": true,
	"regnamespace": true, "regrole": true, "regoper": true, "regoperator": true,
	"regconfig": true, "regdictionary": true, "regcollation": true,
}

// typeMap gives the DuckDB spelling of PostgreSQL types DuckDB lacks. A
// two-element value is a pg_catalog name the deparser prints in SQL
// standard form (pg_catalog.int8 → bigint).
var typeMap = map[string][]string{
	"char":         {"pg_catalog", "varchar"}, // "char"
	"name":         {"pg_catalog", "varchar"},
	"int2vector":   {"pg_catalog", "varchar"},
	"oidvector":    {"pg_catalog", "varchar"},
	"aclitem":      {"pg_catalog", "varchar"},
	"pg_node_tree": {"pg_catalog", "varchar"},
	"oid":          {"pg_catalog", "int8"},
	"xid":          {"pg_catalog", "int8"},
	"xid8":         {"pg_catalog", "int8"},
	"cid":          {"pg_catalog", "int8"},
	"jsonb":        {"json"},
	// reg* types outside a cast the emulation converts: plain oids
	"regclass": {"pg_catalog", "int8"}, "regtype": {"pg_catalog", "int8"},
	"regproc": {"pg_catalog", "int8"}, "regprocedure": {"pg_catalog", "int8"},
	"regnamespace": {"pg_catalog", "int8"}, "regrole": {"pg_catalog", "int8"},
	"regoper": {"pg_catalog", "int8"}, "regoperator": {"pg_catalog", "int8"},
	"regconfig": {"pg_catalog", "int8"}, "regdictionary": {"pg_catalog", "int8"},
	"regcollation": {"pg_catalog", "int8"},
}

// deparsedBuiltin are the pg_catalog types the deparser prints without
// the qualifier (see deparseTypeName in libpg_query).
var deparsedBuiltin = map[string]bool{
	"bpchar": true, "varchar": true, "numeric": true, "bool": true, "int2": true, "int4": true,
	"int8": true, "real": true, "float4": true, "float8": true, "time": true, "timetz": true,
	"timestamp": true, "timestamptz": true, "interval": true,
}

// typeName maps PostgreSQL-only types to DuckDB types and drops the
// pg_catalog qualifier the deparser would otherwise print.
func (r *rewriter) typeName(tn *pg_query.TypeName) {
	names, ok := nodeStrings(tn.Names)
	if !ok || len(names) == 0 || len(names) > 2 || len(names) == 2 && names[0] != "pg_catalog" {
		return
	}
	base := names[len(names)-1]
	if repl, ok := typeMap[base]; ok {
		tn.Names = strNodes(repl...)
		tn.Typmods = nil
		r.changed = true
		return
	}
	if len(names) == 2 && !deparsedBuiltin[base] {
		tn.Names = strNodes(base)
		r.changed = true
	}
}

// typeCast rewrites casts: to reg* types into to_<type>(arg) calls, to
// PostgreSQL-only types into DuckDB types, and PostgreSQL array literals
// ('{a,b}'::text[]) into ARRAY[...] (DuckDB cannot cast that text).
func (r *rewriter) typeCast(tc *pg_query.TypeCast) *pg_query.Node {
	tn := tc.TypeName
	if tn == nil {
		return nil
	}
	names, ok := nodeStrings(tn.Names)
	if !ok || len(names) == 0 || len(names) > 2 || len(names) == 2 && names[0] != "pg_catalog" {
		return nil
	}
	base := names[len(names)-1]
	conv := r.regConverter(base)
	if conv != nil && len(tn.ArrayBounds) == 0 && r.isOIDColumn(tc.Arg) && r.t.funcs["tp_oid_"+base] {
		// An oid column is already the value: no look-up by name, whose
		// plan costs milliseconds per cast.
		return funcCall(append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], "tp_oid_"+base), tc.Arg)
	}
	if conv != nil && len(tn.ArrayBounds) == 0 {
		if lit := tc.Arg.GetAConst(); base == "regclass" && lit != nil && lit.GetSval() != nil && r.t.funcs["regclass_in"] {
			// 'name'::regclass fails for a missing relation, unlike to_regclass.
			return funcCall(append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], "regclass_in"), tc.Arg)
		}
		return conv(tc.Arg)
	}
	if textTypes[base] && len(tn.ArrayBounds) == 0 {
		// A reg* value cast to text is the object's name, not its oid.
		if reg, ok := r.regValue(tc.Arg); ok && r.t.funcs[reg+"_out"] {
			tc.Arg = funcCall(append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], reg+"_out"), tc.Arg)
			r.changed = true
		}
		// An int2vector or oidvector cast to text is space-separated.
		if col, ok := r.catalogColumn(tc.Arg); ok && vectorColumns[col] && r.t.funcs["tp_vector_out"] {
			tc.Arg = funcCall(append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], "tp_vector_out"), tc.Arg)
			r.changed = true
		}
	}
	r.typeName(tn)
	if lit := tc.Arg.GetAConst(); lit != nil && lit.GetSval() != nil && len(tn.ArrayBounds) == 1 {
		if elems, ok := parseArrayLiteral(lit.GetSval().Sval); ok {
			arr := &pg_query.A_ArrayExpr{Location: -1}
			for _, e := range elems {
				var en *pg_query.Node
				if e == nil {
					en = nullConst()
				} else {
					en = strConst(*e)
				}
				if conv != nil && e != nil {
					en = conv(en)
				}
				arr.Elements = append(arr.Elements, en)
			}
			tc.Arg = &pg_query.Node{Node: &pg_query.Node_AArrayExpr{AArrayExpr: arr}}
			r.changed = true
		}
	}
	return nil
}

// vectorColumns are the catalog columns of type int2vector or oidvector,
// which the emulation keeps as lists: PostgreSQL prints them as "1 2", and
// clients parse that (SQLAlchemy's pg_index.indkey::varchar).
var vectorColumns = map[string]bool{"indkey": true, "indoption": true, "indclass": true, "indcollation": true,
	"proargtypes": true, "tgattr": true, "partattrs": true, "partclass": true, "partcollation": true, "stxkeys": true}

// textTypes are the types a reg* value cast to prints its object's name.
var textTypes = map[string]bool{"text": true, "varchar": true, "name": true, "bpchar": true}

// regValue reports which reg* type n is a (rewritten) cast to: the
// conversion functions regConverter and the regclass_in rule make.
func (r *rewriter) regValue(n *pg_query.Node) (string, bool) {
	fc := n.GetFuncCall()
	if fc == nil {
		return "", false
	}
	name, ok := nodeStrings(fc.Funcname)
	if !ok || len(name) != len(r.t.catSchema)+1 {
		return "", false
	}
	for i, part := range r.t.catSchema {
		if name[i] != part {
			return "", false
		}
	}
	fn := name[len(name)-1]
	if fn == "regclass_in" {
		return "regclass", true
	}
	if base, ok := strings.CutPrefix(fn, "tp_oid_"); ok && regTypes[base] {
		return base, true
	}
	if base, ok := strings.CutPrefix(fn, "to_"); ok && regTypes[base] {
		return base, true
	}
	return "", false
}

// regConverter returns the function that turns an expression into the
// oid of a reg* type, or nil when base is not one the emulation converts.
func (r *rewriter) regConverter(base string) func(*pg_query.Node) *pg_query.Node {
	if !regTypes[base] || !r.t.funcs["to_"+base] {
		return nil
	}
	name := append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], "to_"+base)
	return func(arg *pg_query.Node) *pg_query.Node { return funcCall(name, arg) }
}

// parseArrayLiteral parses a one-dimensional PostgreSQL array literal
// ('{a,"b c",NULL}'); a nil element is NULL.
func parseArrayLiteral(s string) ([]*string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	body := s[1 : len(s)-1]
	var out []*string
	if strings.TrimSpace(body) == "" {
		return out, true
	}
	i := 0
	for {
		for i < len(body) && body[i] == ' ' {
			i++
		}
		var b strings.Builder
		quoted := false
		if i < len(body) && body[i] == '"' {
			quoted = true
			i++
			for ; i < len(body) && body[i] != '"'; i++ {
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				b.WriteByte(body[i])
			}
			if i >= len(body) {
				return nil, false
			}
			i++ // closing quote
			for i < len(body) && body[i] == ' ' {
				i++
			}
		} else {
			for ; i < len(body) && body[i] != ','; i++ {
				switch body[i] {
				case '{', '}', '"':
					return nil, false // nested or malformed
				case '\\':
					if i+1 < len(body) {
						i++
					}
				}
				b.WriteByte(body[i])
			}
		}
		v := b.String()
		if !quoted {
			v = strings.TrimRight(v, " ")
		}
		if !quoted && strings.EqualFold(v, "null") {
			out = append(out, nil)
		} else {
			out = append(out, &v)
		}
		if i >= len(body) {
			return out, true
		}
		if body[i] != ',' {
			return nil, false
		}
		i++
	}
}

// --- Rule 4 and 6: operators, ANY/ALL ------------------------------------

// regexOps maps PostgreSQL's regex operators (partial match; DuckDB's ~ is
// a full match) to regexp_matches calls.
var regexOps = map[string]struct {
	negate, icase bool
}{
	"~": {}, "~*": {icase: true}, "!~": {negate: true}, "!~*": {negate: true, icase: true},
}

// likeOps are the operator spellings of LIKE and ILIKE.
var likeOps = map[string]pg_query.A_Expr_Kind{
	"~~": pg_query.A_Expr_Kind_AEXPR_LIKE, "!~~": pg_query.A_Expr_Kind_AEXPR_LIKE,
	"~~*": pg_query.A_Expr_Kind_AEXPR_ILIKE, "!~~*": pg_query.A_Expr_Kind_AEXPR_ILIKE,
}

// aExpr rewrites operators: regex matches, OPERATOR(pg_catalog.op), and
// = ANY(array) / <> ALL(array).
func (r *rewriter) aExpr(e *pg_query.A_Expr) *pg_query.Node {
	name, ok := nodeStrings(e.Name)
	if !ok || len(name) == 0 || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" {
		return nil
	}
	op := name[len(name)-1]
	switch e.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		if e.Lexpr != nil && e.Rexpr != nil {
			if ro, ok := regexOps[op]; ok {
				args := []*pg_query.Node{e.Lexpr, e.Rexpr}
				if ro.icase {
					args = append(args, strConst("i"))
				}
				call := funcCall([]string{"regexp_matches"}, args...)
				if ro.negate {
					return notExpr(call)
				}
				return call
			}
			if kind, ok := likeOps[op]; ok {
				e.Kind, e.Name = kind, strNodes(op)
				r.changed = true
				return nil
			}
		}
	case pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE:
		return likeEscape(e, op)
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY:
		if op == "=" && e.Rexpr.GetSubLink() == nil {
			return funcCall([]string{"list_contains"}, e.Rexpr, e.Lexpr)
		}
	case pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		if op == "<>" && e.Rexpr.GetSubLink() == nil {
			return notExpr(funcCall([]string{"list_contains"}, e.Rexpr, e.Lexpr))
		}
	}
	if len(name) == 2 {
		e.Name = strNodes(op)
		r.changed = true
	}
	return nil
}

// likeEscape rewrites x [NOT] [I]LIKE p ESCAPE e, which PostgreSQL parses
// as x LIKE pg_catalog.like_escape(p, e), into DuckDB's
// [NOT] [i]like_escape(x, p, e).
func likeEscape(e *pg_query.A_Expr, op string) *pg_query.Node {
	fc := e.Rexpr.GetFuncCall()
	if fc == nil {
		// PostgreSQL's LIKE escapes with a backslash by default; DuckDB's
		// has no escape character unless told.
		if c := e.Rexpr.GetAConst(); c != nil && strings.Contains(c.GetSval().GetSval(), `\`) {
			fn := "like_escape"
			if e.Kind == pg_query.A_Expr_Kind_AEXPR_ILIKE {
				fn = "ilike_escape"
			}
			call := funcCall([]string{fn}, e.Lexpr, e.Rexpr, strConst(`\`))
			if strings.HasPrefix(op, "!") {
				return notExpr(call)
			}
			return call
		}
		return nil
	}
	if len(fc.Args) != 2 {
		return nil
	}
	name, ok := nodeStrings(fc.Funcname)
	if !ok || name[len(name)-1] != "like_escape" || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" {
		return nil
	}
	fn := "like_escape"
	if e.Kind == pg_query.A_Expr_Kind_AEXPR_ILIKE {
		fn = "ilike_escape"
	}
	call := funcCall([]string{fn}, e.Lexpr, fc.Args[0], fc.Args[1])
	if strings.HasPrefix(op, "!") {
		return notExpr(call)
	}
	return call
}

// --- Rule 5: COLLATE ---------------------------------------------------

// droppedCollations are collations DuckDB does not know whose removal does
// not change the meaning for the catalog's ASCII names.
var droppedCollations = map[string]bool{"default": true, "C": true, "POSIX": true, "c": true, "posix": true, "ucs_basic": true}

// collate drops COLLATE pg_catalog.default, "C" and "POSIX".
func (r *rewriter) collate(c *pg_query.CollateClause) *pg_query.Node {
	name, ok := nodeStrings(c.Collname)
	if !ok || c.Arg == nil || len(name) == 0 || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" {
		return nil
	}
	if !droppedCollations[name[len(name)-1]] {
		return nil
	}
	return c.Arg
}

// sqlValueFunctions are the keyword-like functions (current_user, ...) whose
// PostgreSQL answer the emulation gives: the session's user and schema,
// where DuckDB's own answer its internal names.
var sqlValueFunctions = map[pg_query.SQLValueFunctionOp]string{
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER:    "current_user",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:    "current_role",
	pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER:    "session_user",
	pg_query.SQLValueFunctionOp_SVFOP_USER:            "user",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG: "current_catalog",
	pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:  "current_schema",
}

// sqlValueFunction turns current_user and its kin into calls of the
// emulation's functions of the same names.
func (r *rewriter) sqlValueFunction(f *pg_query.SQLValueFunction) *pg_query.Node {
	name, ok := sqlValueFunctions[f.Op]
	if !ok || !r.t.funcs[name] {
		return nil
	}
	fn := append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], name)
	return pg_query.MakeFuncCallNode(strNodes(fn...), nil, -1)
}

// regResults makes the reg* values a query returns print as PostgreSQL
// prints them, as the names of their objects ("Referenced by" in psql's
// \d lists c.conrelid::regclass). Inside the query they stay oids, so
// comparisons and joins are unaffected.
func (r *rewriter) regResults(sel *pg_query.SelectStmt) {
	if sel.Op != pg_query.SetOperation_SETOP_NONE {
		if sel.Larg != nil {
			r.regResults(sel.Larg)
		}
		if sel.Rarg != nil {
			r.regResults(sel.Rarg)
		}
		return
	}
	for _, n := range sel.TargetList {
		rt := n.GetResTarget()
		if rt == nil || rt.Val == nil {
			continue
		}
		if reg, ok := r.regValue(rt.Val); ok && r.t.funcs[reg+"_out"] {
			rt.Val = funcCall(append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], reg+"_out"), rt.Val)
			r.changed = true
		}
	}
}

// isOIDColumn reports whether n is a column of an emulated catalog relation
// that holds oids.
func (r *rewriter) isOIDColumn(n *pg_query.Node) bool {
	col, ok := r.catalogColumn(n)
	return ok && r.t.oidCols[col]
}

// catalogColumn returns the column name when n is a column of an emulated
// catalog relation: alias.col with alias a catalog relation, or a bare col
// when every relation the statement reads is a catalog one.
func (r *rewriter) catalogColumn(n *pg_query.Node) (string, bool) {
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
		return names[0], !r.otherRelations && len(r.catalogAliases) > 0
	case 2:
		_, isCatalog := r.catalogAliases[names[0]]
		return names[1], isCatalog
	}
	return "", false
}
