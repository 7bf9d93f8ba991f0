package pgsql

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// regexpFlags turns PostgreSQL's regular expression flags into DuckDB's
// options: ok is false for a flag DuckDB has no equivalent of.
func regexpFlags(flags string) (opts string, global, ok bool) {
	for _, f := range flags {
		switch f {
		case 'g':
			global = true
		case 'i':
			opts = "i"
		case 'c':
			opts = ""
		default:
			return "", false, false
		}
	}
	return opts, global, true
}

// errorCall is DuckDB's error(msg): a rewrite of a call DuckDB cannot
// answer as PostgreSQL does fails with msg instead of answering otherwise.
func errorCall(msg string) *pg_query.Node {
	return funcCall([]string{"error"}, strConst(msg))
}

// captureGroups counts a pattern's capture groups, as RE2 (DuckDB's
// regular expressions) reads it.
func captureGroups(pattern string) (int, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0, err
	}
	return re.MaxCap(), nil
}

// regexpMatches is PostgreSQL's regexp_matches(s, pattern [, flags]) for
// a constant pattern: unnest of one text[] per match holding the capture
// groups (the whole match without groups), every match with the g flag.
func (r *rewriter) regexpMatches(fc *pg_query.FuncCall) *pg_query.Node {
	if len(fc.Args) < 2 || len(fc.Args) > 3 {
		return errorCall("regexp_matches takes a string, a pattern and optional flags")
	}
	pattern, ok := constString(fc.Args[1])
	flags := ""
	if ok && len(fc.Args) == 3 {
		flags, ok = constString(fc.Args[2])
	}
	if !ok {
		return errorCall("regexp_matches needs a constant pattern and flags")
	}
	opts, global, ok := regexpFlags(flags)
	if !ok {
		return errorCall("regexp_matches: unsupported flags " + strings.ReplaceAll(flags, "'", "''"))
	}
	n, err := captureGroups(pattern)
	if err != nil {
		return errorCall("invalid regular expression: " + err.Error())
	}
	groups := []int64{0}
	if n > 0 {
		groups = groups[:0]
		for i := 1; i <= n; i++ {
			groups = append(groups, int64(i))
		}
	}
	var lists []*pg_query.Node
	for _, g := range groups {
		args := []*pg_query.Node{fc.Args[0], fc.Args[1], pg_query.MakeAConstIntNode(g, -1)}
		if opts != "" {
			args = append(args, strConst(opts))
		}
		lists = append(lists, funcCall([]string{"regexp_extract_all"}, args...))
	}
	rows := funcCall(r.catalogName("tp_regexp_rows"), arrayExpr(lists), boolConst(global))
	return funcCall([]string{"unnest"}, rows)
}

// catalogName is the name of the emulation's function name.
func (r *rewriter) catalogName(name string) []string {
	return append(r.t.catSchema[:len(r.t.catSchema):len(r.t.catSchema)], name)
}

func arrayExpr(elems []*pg_query.Node) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_AArrayExpr{AArrayExpr: &pg_query.A_ArrayExpr{Elements: elems, Location: -1}}}
}

// regexpSubstring is PostgreSQL's substring(x FROM pattern) of a constant
// pattern: the part matching the first capture group, or the whole match
// without groups; NULL without a match or when the group took no part
// (DuckDB's regexp_extract answers an empty string, the first element of
// regexp_extract_all NULL).
func regexpSubstring(x *pg_query.Node, pattern string) *pg_query.Node {
	n, err := captureGroups(pattern)
	if err != nil {
		return errorCall("invalid regular expression: " + err.Error())
	}
	group := int64(0)
	if n > 0 {
		group = 1
	}
	all := funcCall([]string{"regexp_extract_all"}, x, strConst(pattern), pg_query.MakeAConstIntNode(group, -1))
	return indirection(all, intConst(1))
}

// similarToRegexp converts an SQL regular expression (SIMILAR TO syntax)
// with escape character esc into an RE2 expression anchored at both ends.
// With two escape-double-quote markers, the part between them is the only
// capture group and the part before them matches as little as it can, as
// in PostgreSQL's substring(x SIMILAR pattern ESCAPE esc).
func similarToRegexp(pattern, esc string) (string, error) {
	if len([]rune(esc)) > 1 {
		return "", fmt.Errorf("invalid escape string")
	}
	var e rune = -1
	if esc != "" {
		e = []rune(esc)[0]
	}
	var b strings.Builder
	b.WriteString("^(?:")
	part := 0
	inClass := false
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == e && i+1 < len(rs) && rs[i+1] == '"':
			part++
			switch part {
			case 1:
				b.WriteString(")(")
			case 2:
				b.WriteString(")(?:")
			default:
				return "", fmt.Errorf("SQL regular expression may not contain more than two escape-double-quote separators")
			}
			i++
		case c == e && i+1 < len(rs):
			i++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		case inClass:
			if c == ']' {
				inClass = false
			}
			if c == '\\' {
				b.WriteString(`\\`)
			} else {
				b.WriteRune(c)
			}
		case c == '[':
			inClass = true
			b.WriteRune(c)
		case c == '%':
			if part == 0 {
				b.WriteString(".*?")
			} else {
				b.WriteString(".*")
			}
		case c == '_':
			b.WriteString(".")
		case c == '(':
			b.WriteString("(?:")
		case strings.ContainsRune("|*+?{}()", c):
			b.WriteRune(c)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	if part == 1 {
		return "", fmt.Errorf("SQL regular expression may not contain only one escape-double-quote separator")
	}
	b.WriteString(")$")
	return b.String(), nil
}

// substring is PostgreSQL's substring with a text pattern: a regular
// expression (two arguments) or an SQL regular expression with an escape
// (three); DuckDB's substring takes only positions.
func (r *rewriter) substring(fc *pg_query.FuncCall) *pg_query.Node {
	if len(fc.Args) < 2 || len(fc.Args) > 3 {
		return nil
	}
	pattern, ok := constString(fc.Args[1])
	if !ok {
		return nil
	}
	if len(fc.Args) == 2 {
		return regexpSubstring(fc.Args[0], pattern)
	}
	esc, ok := constString(fc.Args[2])
	if !ok {
		return nil
	}
	re, err := similarToRegexp(pattern, esc)
	if err != nil {
		return errorCall(err.Error())
	}
	return regexpSubstring(fc.Args[0], re)
}

// regexpReplacement rewrites regexp_replace's constant replacement text:
// PostgreSQL's \& (the whole match) is RE2's \0.
func (r *rewriter) regexpReplacement(fc *pg_query.FuncCall) {
	if len(fc.Args) < 3 {
		return
	}
	c := fc.Args[2].GetAConst()
	if c == nil || c.GetSval() == nil {
		return
	}
	var b strings.Builder
	in := c.GetSval().Sval
	for i := 0; i < len(in); i++ {
		if in[i] == '\\' && i+1 < len(in) {
			if in[i+1] == '&' {
				b.WriteString(`\0`)
			} else {
				b.WriteString(in[i : i+2])
			}
			i++
			continue
		}
		b.WriteByte(in[i])
	}
	if b.String() != in {
		c.GetSval().Sval = b.String()
		r.changed = true
	}
}
