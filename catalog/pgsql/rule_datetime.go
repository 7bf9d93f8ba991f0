package pgsql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// datetimeFields maps PostgreSQL's spellings of extract's fields to the
// field's name; the values are the fields DuckDB's date_part knows by the
// same name unless the field has an entry in fractionalFields.
var datetimeFields = map[string]string{
	"epoch": "epoch", "second": "second", "seconds": "second", "sec": "second", "secs": "second", "s": "second",
	"milliseconds": "milliseconds", "millisecond": "milliseconds", "msec": "milliseconds", "msecs": "milliseconds", "ms": "milliseconds",
	"microseconds": "microseconds", "microsecond": "microseconds", "usec": "microseconds", "usecs": "microseconds", "us": "microseconds",
	"year": "year", "years": "year", "y": "year", "month": "month", "months": "month", "mon": "month", "mons": "month",
	"day": "day", "days": "day", "d": "day", "hour": "hour", "hours": "hour", "h": "hour", "hr": "hour", "hrs": "hour",
	"minute": "minute", "minutes": "minute", "m": "minute", "min": "minute", "mins": "minute",
	"dow": "dow", "isodow": "isodow", "doy": "doy", "week": "week", "quarter": "quarter", "isoyear": "isoyear",
	"decade": "decade", "century": "century", "millennium": "millennium",
	"timezone": "timezone", "timezone_hour": "timezone_hour", "timezone_minute": "timezone_minute",
}

// fractionalScale is the scale of extract's numeric answer for the fields
// with a fractional part (of a timestamp, time or interval; of a date
// every field is whole).
var fractionalScale = map[string]int32{"epoch": 6, "second": 6, "milliseconds": 3}

// fieldValue is the exact value of a date/time field of x as a DuckDB
// expression, and its scale: the epoch and seconds in microseconds scaled.
func (r *rewriter) fieldValue(field string, x *pg_query.Node) (val *pg_query.Node, scale int32) {
	var micros *pg_query.Node
	switch field {
	case "epoch":
		micros = funcCall([]string{"epoch_us"}, x)
		if r.t.funcs["tp_epoch_us"] {
			micros = funcCall(r.catalogName("tp_epoch_us"), x) // an interval's years of 365.25 days
		}
	case "second", "milliseconds", "microseconds":
		micros = funcCall([]string{"microsecond"}, x)
	default:
		return funcCall([]string{"date_part"}, strConst(field), x), 0
	}
	unit := map[string]string{"epoch": "0.000001", "second": "0.000001", "milliseconds": "0.001"}[field]
	if unit == "" {
		return micros, 0
	}
	dec := typeCast(micros, decimalType(38, 0))
	return op("*", dec, floatConst(unit)), fractionalScale[field]
}

// isDate reports an expression PostgreSQL types as date: a cast to date or
// current_date.
func isDate(n *pg_query.Node) bool {
	if tc := n.GetTypeCast(); tc != nil {
		name, ok := nodeStrings(tc.TypeName.GetNames())
		return ok && name[len(name)-1] == "date" && len(tc.TypeName.ArrayBounds) == 0
	}
	if f := n.GetSqlvalueFunction(); f != nil {
		return f.Op == pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE
	}
	return false
}

// extract is PostgreSQL 15's EXTRACT(field FROM x): a numeric, with six
// decimals for the epoch and seconds of a timestamp or interval (PostgreSQL
// prints extract(epoch ...) as 1700000000.000000). DuckDB's extract
// answers a bigint or a double.
func (r *rewriter) extract(fc *pg_query.FuncCall) *pg_query.Node {
	if len(fc.Args) != 2 {
		return nil
	}
	f, ok := constString(fc.Args[0])
	if !ok {
		return nil
	}
	field, ok := datetimeFields[f]
	if !ok {
		return nil
	}
	val, scale := r.fieldValue(field, fc.Args[1])
	if isDate(fc.Args[1]) {
		scale = 0
	}
	return typeCast(val, decimalType(38, scale))
}

// datePart is PostgreSQL's date_part(text, x): a double precision, with
// the fractional seconds DuckDB's date_part (a bigint) leaves out.
func (r *rewriter) datePart(fc *pg_query.FuncCall) *pg_query.Node {
	if len(fc.Args) != 2 {
		return nil
	}
	f, ok := constString(fc.Args[0])
	if !ok {
		return nil
	}
	field, ok := datetimeFields[f]
	if !ok {
		return nil
	}
	val, _ := r.fieldValue(field, fc.Args[1])
	return typeCast(val, &pg_query.TypeName{Names: strNodes("double"), Typemod: -1, Location: -1})
}

func typeCast(arg *pg_query.Node, t *pg_query.TypeName) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_TypeCast{TypeCast: &pg_query.TypeCast{Arg: arg, TypeName: t, Location: -1}}}
}

func decimalType(precision, scale int32) *pg_query.TypeName {
	return &pg_query.TypeName{Names: strNodes("decimal"), Typmods: []*pg_query.Node{pg_query.MakeAConstIntNode(int64(precision), -1), pg_query.MakeAConstIntNode(int64(scale), -1)}, Typemod: -1, Location: -1}
}

func floatConst(s string) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AConst{AConst: &pg_query.A_Const{Val: &pg_query.A_Const_Fval{Fval: &pg_query.Float{Fval: s}}, Location: -1}}}
}

// overlaps is (s1, e1) OVERLAPS (s2, e2), which DuckDB lacks; an end that
// is an interval is the start plus it.
func (r *rewriter) overlaps(fc *pg_query.FuncCall) *pg_query.Node {
	if len(fc.Args) != 4 {
		return nil
	}
	args := append([]*pg_query.Node(nil), fc.Args...)
	for _, i := range []int{1, 3} {
		if isInterval(args[i]) {
			args[i] = op("+", args[i-1], args[i])
		}
	}
	return funcCall(r.catalogName("tp_overlaps"), args...)
}

// dateTrunc is date_trunc(field, x [, zone]); of a date PostgreSQL
// truncates the date as a timestamptz and answers one; with a zone it
// truncates the local time there.
func (r *rewriter) dateTrunc(fc *pg_query.FuncCall) *pg_query.Node {
	tstz := &pg_query.TypeName{Names: strNodes("timestamptz"), Typemod: -1, Location: -1}
	switch {
	case len(fc.Args) == 2 && isDate(fc.Args[1]):
		return funcCall([]string{"date_trunc"}, fc.Args[0], typeCast(fc.Args[1], tstz))
	case len(fc.Args) == 3:
		zone := fc.Args[2]
		local := funcCall([]string{"timezone"}, zone, typeCast(fc.Args[1], tstz))
		return funcCall([]string{"timezone"}, zone, funcCall([]string{"date_trunc"}, fc.Args[0], local))
	}
	return nil
}
