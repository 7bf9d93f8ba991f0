package pgsql

import (
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
)

// regexOps maps PostgreSQL's regex operators (partial match; DuckDB's ~ is
// a full match) to regexp_matches calls.
var regexOps = map[string]struct {
	negate, icase bool
}{
	"~": {}, "~*": {icase: true}, "!~": {negate: true}, "!~*": {negate: true, icase: true},
}

// operatorFuncs are PostgreSQL's numeric operators DuckDB lacks, as the
// DuckDB function of their prefix or infix form: |/ x, ||/ x, a # b.
var operatorFuncs = map[string]struct{ prefix, infix string }{
	"|/": {prefix: "sqrt"}, "||/": {prefix: "cbrt"}, "#": {infix: "xor"},
}

// likeOps are the operator spellings of LIKE and ILIKE.
var likeOps = map[string]pg_query.A_Expr_Kind{
	"~~": pg_query.A_Expr_Kind_AEXPR_LIKE, "!~~": pg_query.A_Expr_Kind_AEXPR_LIKE,
	"~~*": pg_query.A_Expr_Kind_AEXPR_ILIKE, "!~~*": pg_query.A_Expr_Kind_AEXPR_ILIKE,
}

// aExpr rewrites operators: division, regex matches, LIKE's escape,
// OPERATOR(pg_catalog.op), and = ANY(array) / <> ALL(array).
func (r *rewriter) aExpr(e *pg_query.A_Expr) *pg_query.Node {
	name, ok := nodeStrings(e.Name)
	if !ok || len(name) == 0 || len(name) > 2 || len(name) == 2 && name[0] != "pg_catalog" {
		return nil
	}
	op := name[len(name)-1]
	switch e.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		if e.Lexpr != nil && e.Rexpr != nil && (op == "/" || op == "%") {
			return r.division(e, op)
		}
		if op == "^" && e.Lexpr != nil && e.Rexpr != nil && r.t.funcs["power"] {
			// The emulation's power raises PostgreSQL's errors.
			args := []*pg_query.Node{e.Lexpr, e.Rexpr}
			float8Params(args)
			return funcCall(r.catalogName("power"), args...)
		}
		if (op == "+" || op == "-" || op == "*") && mixedFloat4(e) {
			// PostgreSQL computes a real and an integer or numeric in
			// double precision (float48pl, ...); DuckDB in FLOAT.
			e.Lexpr, e.Rexpr = float8Cast(e.Lexpr), float8Cast(e.Rexpr)
			r.changed = true
		}
		if (op == "+" || op == "-" || op == "*") && float8Operands(e) && r.t.funcs["tp_float8_checked"] {
			// A sum, difference or product of visible double precision
			// values overflows as in PostgreSQL (22003), not to infinity.
			l, rr := proto.Clone(e.Lexpr).(*pg_query.Node), proto.Clone(e.Rexpr).(*pg_query.Node)
			e.Name = strNodes(op)
			return funcCall(r.catalogName("tp_float8_checked"), &pg_query.Node{Node: &pg_query.Node_AExpr{AExpr: e}}, l, rr)
		}
		if fn, ok := operatorFuncs[op]; ok && e.Rexpr != nil {
			if e.Lexpr == nil {
				return funcCall([]string{fn.prefix}, e.Rexpr)
			}
			if fn.infix != "" {
				return funcCall([]string{fn.infix}, e.Lexpr, e.Rexpr)
			}
		}
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
	case pg_query.A_Expr_Kind_AEXPR_SIMILAR:
		return similarTo(e, op)
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY:
		if op == "=" && e.Rexpr.GetSubLink() == nil {
			return anyEqual(e.Lexpr, e.Rexpr)
		}
	case pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		if op == "<>" && e.Rexpr.GetSubLink() == nil {
			return notExpr(anyEqual(e.Lexpr, e.Rexpr))
		}
	}
	if len(name) == 2 {
		e.Name = strNodes(op)
		r.changed = true
	}
	return nil
}

