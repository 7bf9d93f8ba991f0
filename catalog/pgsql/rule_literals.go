package pgsql

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/tpserver/tpserver/pgwire/pgtext"
)

// A string literal cast to a type means what the type's PostgreSQL input
// function makes of it ('yes'::boolean is true, '  12 '::int is 12,
// '\xdead'::bytea is two bytes, '{{1,2},{3,4}}'::int[] a 2×2 array). Where
// DuckDB reads the text differently, the cast rule rewrites the literal
// into the text DuckDB reads as the same value; input PostgreSQL rejects
// becomes a cast DuckDB rejects too, with PostgreSQL's message in it
// (a conversion error: SQLSTATE 22P02).

// literalText returns the text DuckDB reads as the value PostgreSQL reads
// from s for the type base (a pg_catalog type name as the parser gives
// it); ok is false for types whose text DuckDB reads as PostgreSQL does.
func literalText(base, s string) (text string, ok bool, err error) {
	switch base {
	case "bool":
		v, err := pgtext.ParseBool(s)
		return strconv.FormatBool(v), true, err
	case "int2", "int4", "int8":
		bits := map[string]int{"int2": 16, "int4": 32, "int8": 64}[base]
		n, err := pgtext.ParseInt(s, bits)
		return strconv.FormatInt(n, 10), true, err
	case "float4", "float8":
		f, err := pgtext.ParseFloat(s)
		switch {
		case err != nil:
		case math.IsNaN(f):
			return "nan", true, nil
		case math.IsInf(f, 1):
			return "inf", true, nil
		case math.IsInf(f, -1):
			return "-inf", true, nil
		}
		return strings.TrimSpace(s), true, err
	case "bytea":
		b, err := pgtext.ParseBytea(s)
		return duckBlobLiteral(b), true, err
	case "date", "timestamp", "timestamptz", "time":
		v, special := pgtext.NormalizeDateTime(s, dateTimeKinds[base])
		if special != "" {
			return s, false, nil // scalarLiteral reads the clock in SQL
		}
		return v, true, nil
	case "interval":
		if plainInterval.MatchString(s) {
			return s, true, nil // DuckDB reads it as PostgreSQL does
		}
		iv, err := pgtext.ParseInterval(s)
		if err != nil {
			return s, false, nil // DuckDB's input may still read it, or rejects it
		}
		return iv.String(), true, nil
	}
	return s, false, nil
}

// duckBlobLiteral renders bytes as DuckDB's BLOB text: printable ASCII as
// is, every other byte and the backslash as \xHH.
func duckBlobLiteral(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '\\' {
			sb.WriteByte(c)
			continue
		}
		fmt.Fprintf(&sb, `\x%02X`, c)
	}
	return sb.String()
}

// invalidInput is an expression DuckDB fails to evaluate with a conversion
// error carrying msg.
func invalidInput(msg string) *pg_query.Node {
	tn := &pg_query.TypeName{Names: strNodes("pg_catalog", "int4"), Typemod: -1, Location: -1}
	return &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{Arg: strConst(msg), TypeName: tn, Location: -1}}}
}

// scalarLiteral rewrites 'text'::type for a scalar type.
func (r *rewriter) scalarLiteral(tc *pg_query.TypeCast, base string, lit *pg_query.String) *pg_query.Node {
	if base == "numeric" && len(tc.TypeName.Typmods) == 0 {
		return r.numericLiteral(tc, lit)
	}
	if base == "interval" && len(tc.TypeName.Typmods) > 0 {
		return nil // interval '1' day: the fields qualify the text
	}
	if kind, ok := dateTimeKinds[base]; ok {
		if _, special := pgtext.NormalizeDateTime(lit.Sval, kind); special != "" {
			tc.Arg = clockExpr(special)
			r.changed = true
			return nil
		}
	}
	text, ok, err := literalText(base, lit.Sval)
	switch {
	case !ok:
		return nil
	case err != nil && (base == "int2" || base == "int4" || base == "int8") && duckNumber.MatchString(strings.TrimSpace(lit.Sval)) && !strings.Contains(err.Error(), "out of range"):
		return invalidInput(err.Error()) // DuckDB would read 1.5 (rounded), 1e3, 0x10, 1_000
	case err != nil:
		// DuckDB rejects it too, with the error PostgreSQL's message is
		// made from (pgwire's postgresDataError).
		return nil
	case base == "bool":
		v := text == "true"
		return &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Val: &pg_query.A_Const_Boolval{Boolval: &pg_query.Boolean{Boolval: v}}, Location: -1}}}
	case text != lit.Sval:
		lit.Sval = text
		r.changed = true
	}
	return nil
}

