package pgsql

import (
	"fmt"
	"sort"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// This file converts PostgreSQL's to_char, to_date, to_timestamp(text,
// text) and to_number with a constant format into DuckDB expressions at
// translation time: strftime and strptime with their own directives, and
// expressions for the fields they lack. A format that is not a constant
// fails clearly rather than answering otherwise.

// dateToken is one date/time pattern of to_char's format.
type dateToken struct {
	// strftime is DuckDB's directive for the pattern ("" if none), and
	// fmStrftime its directive without padding (FM prefix).
	strftime, fmStrftime string
	// expr builds the pattern's text from the value when no directive
	// does; fm reports the FM prefix.
	expr func(x *pg_query.Node, fm bool) *pg_query.Node
	// number is set for the numeric patterns a TH suffix may follow.
	number bool
	// parse is strptime's directive for to_date and to_timestamp.
	parse string
	// zone is set for TZ (upper) and tz: the time zone's abbreviation.
	zone, lower bool
}

// dateTokens are to_char's date/time patterns by their spelling.
var dateTokens = map[string]dateToken{}

// dateTokenNames are the keys of dateTokens, longest first.
var dateTokenNames []string

// tokenExpr builds the text of one date/time pattern from timestamp x; fm
// is set under the FM prefix (no padding).
type tokenExpr func(x *pg_query.Node, fm bool) *pg_query.Node

// tokField is date_part(f, x) as text, zero-padded to width unless FM
// (width 0: no padding).
func tokField(f string, width int) tokenExpr {
	return func(x *pg_query.Node, fm bool) *pg_query.Node {
		v := typeCast(funcCall([]string{"date_part"}, strConst(f), x), varcharType())
		if fm || width == 0 {
			return v
		}
		return padZeros(v, width)
	}
}

// tokLastDigits is the last n digits of date_part(f, x) (YYY, YY, Y).
func tokLastDigits(f string, n int) tokenExpr {
	return func(x *pg_query.Node, fm bool) *pg_query.Node {
		return funcCall([]string{"right"}, funcCall([]string{"lpad"}, tokField(f, 0)(x, false), intConst(20), strConst("0")), intConst(n))
	}
}

// tokName is a month or day name by strftime directive, case-converted
// by convert (upper/lower) and blank-padded to 9 unless FM when pad is set.
func tokName(directive string, pad bool, convert string) tokenExpr {
	return func(x *pg_query.Node, fm bool) *pg_query.Node {
		v := funcCall([]string{"strftime"}, x, strConst(directive))
		if convert != "" {
			v = funcCall([]string{convert}, v)
		}
		if pad && !fm {
			v = funcCall([]string{"rpad"}, v, intConst(9), strConst(" "))
		}
		return v
	}
}

// tokMeridiem is am before noon, pm after.
func tokMeridiem(am, pm string) tokenExpr {
	return func(x *pg_query.Node, fm bool) *pg_query.Node {
		return caseWhen(op("<", funcCall([]string{"date_part"}, strConst("hour"), x), intConst(12)), strConst(am), strConst(pm))
	}
}

// tokEra is ad for years after 0, bc otherwise.
func tokEra(ad, bc string) tokenExpr {
	return func(x *pg_query.Node, fm bool) *pg_query.Node {
		return caseWhen(op(">", funcCall([]string{"date_part"}, strConst("year"), x), intConst(0)), strConst(ad), strConst(bc))
	}
}

// tokRoman is the month in Roman numerals (RM, rm).
func tokRoman(lower bool) tokenExpr {
	return func(x *pg_query.Node, fm bool) *pg_query.Node {
		numerals := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
		var elems []*pg_query.Node
		for _, n := range numerals {
			if lower {
				n = strings.ToLower(n)
			}
			if !fm {
				n = fmt.Sprintf("%-4s", n)
			}
			elems = append(elems, strConst(n))
		}
		return indirection(arrayExpr(elems), funcCall([]string{"date_part"}, strConst("month"), x))
	}
}

// tokWeek is (date_part(f) - 1) / 7 + 1: the week of the year (WW) or
// month (W) that starts on its first day.
func tokWeek(f string) tokenExpr {
	return func(x *pg_query.Node, fm bool) *pg_query.Node {
		n := op("+", op("//", op("-", funcCall([]string{"date_part"}, strConst(f), x), intConst(1)), intConst(7)), intConst(1))
		v := typeCast(n, varcharType())
		if fm || f == "day" {
			return v
		}
		return padZeros(v, 2)
	}
}

// tokSecondsOfDay is SSSS: seconds past midnight.
func tokSecondsOfDay(x *pg_query.Node, fm bool) *pg_query.Node {
	part := func(f string) *pg_query.Node { return funcCall([]string{"date_part"}, strConst(f), x) }
	return typeCast(op("+", op("+", op("*", part("hour"), intConst(3600)), op("*", part("minute"), intConst(60))), part("second")), varcharType())
}

// dateTokenSpelling is a date/time pattern and the spellings it has.
type dateTokenSpelling struct {
	names []string
	tok   dateToken
}

// dateTokenTable lists to_char's date/time patterns.
func dateTokenTable() []dateTokenSpelling {
	return []dateTokenSpelling{
		{[]string{"YYYY", "yyyy"}, dateToken{expr: tokField("year", 4), number: true, parse: "%Y"}},
		{[]string{"Y,YYY", "y,yyy"}, dateToken{expr: func(x *pg_query.Node, fm bool) *pg_query.Node {
			return funcCall([]string{"regexp_replace"}, tokField("year", 4)(x, fm), strConst(`(\d)(\d{3})$`), strConst(`\1,\2`))
		}, number: true}},
		{[]string{"YYY", "yyy"}, dateToken{expr: tokLastDigits("year", 3), number: true}},
		{[]string{"YY", "yy"}, dateToken{expr: tokLastDigits("year", 2), number: true, parse: "%y"}},
		{[]string{"Y", "y"}, dateToken{expr: tokLastDigits("year", 1), number: true}},
		{[]string{"IYYY", "iyyy"}, dateToken{expr: tokField("isoyear", 4), number: true, parse: "%G"}},
		{[]string{"IYY", "iyy"}, dateToken{expr: tokLastDigits("isoyear", 3), number: true}},
		{[]string{"IY", "iy"}, dateToken{expr: tokLastDigits("isoyear", 2), number: true}},
		{[]string{"I", "i"}, dateToken{expr: tokLastDigits("isoyear", 1), number: true}},
		{[]string{"MM", "mm"}, dateToken{strftime: "%m", fmStrftime: "%-m", number: true, parse: "%m"}},
		{[]string{"DD", "dd"}, dateToken{strftime: "%d", fmStrftime: "%-d", number: true, parse: "%d"}},
		{[]string{"DDD", "ddd"}, dateToken{strftime: "%j", fmStrftime: "%-j", number: true, parse: "%j"}},
		{[]string{"HH24", "hh24"}, dateToken{strftime: "%H", fmStrftime: "%-H", number: true, parse: "%H"}},
		{[]string{"HH12", "hh12", "HH", "hh"}, dateToken{strftime: "%I", fmStrftime: "%-I", number: true, parse: "%I"}},
		{[]string{"MI", "mi"}, dateToken{strftime: "%M", fmStrftime: "%-M", number: true, parse: "%M"}},
		{[]string{"SS", "ss"}, dateToken{strftime: "%S", fmStrftime: "%-S", number: true, parse: "%S"}},
		{[]string{"MS", "ms"}, dateToken{strftime: "%g", fmStrftime: "%g", number: true, parse: "%g"}},
		{[]string{"US", "us"}, dateToken{strftime: "%f", fmStrftime: "%f", number: true, parse: "%f"}},
		{[]string{"SSSS", "ssss", "SSSSS", "sssss"}, dateToken{expr: tokSecondsOfDay, number: true}},
		{[]string{"AM", "PM"}, dateToken{strftime: "%p", fmStrftime: "%p", parse: "%p"}},
		{[]string{"am", "pm"}, dateToken{expr: tokName("%p", false, "lower"), parse: "%p"}},
		{[]string{"A.M.", "P.M."}, dateToken{expr: tokMeridiem("A.M.", "P.M.")}},
		{[]string{"a.m.", "p.m."}, dateToken{expr: tokMeridiem("a.m.", "p.m.")}},
		{[]string{"AD", "BC"}, dateToken{expr: tokEra("AD", "BC")}},
		{[]string{"ad", "bc"}, dateToken{expr: tokEra("ad", "bc")}},
		{[]string{"A.D.", "B.C."}, dateToken{expr: tokEra("A.D.", "B.C.")}},
		{[]string{"a.d.", "b.c."}, dateToken{expr: tokEra("a.d.", "b.c.")}},
		{[]string{"Month"}, dateToken{expr: tokName("%B", true, ""), parse: "%B"}},
		{[]string{"MONTH"}, dateToken{expr: tokName("%B", true, "upper"), parse: "%B"}},
		{[]string{"month"}, dateToken{expr: tokName("%B", true, "lower"), parse: "%B"}},
		{[]string{"Mon"}, dateToken{strftime: "%b", fmStrftime: "%b", parse: "%b"}},
		{[]string{"MON"}, dateToken{expr: tokName("%b", false, "upper"), parse: "%b"}},
		{[]string{"mon"}, dateToken{expr: tokName("%b", false, "lower"), parse: "%b"}},
		{[]string{"Day"}, dateToken{expr: tokName("%A", true, ""), parse: "%A"}},
		{[]string{"DAY"}, dateToken{expr: tokName("%A", true, "upper"), parse: "%A"}},
		{[]string{"day"}, dateToken{expr: tokName("%A", true, "lower"), parse: "%A"}},
		{[]string{"Dy"}, dateToken{strftime: "%a", fmStrftime: "%a", parse: "%a"}},
		{[]string{"DY"}, dateToken{expr: tokName("%a", false, "upper"), parse: "%a"}},
		{[]string{"dy"}, dateToken{expr: tokName("%a", false, "lower"), parse: "%a"}},
		{[]string{"D", "d"}, dateToken{expr: func(x *pg_query.Node, fm bool) *pg_query.Node {
			return typeCast(op("+", funcCall([]string{"date_part"}, strConst("dow"), x), intConst(1)), varcharType())
		}, number: true}},
		{[]string{"ID", "id"}, dateToken{expr: tokField("isodow", 0), number: true}},
		{[]string{"IW", "iw"}, dateToken{expr: tokField("week", 2), number: true, parse: "%V"}},
		{[]string{"WW", "ww"}, dateToken{expr: tokWeek("doy"), number: true}},
		{[]string{"W", "w"}, dateToken{expr: tokWeek("day"), number: true}},
		{[]string{"Q", "q"}, dateToken{expr: tokField("quarter", 0), number: true}},
		{[]string{"CC", "cc"}, dateToken{expr: tokField("century", 2), number: true}},
		{[]string{"J", "j"}, dateToken{expr: func(x *pg_query.Node, fm bool) *pg_query.Node {
			return typeCast(typeCast(funcCall([]string{"floor"}, funcCall([]string{"date_part"}, strConst("julian"), x)), &pg_query.TypeName{Names: strNodes("bigint"), Typemod: -1}), varcharType())
		}, number: true}},
		{[]string{"RM"}, dateToken{expr: tokRoman(false)}},
		{[]string{"rm"}, dateToken{expr: tokRoman(true)}},
		{[]string{"TZ"}, dateToken{strftime: "%Z", fmStrftime: "%Z", parse: "%Z", zone: true}},
		{[]string{"tz"}, dateToken{expr: tokName("%Z", false, "lower"), parse: "%Z", zone: true, lower: true}},
		{[]string{"OF", "of"}, dateToken{strftime: "%z", fmStrftime: "%z", parse: "%z"}},
	}
}

func init() {
	for _, t := range dateTokenTable() {
		for _, n := range t.names {
			dateTokens[n] = t.tok
			dateTokenNames = append(dateTokenNames, n)
		}
	}
	sort.Slice(dateTokenNames, func(i, j int) bool {
		if len(dateTokenNames[i]) != len(dateTokenNames[j]) {
			return len(dateTokenNames[i]) > len(dateTokenNames[j])
		}
		return dateTokenNames[i] < dateTokenNames[j]
	})
}

// formatPiece is one part of a parsed format: a pattern or literal text.
type formatPiece struct {
	tok     *dateToken
	name    string
	fm      bool
	suffix  string // TH or th after a numeric pattern
	literal string
}

// parseDateFormat splits a to_char date/time format into patterns and
// literal text as PostgreSQL does: FM prefixes, TH suffixes, "quoted"
// text and backslash escapes.
func parseDateFormat(f string) []formatPiece {
	var out []formatPiece
	lit := func(s string) {
		if n := len(out); n > 0 && out[n-1].tok == nil {
			out[n-1].literal += s
			return
		}
		out = append(out, formatPiece{literal: s})
	}
	for i := 0; i < len(f); {
		fm := false
		for strings.HasPrefix(f[i:], "FM") || strings.HasPrefix(f[i:], "fm") || strings.HasPrefix(f[i:], "FX") || strings.HasPrefix(f[i:], "fx") {
			fm = fm || f[i] == 'F' && f[i+1] == 'M' || f[i] == 'f' && f[i+1] == 'm'
			i += 2
		}
		matched := false
		for _, n := range dateTokenNames {
			if strings.HasPrefix(f[i:], n) {
				t := dateTokens[n]
				p := formatPiece{tok: &t, name: n, fm: fm}
				i += len(n)
				if t.number && (strings.HasPrefix(f[i:], "TH") || strings.HasPrefix(f[i:], "th")) {
					p.suffix = f[i : i+2]
					i += 2
				}
				out = append(out, p)
				matched = true
				break
			}
		}
		if matched || i >= len(f) {
			continue
		}
		switch c := f[i]; {
		case c == '"':
			j := i + 1
			var b strings.Builder
			for ; j < len(f) && f[j] != '"'; j++ {
				if f[j] == '\\' && j+1 < len(f) {
					j++
				}
				b.WriteByte(f[j])
			}
			lit(b.String())
			i = j + 1
		case c == '\\' && i+1 < len(f):
			lit(f[i+1 : i+2])
			i += 2
		default:
			lit(f[i : i+1])
			i++
		}
	}
	return out
}

// ordinalSuffix is the English ordinal suffix of the number text n, in
// upper case for TH.
func ordinalSuffix(num *pg_query.Node, upper bool) *pg_query.Node {
	v := typeCast(num, &pg_query.TypeName{Names: strNodes("bigint"), Typemod: -1})
	mod := func(m int64) *pg_query.Node {
		return op("%", v, pg_query.MakeAConstIntNode(m, -1))
	}
	eq := func(a *pg_query.Node, b int64) *pg_query.Node {
		return op("=", a, pg_query.MakeAConstIntNode(b, -1))
	}
	s := func(x string) *pg_query.Node {
		if upper {
			x = strings.ToUpper(x)
		}
		return strConst(x)
	}
	teen := &pg_query.Node{Node: &pg_query.Node_AExpr{AExpr: &pg_query.A_Expr{Kind: pg_query.A_Expr_Kind_AEXPR_BETWEEN, Name: strNodes("BETWEEN"), Lexpr: mod(100),
		Rexpr: pg_query.MakeListNode([]*pg_query.Node{intConst(11), intConst(13)}), Location: -1}}}
	n := pg_query.MakeCaseExprNode(nil, []*pg_query.Node{
		pg_query.MakeCaseWhenNode(teen, s("th"), -1),
		pg_query.MakeCaseWhenNode(eq(mod(10), 1), s("st"), -1),
		pg_query.MakeCaseWhenNode(eq(mod(10), 2), s("nd"), -1),
		pg_query.MakeCaseWhenNode(eq(mod(10), 3), s("rd"), -1),
	}, -1)
	n.GetCaseExpr().Defresult = s("th")
	return n
}

// dateToChar is to_char(x, format) of a date, timestamp or timestamptz.
func (r *rewriter) dateToChar(x *pg_query.Node, format string) *pg_query.Node {
	var parts []*pg_query.Node
	var directives strings.Builder
	flush := func() {
		if directives.Len() > 0 {
			parts = append(parts, funcCall([]string{"strftime"}, x, strConst(directives.String())))
			directives.Reset()
		}
	}
	for _, p := range parseDateFormat(format) {
		switch {
		case p.tok == nil:
			directives.WriteString(strings.ReplaceAll(p.literal, "%", "%%"))
		case p.tok.zone && r.t.funcs["tp_zone"]:
			// The zone's abbreviation (EST), where strftime prints its name.
			flush()
			v := funcCall(r.catalogName("tp_zone"), x)
			if p.tok.lower {
				v = funcCall([]string{"lower"}, v)
			}
			parts = append(parts, v)
		case p.tok.strftime != "" && p.suffix == "":
			if p.fm {
				directives.WriteString(p.tok.fmStrftime)
			} else {
				directives.WriteString(p.tok.strftime)
			}
		default:
			flush()
			var v *pg_query.Node
			if p.tok.expr != nil {
				v = p.tok.expr(x, p.fm)
			} else if p.fm {
				v = funcCall([]string{"strftime"}, x, strConst(p.tok.fmStrftime))
			} else {
				v = funcCall([]string{"strftime"}, x, strConst(p.tok.strftime))
			}
			parts = append(parts, v)
			if p.suffix != "" {
				parts = append(parts, ordinalSuffix(v, p.suffix == "TH"))
			}
		}
	}
	flush()
	if len(parts) == 0 {
		// No pattern: the text itself, NULL for a NULL value.
		return caseWhen(op("=", intConst(1), intConst(1)), strConst(""), nil)
	}
	return concatText(parts)
}

// concatText joins text expressions with ||, which is NULL when one is.
func concatText(parts []*pg_query.Node) *pg_query.Node {
	out := parts[0]
	for _, p := range parts[1:] {
		out = op("||", out, p)
	}
	return out
}

// strptimeFormat converts a to_date/to_timestamp format into strptime's.
func strptimeFormat(format string) (string, error) {
	var b strings.Builder
	for _, p := range parseDateFormat(format) {
		switch {
		case p.tok == nil:
			b.WriteString(strings.ReplaceAll(p.literal, "%", "%%"))
		case p.tok.parse != "":
			b.WriteString(p.tok.parse)
		default:
			return "", fmt.Errorf("pattern %q is not supported in to_date and to_timestamp", p.name)
		}
	}
	return b.String(), nil
}

func varcharType() *pg_query.TypeName {
	return &pg_query.TypeName{Names: strNodes("varchar"), Typemod: -1, Location: -1}
}

// caseWhen is CASE WHEN cond THEN a ELSE b END (no ELSE when b is nil).
func caseWhen(cond, a, b *pg_query.Node) *pg_query.Node {
	n := pg_query.MakeCaseExprNode(nil, []*pg_query.Node{pg_query.MakeCaseWhenNode(cond, a, -1)}, -1)
	if b != nil {
		n.GetCaseExpr().Defresult = b
	}
	return n
}

// indirection is list[index].
func indirection(list, index *pg_query.Node) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AIndirection{AIndirection: &pg_query.A_Indirection{Arg: list,
		Indirection: []*pg_query.Node{{Node: &pg_query.Node_AIndices{AIndices: &pg_query.A_Indices{Uidx: index}}}}}}}
}