// anyEqual is x = ANY(a) for an array a, with PostgreSQL's NULLs: true
// when an element equals x; false when a holds neither x nor a NULL (x and
// a not NULL), or is empty; NULL otherwise (5 = ANY('{1,NULL}'), a NULL
// array or x):
//
//	CASE WHEN list_contains(a, x) THEN true
//	     WHEN list_position(a, NULL) IS NULL AND list_contains(a, x) IS NOT NULL THEN false
//	     WHEN list_count(a) = 0 AND list_position(a, NULL) IS NULL THEN false END
//
// Scalar functions, not DuckDB's own x = ANY(a), a correlated subquery of
// unnest(a) that joins' ON conditions (a.attnum = ANY(ix.indkey)) do not
// take everywhere and that cannot type a parameter array ($1); and not
// len(), with which DuckDB cannot type a prepared statement's result.
// x <> ALL(a) is its negation. A parameter array ($1, $1::text[]) is
// list_contains(a, x) alone, NULL-blind: DuckDB cannot type the statement
// otherwise.
func anyEqual(x, a *pg_query.Node) *pg_query.Node {
	if a.GetParamRef() != nil || a.GetTypeCast().GetArg().GetParamRef() != nil {
		return funcCall([]string{"list_contains"}, a, x)
	}
	clone := func(n *pg_query.Node) *pg_query.Node { return proto.Clone(n).(*pg_query.Node) }
	contains := func() *pg_query.Node { return funcCall([]string{"list_contains"}, clone(a), clone(x)) }
	isNull := func(n *pg_query.Node, t pg_query.NullTestType) *pg_query.Node {
		return &pg_query.Node{Node: &pg_query.Node_NullTest{NullTest: &pg_query.NullTest{Arg: n, Nulltesttype: t, Location: -1}}}
	}
	noNullElement := func() *pg_query.Node {
		return isNull(funcCall([]string{"list_position"}, clone(a), nullConst()), pg_query.NullTestType_IS_NULL)
	}
	and := func(l, r *pg_query.Node) *pg_query.Node {
		return pg_query.MakeBoolExprNode(pg_query.BoolExprType_AND_EXPR, []*pg_query.Node{l, r}, -1)
	}
	empty := op("=", funcCall([]string{"list_count"}, clone(a)), intConst(0))
	return pg_query.MakeCaseExprNode(nil, []*pg_query.Node{
		pg_query.MakeCaseWhenNode(funcCall([]string{"list_contains"}, a, x), boolConst(true), -1),
		pg_query.MakeCaseWhenNode(and(noNullElement(), isNull(contains(), pg_query.NullTestType_IS_NOT_NULL)), boolConst(false), -1),
		pg_query.MakeCaseWhenNode(and(empty, noNullElement()), boolConst(false), -1),
	}, -1)
}

// boolConst is the constant true or false.
func boolConst(v bool) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{
		Val: &pg_query.A_Const_Boolval{Boolval: &pg_query.Boolean{Boolval: v}}, Location: -1}}}
}

