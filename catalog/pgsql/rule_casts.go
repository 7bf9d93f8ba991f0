package pgsql

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

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
	if textTypes[base] && len(tn.ArrayBounds) == 0 && isByteaCast(tc.Arg) {
		// bytea as text is its hex output form, where DuckDB escapes bytes.
		tc.Arg = funcCall([]string{"concat"}, strConst(`\x`), funcCall([]string{"lower"}, funcCall([]string{"hex"}, tc.Arg)))
		r.changed = true
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
	r.lengthLimit(tc, base)
	if lit := tc.Arg.GetAConst(); lit != nil && lit.GetSval() != nil {
		if len(tn.ArrayBounds) == 0 {
			return r.scalarLiteral(tc, base, lit.GetSval())
		}
		return r.arrayLiteral(tc, base, conv, lit.GetSval().Sval)
	}
	if lit := tc.Arg.GetAConst(); lit != nil && base == "numeric" && len(tn.Typmods) == 0 && len(tn.ArrayBounds) == 0 {
		r.numericConstant(tc, lit)
	}
	if lit := tc.Arg.GetAConst(); lit != nil && base == "float8" && len(tn.ArrayBounds) == 0 {
		if msg, bad := float8Range(lit); bad {
			r.changed = true
			return typeCast(raise(msg), tn)
		}
	}
	return nil
}

// float8Range reports a numeric constant out of double precision's range
// (1e400::float8, 1e-400::float8), with PostgreSQL's message (pgwire maps
// it to 22003).
func float8Range(lit *pg_query.A_Const) (msg string, bad bool) {
	v := lit.GetFval().GetFval()
	if v == "" {
		return "", false
	}
	f, err := strconv.ParseFloat(v, 64)
	mantissa, _, _ := strings.Cut(strings.ToLower(v), "e")
	overflow := err != nil && math.IsInf(f, 0)
	underflow := err == nil && f == 0 && strings.Trim(mantissa, "0.") != ""
	if !overflow && !underflow {
		return "", false
	}
	text := v
	if _, scale, ok := decimalShape(v); ok {
		if rat, ok := new(big.Rat).SetString(v); ok {
			text = rat.FloatString(scale) // numeric's output: no exponent
		}
	}
	return fmt.Sprintf("%q is out of range for type double precision", text), true
}

// raise is error(msg): DuckDB fails with msg as an invalid input error,
// which pgwire maps to PostgreSQL's SQLSTATE of msg.
func raise(msg string) *pg_query.Node {
	return funcCall([]string{"error"}, strConst(msg))
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

// intFunctions return integer (int4) in PostgreSQL.
var intFunctions = map[string]bool{"length": true, "char_length": true, "character_length": true,
	"octet_length": true, "bit_length": true, "array_length": true, "cardinality": true, "strpos": true}

// isInt4Expr reports whether PostgreSQL types n as smallint or integer,
// as far as the syntax tells: integer literals, casts to them, and
// arithmetic, CASE and coalesce of such.
func isInt4Expr(n *pg_query.Node) bool {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_AConst:
		return x.AConst.GetIval() != nil || x.AConst.Isnull
	case *pg_query.Node_TypeCast:
		names, ok := nodeStrings(x.TypeCast.TypeName.GetNames())
		if !ok || len(names) == 0 || len(x.TypeCast.TypeName.ArrayBounds) > 0 {
			return false
		}
		base := names[len(names)-1]
		return base == "int2" || base == "int4"
	case *pg_query.Node_AExpr:
		name, ok := nodeStrings(x.AExpr.Name)
		if !ok || len(name) != 1 || x.AExpr.Kind != pg_query.A_Expr_Kind_AEXPR_OP || x.AExpr.Rexpr == nil {
			return false
		}
		switch name[0] {
		case "+", "-", "*", "%":
			return (x.AExpr.Lexpr == nil || isInt4Expr(x.AExpr.Lexpr)) && isInt4Expr(x.AExpr.Rexpr)
		}
	case *pg_query.Node_CaseExpr:
		for _, w := range x.CaseExpr.Args {
			if cw := w.GetCaseWhen(); cw == nil || !isInt4Expr(cw.Result) {
				return false
			}
		}
		return x.CaseExpr.Defresult == nil || isInt4Expr(x.CaseExpr.Defresult)
	case *pg_query.Node_CoalesceExpr:
		for _, a := range x.CoalesceExpr.Args {
			if !isInt4Expr(a) {
				return false
			}
		}
		return len(x.CoalesceExpr.Args) > 0
	case *pg_query.Node_FuncCall:
		name, ok := nodeStrings(x.FuncCall.Funcname)
		return ok && len(name) > 0 && intFunctions[name[len(name)-1]] && x.FuncCall.Over == nil
	}
	return false
}