// toChar is to_char(value, format) with a constant format: a number's
// format when it has digit positions (9, 0) and nothing but number
// patterns, otherwise a date/time format.
func (r *rewriter) toChar(fc *pg_query.FuncCall) *pg_query.Node {
	if len(fc.Args) != 2 {
		return nil
	}
	f, ok := constString(fc.Args[1])
	if !ok {
		return errorCall("to_char needs a constant format")
	}
	if np, ok := parseNumberFormat(f); ok {
		return r.numberToChar(fc.Args[0], np)
	}
	if isInterval(fc.Args[0]) {
		return intervalToChar(fc.Args[0], f)
	}
	return r.dateToChar(fc.Args[0], f)
}

// toTimestamp is to_timestamp(text, format) and to_date(text, format)
// with a constant format: strptime's answer as a timestamptz (in the
// session's time zone) or a date.
func (r *rewriter) toTimestamp(fc *pg_query.FuncCall, date bool) *pg_query.Node {
	if len(fc.Args) != 2 {
		return nil
	}
	f, ok := constString(fc.Args[1])
	if !ok {
		return errorCall("to_date and to_timestamp need a constant format")
	}
	pf, err := strptimeFormat(f)
	if err != nil {
		return errorCall(err.Error())
	}
	t := &pg_query.TypeName{Names: strNodes("timestamptz"), Typemod: -1, Location: -1}
	if date {
		t = &pg_query.TypeName{Names: strNodes("date"), Typemod: -1, Location: -1}
	}
	return typeCast(funcCall([]string{"strptime"}, fc.Args[0], strConst(pf)), t)
}