// likeEscape rewrites x [NOT] [I]LIKE p [ESCAPE e] for DuckDB, whose LIKE
// has no escape character unless told. PostgreSQL parses ESCAPE e as
// x LIKE pg_catalog.like_escape(p, e); that becomes DuckDB's
// [NOT] [i]like_escape(x, p, e). Without ESCAPE, PostgreSQL escapes with a
// backslash, whatever the pattern: a pattern that may hold one (any but a
// string constant without a backslash) becomes [i]like_escape(x, p, '\').
// A constant without one means the same to both and stays a LIKE, which
// DuckDB plans as prefix, suffix or contains.
func likeEscape(e *pg_query.A_Expr, op string) *pg_query.Node {
	fn := "like_escape"
	if e.Kind == pg_query.A_Expr_Kind_AEXPR_ILIKE {
		fn = "ilike_escape"
	}
	pattern, escape := e.Rexpr, strConst(`\`)
	if fc := e.Rexpr.GetFuncCall(); fc != nil && len(fc.Args) == 2 && isCatalogFunc(fc.Funcname, "like_escape") {
		pattern, escape = fc.Args[0], fc.Args[1]
	} else if c := e.Rexpr.GetAConst(); c != nil && (c.Isnull || !strings.Contains(c.GetSval().GetSval(), `\`)) {
		return nil
	}
	call := funcCall([]string{fn}, e.Lexpr, pattern, escape)
	if strings.HasPrefix(op, "!") {
		return notExpr(call)
	}
	return call
}

// isCatalogFunc reports whether a function name is fn or pg_catalog.fn.
func isCatalogFunc(funcname []*pg_query.Node, fn string) bool {
	name, ok := nodeStrings(funcname)
	return ok && len(name) > 0 && name[len(name)-1] == fn && (len(name) == 1 || len(name) == 2 && name[0] == "pg_catalog")
}

// similarTo rewrites x [NOT] SIMILAR TO p [ESCAPE e], which PostgreSQL
// parses as x ~ pg_catalog.similar_to_escape(p[, e]), when p and e are
// constants: the pattern becomes the regular expression PostgreSQL
// matches, and the match DuckDB's regexp_full_match. DuckDB's own SIMILAR
// TO takes the pattern for a regular expression (% and _ are literals).
func similarTo(e *pg_query.A_Expr, op string) *pg_query.Node {
	fc := e.Rexpr.GetFuncCall()
	if fc == nil || len(fc.Args) == 0 || len(fc.Args) > 2 || !isCatalogFunc(fc.Funcname, "similar_to_escape") {
		return nil
	}
	pattern, ok := constString(fc.Args[0])
	if !ok {
		return nil
	}
	escape := `\`
	if len(fc.Args) == 2 {
		if escape, ok = constString(fc.Args[1]); !ok || len([]rune(escape)) > 1 {
			return nil
		}
	}
	call := funcCall([]string{"regexp_full_match"}, e.Lexpr, strConst(similarRegex(pattern, escape)))
	if op == "!~" {
		return notExpr(call)
	}
	return call
}

// similarRegex converts a SIMILAR TO pattern into the regular expression
// PostgreSQL's similar_to_escape makes of it: % is .*, _ is ., the escape
// character quotes the next one, . ^ $ are literals outside brackets, and
// the rest (| * + ? {m,n} ( ) [...]) are regular expression syntax.
func similarRegex(pattern, escape string) string {
	var esc rune = -1
	for _, r := range escape {
		esc = r
	}
	var b strings.Builder
	b.WriteString("(?s:")
	inBracket, escaped := false, false
	for _, r := range pattern {
		switch {
		case escaped:
			escaped = false
			if strings.ContainsRune(`\.^$|*+?{}()[]`, r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case r == esc:
			escaped = true
		case inBracket:
			if r == ']' {
				inBracket = false
			}
			if r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case r == '[':
			inBracket = true
			b.WriteRune(r)
		case r == '%':
			b.WriteString(".*")
		case r == '_':
			b.WriteByte('.')
		case r == '.' || r == '^' || r == '$' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(")")
	return b.String()
}

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

// Division. A client session's connection divides integers as PostgreSQL
// does (DuckDB's integer_division, set by the catalog), which makes
// DuckDB's / its // for every operand type. What is left to the rule:
//
//   - PostgreSQL raises division_by_zero (22012) for / and % by zero of
//     every numeric type, where DuckDB returns NULL or infinity. The
//     divisor becomes CASE WHEN d = 0 THEN error('division by zero') ELSE d
//     END, whose type is d's, so the division's type is unchanged (pgwire
//     maps the error to 22012). A non-zero numeric constant stays as is.
//   - DuckDB's // has no INTERVAL operand. A dividend the tree shows to be
//     an interval (a cast to interval, an interval literal, age(),
//     make_interval(), justify_*(), a difference of timestamps it shows to
//     be timestamps) is divided by the function "/", which has. An interval
//     the tree does not show (a column, max(t) - min(t)) fails to bind; see
//     README, "PostgreSQL's meaning".
//   - PostgreSQL's extract() and date_part() are numeric and double
//     precision, DuckDB's mostly integers, and its sum() of int8 is numeric
//     where DuckDB's is a HUGEINT: as an operand of / they are cast to
//     double precision (see isNonIntegerFunc).
func (r *rewriter) division(e *pg_query.A_Expr, op string) *pg_query.Node {
	for _, side := range []**pg_query.Node{&e.Lexpr, &e.Rexpr} {
		if isNonIntegerFunc(*side) {
			*side = float8Cast(*side)
			r.changed = true
		}
	}
	checked := nonZeroConst(e.Rexpr)
	if op == "/" && mixedFloat4(e) {
		// PostgreSQL divides a real by an integer or numeric as double
		// precision (float48div); DuckDB as a FLOAT.
		e.Lexpr, e.Rexpr = float8Cast(e.Lexpr), float8Cast(e.Rexpr)
		r.changed = true
	}
	if !checked {
		e.Rexpr = checkedDivisor(e.Rexpr)
		r.changed = true
	}
	if op == "/" && isInterval(e.Lexpr) {
		return funcCall([]string{"/"}, e.Lexpr, e.Rexpr)
	}
	if len(e.Name) == 2 {
		e.Name = strNodes(op)
		r.changed = true
	}
	return nil
}

// divisionByZero is PostgreSQL's message for 22012; pgwire maps DuckDB's
// error with this text to that SQLSTATE.
const divisionByZero = "division by zero"

// checkedDivisor returns CASE WHEN d = 0 THEN error('division by zero')
// ELSE d END.
func checkedDivisor(d *pg_query.Node) *pg_query.Node {
	cond := op("=", d, intConst(0))
	raise := funcCall([]string{"error"}, strConst(divisionByZero))
	c := pg_query.MakeCaseExprNode(nil, []*pg_query.Node{pg_query.MakeCaseWhenNode(cond, raise, -1)}, -1)
	c.GetCaseExpr().Defresult = proto.Clone(d).(*pg_query.Node)
	return c
}

// nonZeroConst reports an integer or decimal constant other than zero.
func nonZeroConst(n *pg_query.Node) bool {
	c := n.GetAConst()
	if c == nil || c.Isnull {
		return false
	}
	switch v := c.Val.(type) {
	case *pg_query.A_Const_Ival:
		return v.Ival.GetIval() != 0
	case *pg_query.A_Const_Fval:
		f, err := strconv.ParseFloat(v.Fval.GetFval(), 64)
		return err == nil && f != 0
	}
	return false
}

// nonIntegerFuncs are PostgreSQL functions returning numeric or double
// precision whose DuckDB namesakes return an integer for most fields
// (extract(hour FROM t), date_part('dow', t)): an operand of / that is one
// of them is cast to double precision, lest the division be an integer
// one.
var nonIntegerFuncs = map[string]bool{"extract": true, "date_part": true}

// int4Funcs are PostgreSQL functions returning integer.
var int4Funcs = map[string]bool{"length": true, "char_length": true, "character_length": true, "octet_length": true,
	"array_length": true, "cardinality": true, "position": true, "strpos": true}

// isNonIntegerFunc reports a call of one of nonIntegerFuncs, or a sum()
// that PostgreSQL computes as numeric: sum(int8), the sum of counts (the
// percentage of a total, count(*) * 100 / sum(count(*)) OVER ()), of
// numeric or float8. DuckDB's sum of any integer is a HUGEINT, shown as
// numeric, which integer_division would divide as an integer; only a sum
// the tree shows to be of int2 or int4 (a cast, an integer constant,
// length()) is PostgreSQL's bigint and keeps the integer division.
func isNonIntegerFunc(n *pg_query.Node) bool {
	fc := n.GetFuncCall()
	if fc == nil {
		return false
	}
	name, ok := nodeStrings(fc.Funcname)
	if !ok || len(name) == 0 {
		return false
	}
	if fn := name[len(name)-1]; fn != "sum" {
		return nonIntegerFuncs[fn]
	}
	return len(fc.Args) != 1 || !isInt4(fc.Args[0])
}

// isInt4 reports an expression the tree shows to be an int2 or int4.
func isInt4(n *pg_query.Node) bool {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_TypeCast:
		return castTo(x.TypeCast, "int4") || castTo(x.TypeCast, "int2") || castTo(x.TypeCast, "integer") || castTo(x.TypeCast, "smallint")
	case *pg_query.Node_AConst:
		iv, ok := x.AConst.Val.(*pg_query.A_Const_Ival)
		return ok && iv.Ival != nil
	case *pg_query.Node_FuncCall:
		name, ok := nodeStrings(x.FuncCall.Funcname)
		return ok && len(name) > 0 && int4Funcs[name[len(name)-1]]
	}
	return false
}

// mixedFloat4 reports a real operand (a cast) with an integer or numeric
// one, which PostgreSQL's operators take as double precision.
func mixedFloat4(e *pg_query.A_Expr) bool {
	return e.Lexpr != nil && e.Rexpr != nil &&
		(isFloat4(e.Lexpr) && isExactNumber(e.Rexpr) || isExactNumber(e.Lexpr) && isFloat4(e.Rexpr))
}

// isFloat4 reports a cast to real.
func isFloat4(n *pg_query.Node) bool {
	tc := n.GetTypeCast()
	return tc != nil && (castTo(tc, "float4") || castTo(tc, "real"))
}

// float8Params casts the bare parameters among a power's arguments to
// double precision, the type PostgreSQL gives them and DuckDB's pow did;
// the emulation's macro leaves them untyped.
func float8Params(args []*pg_query.Node) {
	for i, a := range args {
		if a.GetParamRef() != nil {
			args[i] = float8Cast(a)
		}
	}
}

// float8Operands reports a double precision operand (a cast) with another
// or with an integer or numeric one, which PostgreSQL takes as double
// precision.
func float8Operands(e *pg_query.A_Expr) bool {
	return e.Lexpr != nil && e.Rexpr != nil &&
		(isFloat8(e.Lexpr) && (isFloat8(e.Rexpr) || isExactNumber(e.Rexpr)) || isExactNumber(e.Lexpr) && isFloat8(e.Rexpr))
}

// isFloat8 reports a cast to double precision.
func isFloat8(n *pg_query.Node) bool {
	tc := n.GetTypeCast()
	return tc != nil && castTo(tc, "float8")
}

// isExactNumber reports an expression the tree shows to be an integer or
// numeric: a constant or a cast.
func isExactNumber(n *pg_query.Node) bool {
	if c := n.GetAConst(); c != nil {
		return c.GetIval() != nil || c.GetFval() != nil
	}
	tc := n.GetTypeCast()
	if tc == nil {
		return false
	}
	for _, t := range []string{"int2", "int4", "int8", "smallint", "integer", "bigint", "numeric", "decimal"} {
		if castTo(tc, t) {
			return true
		}
	}
	return false
}

// float8Cast is n::pg_catalog.float8.
func float8Cast(n *pg_query.Node) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{
		Arg: n, TypeName: &pg_query.TypeName{Names: strNodes("pg_catalog", "float8"), Typemod: -1, Location: -1}, Location: -1}}}
}

// intervalFuncs are PostgreSQL functions returning an interval.
var intervalFuncs = map[string]bool{"age": true, "make_interval": true, "justify_days": true, "justify_hours": true, "justify_interval": true}

// isInterval reports an expression whose form shows it is an interval: a
// cast to interval, an interval function, the difference of two
// timestamps, a sum or difference of intervals, an interval times a number.
func isInterval(n *pg_query.Node) bool {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_TypeCast:
		return castTo(x.TypeCast, "interval")
	case *pg_query.Node_FuncCall:
		name, ok := nodeStrings(x.FuncCall.Funcname)
		return ok && len(name) > 0 && intervalFuncs[name[len(name)-1]]
	case *pg_query.Node_AExpr:
		e := x.AExpr
		name, ok := nodeStrings(e.Name)
		if !ok || len(name) == 0 || e.Kind != pg_query.A_Expr_Kind_AEXPR_OP || e.Lexpr == nil || e.Rexpr == nil {
			return false
		}
		switch name[len(name)-1] {
		case "-":
			return isTimestamp(e.Lexpr) && isTimestamp(e.Rexpr) || isInterval(e.Lexpr) && isInterval(e.Rexpr)
		case "+":
			return isInterval(e.Lexpr) && isInterval(e.Rexpr)
		case "*":
			return isInterval(e.Lexpr) || isInterval(e.Rexpr)
		}
	}
	return false
}

// timestampFuncs are PostgreSQL functions returning a timestamp, by the
// names they have before and after the translator's rules.
var timestampFuncs = map[string]bool{
	"now": true, "clock_timestamp": true, "statement_timestamp": true, "transaction_timestamp": true,
	"to_timestamp": true, "date_trunc": true, "current_timestamp": true, "localtimestamp": true, "get_current_timestamp": true,
}

// isTimestamp reports an expression whose form shows it is a timestamp.
func isTimestamp(n *pg_query.Node) bool {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_TypeCast:
		return castTo(x.TypeCast, "timestamp") || castTo(x.TypeCast, "timestamptz")
	case *pg_query.Node_FuncCall:
		name, ok := nodeStrings(x.FuncCall.Funcname)
		return ok && len(name) > 0 && timestampFuncs[name[len(name)-1]]
	case *pg_query.Node_SqlvalueFunction:
		switch x.SqlvalueFunction.Op {
		case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N,
			pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
			return true
		}
	}
	return false
}

// castTo reports a cast to the (unqualified or pg_catalog) scalar type typ.
func castTo(tc *pg_query.TypeCast, typ string) bool {
	name, ok := nodeStrings(tc.GetTypeName().GetNames())
	return ok && len(name) > 0 && name[len(name)-1] == typ && len(tc.GetTypeName().GetArrayBounds()) == 0
}

// unevenDims is PostgreSQL's message (2202E) for a multidimensional ARRAY
// whose sub-arrays differ in length.
const unevenDims = "multidimensional arrays must have array expressions with matching dimensions"

// unevenArray makes ARRAY[[1,2],[3]] an error, as in PostgreSQL, where
// DuckDB builds a list of lists of different lengths.
func unevenArray(a *pg_query.A_ArrayExpr) *pg_query.Node {
	if _, ok := arrayShape(a); ok {
		return nil
	}
	return raise(unevenDims)
}

// arrayShape returns the lengths of a nested ARRAY constructor's
// dimensions as far as its sub-arrays are written out; ok is false when
// sub-arrays of one level differ.
func arrayShape(a *pg_query.A_ArrayExpr) (dims []int, ok bool) {
	dims = []int{len(a.Elements)}
	var sub []int
	for i, e := range a.Elements {
		inner := e.GetAArrayExpr()
		if inner == nil {
			return dims, true // not (visibly) an array of arrays
		}
		d, ok := arrayShape(inner)
		if !ok {
			return nil, false
		}
		if i > 0 && !slices.Equal(d, sub) {
			return nil, false
		}
		sub = d
	}
	return append(dims, sub...), true
}