// sumResult makes sum over a smallint or integer expression bigint, as in
// PostgreSQL, where DuckDB's sum of integers is HUGEINT (numeric on the
// wire): sum(CASE WHEN ... THEN 1 ELSE 0 END) is bigint. Over anything
// else (columns, whose types the translator does not know) DuckDB's type
// stays.
func (r *rewriter) sumResult(fc *pg_query.FuncCall) *pg_query.Node {
	name, ok := nodeStrings(fc.Funcname)
	if !ok || len(fc.Args) != 1 || fc.AggStar || len(name) == 0 || name[len(name)-1] != "sum" ||
		len(name) == 2 && name[0] != "pg_catalog" || len(name) > 2 || !isInt4Expr(fc.Args[0]) {
		return nil
	}
	call := &pg_query.Node{Node: &pg_query.Node_FuncCall{FuncCall: fc}}
	tn := &pg_query.TypeName{Names: strNodes("pg_catalog", "int8"), Typemod: -1, Location: -1}
	return &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{Arg: call, TypeName: tn, Location: -1}}}
}

// lengthLimit makes x::varchar(n) and x::char(n) cut x to n characters,
// as PostgreSQL's explicit casts do; DuckDB ignores the length. char(n)'s
// padding is not added: PostgreSQL ignores it when comparing, concatenating
// and measuring, where DuckDB would count it.
func (r *rewriter) lengthLimit(tc *pg_query.TypeCast, base string) {
	if base != "varchar" && base != "bpchar" || len(tc.TypeName.Typmods) != 1 || len(tc.TypeName.ArrayBounds) > 0 {
		return
	}
	c := tc.TypeName.Typmods[0].GetAConst()
	if c == nil || c.GetIval() == nil || c.GetIval().Ival < 1 {
		return
	}
	n := pg_query.MakeAConstIntNode(int64(c.GetIval().Ival), -1)
	text := &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{Arg: tc.Arg,
		TypeName: &pg_query.TypeName{Names: strNodes("text"), Typemod: -1, Location: -1}, Location: -1}}}
	tc.Arg = funcCall([]string{"left"}, text, n)
	r.changed = true
}

// regTypeOIDs are the oids of the reg* types.
var regTypeOIDs = map[string]uint32{
	"regproc": 24, "regprocedure": 2202, "regoper": 2203, "regoperator": 2204, "regclass": 2205,
	"regtype": 2206, "regnamespace": 4089, "regrole": 4096,
}

// columnRegTypes returns, per result column of a plain SELECT, the oid of
// the reg* type PostgreSQL gives it when it is pg_typeof(...) or a cast to
// a reg* type, 0 for other columns; ok is false when the statement selects
// `*` or has no such column.
func columnRegTypes(tree *pg_query.ParseResult) (oids []uint32, ok bool) {
	if len(tree.Stmts) != 1 {
		return nil, false
	}
	sel := leftmostSelect(tree.Stmts[0].GetStmt().GetSelectStmt())
	if sel == nil || len(sel.ValuesLists) > 0 {
		return nil, false
	}
	for _, n := range sel.TargetList {
		rt := n.GetResTarget()
		if rt == nil || rt.Val == nil || isStar(rt.Val) {
			return nil, false
		}
		var oid uint32
		if fc := rt.Val.GetFuncCall(); fc != nil {
			if name, isNames := nodeStrings(fc.Funcname); isNames && name[len(name)-1] == "pg_typeof" && (len(name) == 1 || len(name) == 2 && name[0] == "pg_catalog") {
				oid = 2206
			}
		}
		if tc := rt.Val.GetTypeCast(); tc != nil && tc.TypeName != nil && len(tc.TypeName.ArrayBounds) == 0 {
			if names, isNames := nodeStrings(tc.TypeName.Names); isNames && len(names) > 0 && (len(names) == 1 || names[0] == "pg_catalog") {
				oid = regTypeOIDs[names[len(names)-1]]
			}
		}
		ok = ok || oid != 0
		oids = append(oids, oid)
	}
	return oids, ok
}

// isByteaCast reports a cast to bytea.
func isByteaCast(n *pg_query.Node) bool {
	tc := n.GetTypeCast()
	if tc == nil || tc.TypeName == nil || len(tc.TypeName.ArrayBounds) > 0 {
		return false
	}
	names, ok := nodeStrings(tc.TypeName.Names)
	return ok && len(names) > 0 && names[len(names)-1] == "bytea"
}