// numericLiteral gives 'text'::numeric the precision and scale of its
// value: DuckDB's DECIMAL without them is DECIMAL(18,3), which rounds,
// where PostgreSQL's numeric keeps every digit.
func (r *rewriter) numericLiteral(tc *pg_query.TypeCast, lit *pg_query.String) *pg_query.Node {
	v := strings.TrimSpace(lit.Sval)
	prec, scale, ok := decimalShape(v)
	if !ok {
		return nil // NaN, Infinity, junk: DuckDB answers
	}
	rat, isNum := new(big.Rat).SetString(v)
	if prec > 38 || !isNum {
		return nil
	}
	tc.TypeName.Typmods = []*pg_query.Node{pg_query.MakeAConstIntNode(int64(prec), -1), pg_query.MakeAConstIntNode(int64(scale), -1)}
	lit.Sval = rat.FloatString(scale) // DuckDB's DECIMAL input takes no exponent with a scale
	r.changed = true
	return nil
}

// numericConstant gives 1.5::numeric and 7::numeric the precision and
// scale of their value, as numericLiteral does for text.
func (r *rewriter) numericConstant(tc *pg_query.TypeCast, lit *pg_query.A_Const) {
	var text string
	switch {
	case lit.GetFval() != nil:
		text = lit.GetFval().Fval
	case lit.GetIval() != nil:
		text = strconv.FormatInt(int64(lit.GetIval().Ival), 10)
	default:
		return
	}
	prec, scale, ok := decimalShape(text)
	if !ok || prec > 38 || strings.ContainsAny(text, "eE") {
		return
	}
	tc.TypeName.Typmods = []*pg_query.Node{pg_query.MakeAConstIntNode(int64(prec), -1), pg_query.MakeAConstIntNode(int64(scale), -1)}
	r.changed = true
}

// decimalShape returns the precision and scale PostgreSQL's numeric keeps
// for a decimal number in text ([+-]digits[.digits][e[+-]digits]).
func decimalShape(s string) (prec, scale int, ok bool) {
	s = strings.TrimLeft(s, "+-")
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 1000 || e < -1000 {
			return 0, 0, false
		}
		exp, s = e, s[:i]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" || strings.Trim(intPart+frac, "0123456789") != "" {
		return 0, 0, false
	}
	scale = max(len(frac)-exp, 0)
	all := intPart + frac
	zeros := len(all) - len(strings.TrimLeft(all, "0"))
	prec = max(len(intPart)+exp-zeros, 0) + scale
	return max(prec, scale+1), scale, true // an integer digit: DuckDB prints DECIMAL(1,1) as ".5"
}

// arrayLiteral rewrites '{...}'::type[] into ARRAY[...]::type[] (DuckDB
// cannot cast PostgreSQL's array text), nested for a multidimensional
// literal, with each element read as the element type reads it.
func (r *rewriter) arrayLiteral(tc *pg_query.TypeCast, base string, conv func(*pg_query.Node) *pg_query.Node, text string) *pg_query.Node {
	arr, err := pgtext.ParseArray(text)
	if err != nil {
		return invalidInput(err.Error())
	}
	depth := 1
	for a := arr; len(a) > 0; depth++ {
		sub, ok := a[0].(pgtext.Array)
		if !ok {
			break
		}
		a = sub
	}
	var build func(a pgtext.Array) (*pg_query.Node, error)
	build = func(a pgtext.Array) (*pg_query.Node, error) {
		expr := &pg_query.A_ArrayExpr{Location: -1}
		for _, e := range a {
			var en *pg_query.Node
			switch x := e.(type) {
			case pgtext.Array:
				sub, err := build(x)
				if err != nil {
					return nil, err
				}
				en = sub
			case *string:
				if x == nil {
					en = nullConst()
					break
				}
				v, _, err := literalText(base, *x)
				if err != nil {
					return nil, err
				}
				en = strConst(v)
				if conv != nil {
					en = conv(en)
				}
			}
			expr.Elements = append(expr.Elements, en)
		}
		return &pg_query.Node{Node: &pg_query.Node_AArrayExpr{AArrayExpr: expr}}, nil
	}
	n, err := build(arr)
	if err != nil {
		return invalidInput(err.Error())
	}
	tc.Arg = n
	if len(tc.TypeName.ArrayBounds) != depth {
		tc.TypeName.ArrayBounds = nil
		for range depth {
			tc.TypeName.ArrayBounds = append(tc.TypeName.ArrayBounds, pg_query.MakeIntNode(-1))
		}
	}
	r.changed = true
	return nil
}

