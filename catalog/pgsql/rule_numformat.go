package pgsql

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// numberFormat is a parsed to_char/to_number format of a number.
type numberFormat struct {
	fm bool
	// intPat holds the integer part's digit positions as '9' and its group
	// separators as ','; zero is the position (1-based, among the digits)
	// of its first '0', or len+1.
	intPat string
	zero   int
	point  bool
	// frac holds the fraction's digit positions ('9' or '0').
	frac string
	// sign is where the sign goes: "" (before the digits), "S<", "S>",
	// "MI<", "MI>", "SG<" or "PR".
	sign   string
	suffix string // TH or th
	// eeee is scientific notation (EEEE).
	eeee bool
}

// digits is the number of integer digit positions.
func (nf numberFormat) digits() int { return strings.Count(nf.intPat, "9") }

// parseNumberFormat parses a number format; ok is false for a format with
// patterns it does not know (then it is a date/time format) or none of
// the digit positions a number format has.
func parseNumberFormat(f string) (nf numberFormat, ok bool) {
	upper := strings.ToUpper(f)
	hasDigits := false
	for i := 0; i < len(f); {
		rest := upper[i:]
		switch {
		case strings.HasPrefix(rest, "FM"):
			nf.fm = true
			i += 2
		case rest[0] == '9' || rest[0] == '0':
			hasDigits = true
			if nf.point {
				nf.frac += rest[:1]
			} else {
				if rest[0] == '0' && nf.zero == 0 {
					nf.zero = nf.digits() + 1
				}
				nf.intPat += "9"
			}
			i++
		case rest[0] == '.' || rest[0] == 'D':
			if nf.point {
				return nf, false
			}
			nf.point = true
			i++
		case rest[0] == ',' || rest[0] == 'G':
			if nf.point {
				return nf, false
			}
			nf.intPat += ","
			i++
		case strings.HasPrefix(rest, "TH"):
			nf.suffix = f[i : i+2]
			i += 2
		case strings.HasPrefix(rest, "EEEE"):
			nf.eeee = true
			i += 4
		case strings.HasPrefix(rest, "PR"):
			nf.sign = "PR"
			i += 2
		case strings.HasPrefix(rest, "MI"), strings.HasPrefix(rest, "SG"), rest[0] == 'S':
			w := 2
			if rest[0] == 'S' && !strings.HasPrefix(rest, "SG") {
				w = 1
			}
			if nf.sign != "" {
				return nf, false
			}
			nf.sign = rest[:w] + "<"
			if hasDigits {
				nf.sign = rest[:w] + ">"
			}
			if nf.sign == "SG>" {
				return nf, false
			}
			i += w
		default:
			return nf, false
		}
	}
	if nf.zero == 0 {
		nf.zero = nf.digits() + 1
	}
	return nf, hasDigits
}