// padZeros left-pads the text v with zeros to width characters (lpad
// alone would cut a longer text).
func padZeros(v *pg_query.Node, width int) *pg_query.Node {
	return funcCall([]string{"lpad"}, v, funcCall([]string{"greatest"}, intConst(width), typeCast(funcCall([]string{"length"}, v), &pg_query.TypeName{Names: strNodes("integer"), Typemod: -1})), strConst("0"))
}

// intervalFields are the patterns to_char prints of an interval: the
// interval's own fields, zero-padded.
var intervalFields = map[string]struct {
	field string
	width int
}{
	"YYYY": {"year", 4}, "yyyy": {"year", 4}, "MM": {"month", 2}, "mm": {"month", 2}, "DD": {"day", 2}, "dd": {"day", 2},
	"HH24": {"hour", 2}, "hh24": {"hour", 2}, "MI": {"minute", 2}, "mi": {"minute", 2}, "SS": {"second", 2}, "ss": {"second", 2},
}

// intervalToChar is to_char(x, format) of an interval.
func intervalToChar(x *pg_query.Node, format string) *pg_query.Node {
	var parts []*pg_query.Node
	for _, p := range parseDateFormat(format) {
		if p.tok == nil {
			parts = append(parts, strConst(p.literal))
			continue
		}
		f, ok := intervalFields[p.name]
		if !ok || p.suffix != "" {
			return errorCall("to_char of an interval: pattern " + p.name + " is not supported")
		}
		v := typeCast(funcCall([]string{"date_part"}, strConst(f.field), x), varcharType())
		if !p.fm {
			v = padZeros(v, f.width)
		}
		parts = append(parts, v)
	}
	if len(parts) == 0 {
		return strConst("")
	}
	return concatText(parts)
}