// untypedArrayOperand types the array literal of x op ANY('{...}') and
// x op ALL('{...}'), which PostgreSQL reads as an array of x's type:
// the literal becomes cast_to_type(ARRAY[...], ARRAY[x]), which DuckDB
// casts to a list of x's type. It runs before the operator rules.
func (r *rewriter) untypedArrayOperand(e *pg_query.A_Expr) {
	if e.Kind != pg_query.A_Expr_Kind_AEXPR_OP_ANY && e.Kind != pg_query.A_Expr_Kind_AEXPR_OP_ALL || e.Lexpr == nil || e.Rexpr == nil {
		return
	}
	lit := e.Rexpr.GetAConst()
	if lit == nil || lit.GetSval() == nil {
		return
	}
	arr, err := pgtext.ParseArray(lit.GetSval().Sval)
	if err != nil {
		e.Rexpr = invalidInput(err.Error())
		r.changed = true
		return
	}
	expr := &pg_query.A_ArrayExpr{Location: -1}
	for _, el := range arr {
		s, ok := el.(*string)
		switch {
		case !ok:
			return // a multidimensional literal: left to DuckDB
		case s == nil:
			expr.Elements = append(expr.Elements, nullConst())
		default:
			expr.Elements = append(expr.Elements, strConst(*s))
		}
	}
	like := &pg_query.A_ArrayExpr{Elements: []*pg_query.Node{e.Lexpr}, Location: -1}
	e.Rexpr = funcCall([]string{"cast_to_type"}, &pg_query.Node{Node: &pg_query.Node_AArrayExpr{AArrayExpr: expr}},
		&pg_query.Node{Node: &pg_query.Node_AArrayExpr{AArrayExpr: like}})
	r.changed = true
}

// duckNumber matches the numbers DuckDB's integer input reads and
// PostgreSQL 15's rejects: decimals, exponents, 0x/0b/0o, underscores.
var duckNumber = regexp.MustCompile(`^[+-]?((\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?|0[xXbBoO][0-9a-fA-F_]+)$`)

// plainInterval matches intervals of whole numbers of units DuckDB reads
// as PostgreSQL does ('1 day', '2 hours 30 minutes'), left as written.
var plainInterval = regexp.MustCompile(`^\s*[+-]?\d+\s*(microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?|months?|years?)(\s+[+-]?\d+\s*(microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?|months?|years?))*\s*$`)

// dateTimeKinds are the date/time types whose literals are normalized.
var dateTimeKinds = map[string]pgtext.DateTimeKind{
	"date": pgtext.Date, "timestamp": pgtext.Timestamp, "timestamptz": pgtext.TimestampTZ, "time": pgtext.Time,
}

// clockExpr is SQL for the clock-dependent inputs: 'now' is now() (the
// transaction's start, as in PostgreSQL), 'today' current_date, 'tomorrow'
// and 'yesterday' a day after and before; the cast around it makes the
// literal's type.
func clockExpr(sp pgtext.Special) *pg_query.Node {
	if sp == pgtext.Now {
		return funcCall([]string{"now"})
	}
	today := &pg_query.Node{Node: &pg_query.Node_SqlvalueFunction{SqlvalueFunction: &pg_query.SQLValueFunction{
		Op: pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE, Typmod: -1, Location: -1}}}
	switch sp {
	case pgtext.Tomorrow:
		return op("+", today, intConst(1))
	case pgtext.Yesterday:
		return op("-", today, intConst(1))
	}
	return today
}