// numberToChar is to_char(x, format) of a number as PostgreSQL prints it:
// rounded to the format's decimals, digits right-aligned in the digit
// positions, '#' in each when the number has more, the sign where the
// format says, blank-padded to the format's width unless FM.
func (r *rewriter) numberToChar(x *pg_query.Node, nf numberFormat) *pg_query.Node {
	k := len(nf.frac)
	if nf.eeee {
		// The mantissa with the format's decimals, e, the exponent's sign
		// and at least two digits, as C's printf writes it.
		sci := funcCall([]string{"printf"}, strConst(fmt.Sprintf("%%.%de", k)), typeCast(x, &pg_query.TypeName{Names: strNodes("double"), Typemod: -1}))
		if nf.fm {
			return sci
		}
		return op("||", caseWhen(op("<", x, intConst(0)), strConst(""), strConst(" ")), sci)
	}
	// A double rounds as C's printf rounds its binary value (2.675 is
	// 2.67), a numeric half away from zero (2.68).
	isFloat := &pg_query.Node{Node: &pg_query.Node_AExpr{AExpr: &pg_query.A_Expr{Kind: pg_query.A_Expr_Kind_AEXPR_IN, Name: strNodes("="),
		Lexpr: funcCall([]string{"typeof"}, x), Rexpr: pg_query.MakeListNode([]*pg_query.Node{strConst("DOUBLE"), strConst("FLOAT")}), Location: -1}}}
	v := caseWhen(isFloat, typeCast(funcCall([]string{"printf"}, strConst(fmt.Sprintf("%%.%df", k)), x), decimalType(38, int32(k))),
		typeCast(x, decimalType(38, int32(k))))
	s := typeCast(funcCall([]string{"abs"}, v), varcharType())
	ip := funcCall([]string{"split_part"}, s, strConst("."), intConst(1))
	zero := ""
	if !nf.point {
		zero = "0"
	}
	zeroText := strConst(zero)
	if nf.fm {
		// FM shows a zero's last integer digit.
		zeroText = caseWhen(op("=", v, intConst(0)), strConst("0"), strConst(zero))
	}
	d := caseWhen(op("=", ip, strConst("0")), zeroText, ip)
	body := funcCall(r.catalogName("tp_num_int"), d, strConst(nf.intPat), intConst(nf.zero))
	if nf.intPat == "" {
		body = caseWhen(&pg_query.Node{Node: &pg_query.Node_NullTest{NullTest: &pg_query.NullTest{Arg: v, Nulltesttype: pg_query.NullTestType_IS_NOT_NULL, Location: -1}}}, strConst(""), nil) // NULL for NULL
	}
	overflow := strings.ReplaceAll(nf.intPat, "9", "#")
	if nf.point {
		frac := funcCall([]string{"split_part"}, s, strConst("."), intConst(2))
		if nf.fm {
			t := len(nf.frac) - len(strings.TrimRight(nf.frac, "9"))
			frac = op("||", funcCall([]string{"substr"}, frac, intConst(1), intConst(k-t)),
				funcCall([]string{"rtrim"}, funcCall([]string{"substr"}, frac, intConst(k-t+1)), strConst("0")))
		}
		if nf.fm && k == 0 {
			frac = strConst("") // FM drops a point with no decimals
		} else {
			frac = op("||", strConst("."), frac)
		}
		body = op("||", body, frac)
		overflow += "." + strings.Repeat("#", k)
	}
	body = caseWhen(op(">", funcCall([]string{"length"}, d), intConst(nf.digits())), strConst(overflow), body)
	width := len(nf.intPat)
	if nf.point {
		width += 1 + k
	}
	neg := op("<", v, intConst(0))
	sign := func(minus, plus string) *pg_query.Node { return caseWhen(neg, strConst(minus), strConst(plus)) }
	pad := func(e *pg_query.Node, w int) *pg_query.Node {
		if nf.fm {
			return e
		}
		return funcCall([]string{"lpad"}, e, intConst(w), strConst(" "))
	}
	blank := " "
	if nf.fm {
		blank = ""
	}
	var out *pg_query.Node
	switch nf.sign {
	case "":
		out = pad(op("||", sign("-", ""), body), width+1)
	case "S<":
		out = pad(op("||", sign("-", "+"), body), width+1)
	case "S>":
		out = op("||", pad(body, width), sign("-", "+"))
	case "MI>":
		out = op("||", pad(body, width), sign("-", blank))
	case "MI<":
		out = op("||", sign("-", blank), pad(body, width))
	case "SG<":
		out = op("||", sign("-", "+"), pad(body, width))
	case "PR":
		out = caseWhen(neg, op("||", pad(op("||", strConst("<"), body), width+1), strConst(">")),
			op("||", pad(body, width+1), strConst(blank)))
	}
	if nf.suffix != "" {
		out = op("||", out, ordinalSuffix(ip, nf.suffix == "TH"))
	}
	return out
}

// toNumber is to_number(text, format) with a constant format: the digits
// and decimal point of the text as a numeric of the format's scale,
// negative when the text has a minus sign or angle brackets.
func (r *rewriter) toNumber(fc *pg_query.FuncCall) *pg_query.Node {
	if len(fc.Args) != 2 {
		return nil
	}
	f, ok := constString(fc.Args[1])
	if !ok {
		return errorCall("to_number needs a constant format")
	}
	nf, ok := parseNumberFormat(f)
	if !ok {
		return errorCall("to_number: unsupported format " + f)
	}
	digits := funcCall([]string{"regexp_replace"}, fc.Args[0], strConst(`[^0-9.]`), strConst(""), strConst("g"))
	if !nf.point {
		digits = funcCall([]string{"split_part"}, digits, strConst("."), intConst(1))
	}
	v := typeCast(digits, decimalType(38, int32(len(nf.frac))))
	negative := funcCall([]string{"regexp_matches"}, fc.Args[0], strConst(`[-<]`))
	return caseWhen(negative, op("-", nil, v), v)
}
