package pgjson

import (
	"fmt"
	"strconv"
	"strings"
)

// A JSONPath is a compiled SQL/JSON path expression of the subset tpserver
// supports: lax and strict mode, $, @, .key, ."key", .*, [n], [n to m],
// [last], [*], filters ? (...) with ==, !=, <>, <, <=, >, >=, starts with,
// &&, ||, !, exists(...), string, number, boolean and null literals, and the
// item methods size(), type(), double() and string(). There is no
// arithmetic, like_regex or variables ($name).
type JSONPath struct {
	strict bool
	expr   pathExpr
}

// pathExpr is a node of a path expression.
type pathExpr interface{}

type (
	pathRoot    struct{}
	pathCurrent struct{}
	pathLiteral struct{ v *Value }
	// pathChain applies steps to a base.
	pathChain struct {
		base  pathExpr
		steps []pathStep
	}
	pathBinary struct {
		op   string
		l, r pathExpr
	}
	pathNot    struct{ x pathExpr }
	pathExists struct{ x pathExpr }
)

// pathStep is one accessor.
type pathStep struct {
	kind   byte // '.' key, '*' any member, '[' subscripts, 'A' [*], '?' filter, 'm' method
	key    string
	subs   [][2]pathExpr // index or [from, to]; nil upper when single
	filter pathExpr
}

// CompilePath parses a path expression.
func CompilePath(s string) (*JSONPath, error) {
	p := &pathParser{s: s}
	jp := &JSONPath{}
	p.space()
	if p.word("strict") {
		jp.strict = true
	} else {
		p.word("lax")
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("syntax error at or near %q of jsonpath input", p.s[p.i:])
	}
	jp.expr = e
	return jp, nil
}

type pathParser struct {
	s string
	i int
}

func (p *pathParser) space() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\n\r", rune(p.s[p.i])) {
		p.i++
	}
}

func (p *pathParser) word(w string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.i:], w) {
		end := p.i + len(w)
		if end == len(p.s) || !isIdent(p.s[end]) {
			p.i = end
			return true
		}
	}
	return false
}

func (p *pathParser) lit(w string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.i:], w) {
		p.i += len(w)
		return true
	}
	return false
}

func isIdent(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func (p *pathParser) errorf() error {
	if p.i >= len(p.s) {
		return fmt.Errorf("syntax error at end of jsonpath input")
	}
	return fmt.Errorf("syntax error at or near %q of jsonpath input", p.s[p.i:])
}

func (p *pathParser) or() (pathExpr, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.lit("||") {
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = pathBinary{"||", l, r}
	}
	return l, nil
}

func (p *pathParser) and() (pathExpr, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.lit("&&") {
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		l = pathBinary{"&&", l, r}
	}
	return l, nil
}

func (p *pathParser) not() (pathExpr, error) {
	if p.lit("!") {
		x, err := p.not()
		return pathNot{x}, err
	}
	return p.comparison()
}

func (p *pathParser) comparison() (pathExpr, error) {
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	for _, op := range []string{"==", "!=", "<>", "<=", ">=", "<", ">"} {
		if p.lit(op) {
			r, err := p.primary()
			if err != nil {
				return nil, err
			}
			if op == "<>" {
				op = "!="
			}
			return pathBinary{op, l, r}, nil
		}
	}
	if p.word("starts") {
		if !p.word("with") {
			return nil, p.errorf()
		}
		r, err := p.primary()
		if err != nil {
			return nil, err
		}
		return pathBinary{"starts", l, r}, nil
	}
	return l, nil
}

func (p *pathParser) primary() (pathExpr, error) {
	p.space()
	var base pathExpr
	switch {
	case p.lit("("):
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.lit(")") {
			return nil, p.errorf()
		}
		base = e
	case p.word("exists"):
		if !p.lit("(") {
			return nil, p.errorf()
		}
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if !p.lit(")") {
			return nil, p.errorf()
		}
		return pathExists{e}, nil
	case p.lit("$"):
		base = pathRoot{}
	case p.lit("@"):
		base = pathCurrent{}
	case p.word("true"):
		return pathLiteral{&Value{Kind: Bool, Bool: true}}, nil
	case p.word("false"):
		return pathLiteral{&Value{Kind: Bool}}, nil
	case p.word("null"):
		return pathLiteral{&Value{Kind: Null}}, nil
	case p.i < len(p.s) && p.s[p.i] == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return pathLiteral{&Value{Kind: String, Text: s}}, nil
	case p.i < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] >= '0' && p.s[p.i] <= '9'):
		start := p.i
		p.i++
		for p.i < len(p.s) && strings.IndexByte("0123456789.eE+-", p.s[p.i]) >= 0 {
			p.i++
		}
		if _, err := strconv.ParseFloat(p.s[start:p.i], 64); err != nil {
			return nil, p.errorf()
		}
		return pathLiteral{&Value{Kind: Number, Text: canonNumber(p.s[start:p.i])}}, nil
	case p.word("last"):
		return pathLast{}, nil
	default:
		return nil, p.errorf()
	}
	steps, err := p.steps()
	if err != nil || len(steps) == 0 {
		return base, err
	}
	return pathChain{base, steps}, nil
}

// steps parses the accessors after $ or @.
func (p *pathParser) steps() ([]pathStep, error) {
	var steps []pathStep
	for {
		p.space()
		switch {
		case p.lit(".*"):
			steps = append(steps, pathStep{kind: '*'})
		case p.lit("."):
			st, err := p.member()
			if err != nil {
				return nil, err
			}
			steps = append(steps, st)
		case p.lit("["):
			st, err := p.subscripts()
			if err != nil {
				return nil, err
			}
			steps = append(steps, st)
		case p.lit("?"):
			if !p.lit("(") {
				return nil, p.errorf()
			}
			f, err := p.or()
			if err != nil {
				return nil, err
			}
			if !p.lit(")") {
				return nil, p.errorf()
			}
			steps = append(steps, pathStep{kind: '?', filter: f})
		default:
			return steps, nil
		}
	}
}

// member parses .key, ."key" or .method() after the dot.
func (p *pathParser) member() (pathStep, error) {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		k, err := p.str()
		return pathStep{kind: '.', key: k}, err
	}
	start := p.i
	for p.i < len(p.s) && isIdent(p.s[p.i]) {
		p.i++
	}
	if start == p.i {
		return pathStep{}, p.errorf()
	}
	name := p.s[start:p.i]
	if p.lit("(") {
		if !p.lit(")") {
			return pathStep{}, p.errorf()
		}
		return pathStep{kind: 'm', key: name}, nil
	}
	return pathStep{kind: '.', key: name}, nil
}

// subscripts parses [*] or [n, m to k] after the bracket.
func (p *pathParser) subscripts() (pathStep, error) {
	if p.lit("*") {
		if !p.lit("]") {
			return pathStep{}, p.errorf()
		}
		return pathStep{kind: 'A'}, nil
	}
	st := pathStep{kind: '['}
	for {
		from, err := p.or()
		if err != nil {
			return pathStep{}, err
		}
		var to pathExpr
		if p.word("to") {
			if to, err = p.or(); err != nil {
				return pathStep{}, err
			}
		}
		st.subs = append(st.subs, [2]pathExpr{from, to})
		if p.lit(",") {
			continue
		}
		if p.lit("]") {
			return st, nil
		}
		return pathStep{}, p.errorf()
	}
}

type pathLast struct{}

func (p *pathParser) str() (string, error) {
	q := parser{s: p.s, i: p.i}
	s, err := q.str()
	if err != nil {
		return "", fmt.Errorf("syntax error in jsonpath string: %w", err)
	}
	p.i = q.i
	return s, nil
}

// pathEval evaluates a compiled path on one document.
type pathEval struct {
	strict bool
	root   *Value
}

// errPath is a structural error in strict mode.
type errPath struct{ msg string }

func (e errPath) Error() string { return e.msg }

// Query is jsonb_path_query: the items the path selects. A predicate path
// (jsonb_path_match's kind) selects true, false or null.
func (jp *JSONPath) Query(v *Value) ([]*Value, error) {
	ev := &pathEval{strict: jp.strict, root: v}
	return ev.items(jp.expr, v, nil)
}

// Match is jsonb_path_match: the predicate's value; ok is false for
// unknown (SQL NULL).
func (jp *JSONPath) Match(v *Value) (result, ok bool, err error) {
	items, err := jp.Query(v)
	if err != nil {
		return false, false, err
	}
	if len(items) == 1 && items[0].Kind == Bool {
		return items[0].Bool, true, nil
	}
	if len(items) == 1 && items[0].Kind == Null {
		return false, false, nil
	}
	return false, false, fmt.Errorf("single boolean result is expected")
}

func (ev *pathEval) items(e pathExpr, cur *Value, arr *Value) ([]*Value, error) {
	switch x := e.(type) {
	case pathRoot:
		return []*Value{ev.root}, nil
	case pathCurrent:
		return []*Value{cur}, nil
	case pathLiteral:
		return []*Value{x.v}, nil
	case pathLast:
		if arr == nil || arr.Kind != Array {
			return nil, errPath{"LAST is allowed only in array subscripts"}
		}
		return []*Value{{Kind: Number, Text: strconv.Itoa(len(arr.Elems) - 1)}}, nil
	case pathChain:
		seq, err := ev.items(x.base, cur, arr)
		if err != nil {
			return nil, err
		}
		for _, st := range x.steps {
			if seq, err = ev.step(st, seq); err != nil {
				return nil, err
			}
		}
		return seq, nil
	case pathBinary, pathNot, pathExists:
		t, err := ev.pred(e, cur)
		if err != nil {
			return nil, err
		}
		switch t {
		case 1:
			return []*Value{{Kind: Bool, Bool: true}}, nil
		case 0:
			return []*Value{{Kind: Bool}}, nil
		}
		return []*Value{{Kind: Null}}, nil
	}
	return nil, fmt.Errorf("unsupported jsonpath expression")
}

// unwrap is lax mode's automatic unwrapping of arrays.
func (ev *pathEval) unwrap(seq []*Value) []*Value {
	var out []*Value
	for _, v := range seq {
		if v.Kind == Array && !ev.strict {
			out = append(out, v.Elems...)
		} else {
			out = append(out, v)
		}
	}
	return out
}

func (ev *pathEval) step(st pathStep, seq []*Value) ([]*Value, error) {
	var out []*Value
	switch st.kind {
	case '.':
		for _, v := range ev.unwrap(seq) {
			if m := Get(v, st.key); m != nil {
				out = append(out, m)
			} else if ev.strict {
				if v.Kind != Object {
					return nil, errPath{"jsonpath member accessor can only be applied to an object"}
				}
				return nil, errPath{fmt.Sprintf("JSON object does not contain key %q", st.key)}
			}
		}
	case '*':
		for _, v := range ev.unwrap(seq) {
			if v.Kind == Object {
				for _, m := range v.Members {
					out = append(out, m.Value)
				}
			} else if ev.strict {
				return nil, errPath{"jsonpath wildcard member accessor can only be applied to an object"}
			}
		}
	case 'A':
		for _, v := range seq {
			if v.Kind == Array {
				out = append(out, v.Elems...)
			} else if ev.strict {
				return nil, errPath{"jsonpath wildcard array accessor can only be applied to an array"}
			} else {
				out = append(out, v)
			}
		}
	case '[':
		for _, v := range seq {
			a := v
			if a.Kind != Array {
				if ev.strict {
					return nil, errPath{"jsonpath array accessor can only be applied to an array"}
				}
				a = &Value{Kind: Array, Elems: []*Value{v}}
			}
			for _, sub := range st.subs {
				from, err := ev.index(sub[0], a)
				if err != nil {
					return nil, err
				}
				to := from
				if sub[1] != nil {
					if to, err = ev.index(sub[1], a); err != nil {
						return nil, err
					}
				}
				for i := from; i <= to; i++ {
					if i >= 0 && i < len(a.Elems) {
						out = append(out, a.Elems[i])
					} else if ev.strict {
						return nil, errPath{"jsonpath array subscript is out of bounds"}
					}
				}
			}
		}
	case '?':
		for _, v := range ev.unwrap(seq) {
			t, err := ev.pred(st.filter, v)
			if err != nil {
				return nil, err
			}
			if t == 1 {
				out = append(out, v)
			}
		}
	case 'm':
		for _, v := range seq {
			r, err := ev.method(st.key, v)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

func (ev *pathEval) method(name string, v *Value) (*Value, error) {
	switch name {
	case "size":
		n := 1
		if v.Kind == Array {
			n = len(v.Elems)
		}
		return &Value{Kind: Number, Text: strconv.Itoa(n)}, nil
	case "type":
		return &Value{Kind: String, Text: TypeName(v)}, nil
	case "string":
		s, _ := Text(v)
		return &Value{Kind: String, Text: s}, nil
	case "double":
		switch v.Kind {
		case Number:
			return v, nil
		case String:
			if _, err := strconv.ParseFloat(v.Text, 64); err == nil {
				return &Value{Kind: Number, Text: canonNumber(v.Text)}, nil
			}
		}
		return nil, errPath{"jsonpath item method .double() can only be applied to a string or numeric value"}
	}
	return nil, fmt.Errorf("unsupported jsonpath item method .%s()", name)
}

func (ev *pathEval) index(e pathExpr, arr *Value) (int, error) {
	seq, err := ev.items(e, arr, arr)
	if err != nil {
		return 0, err
	}
	if len(seq) != 1 || seq[0].Kind != Number {
		return 0, errPath{"jsonpath array subscript is not a single numeric value"}
	}
	f, err := strconv.ParseFloat(seq[0].Text, 64)
	if err != nil {
		return 0, err
	}
	return int(f), nil
}

// pred evaluates a predicate: 1 true, 0 false, -1 unknown.
func (ev *pathEval) pred(e pathExpr, cur *Value) (int, error) {
	switch x := e.(type) {
	case pathNot:
		t, err := ev.pred(x.x, cur)
		if t == -1 {
			return -1, err
		}
		return 1 - t, err
	case pathExists:
		seq, err := ev.items(x.x, cur, nil)
		if _, ok := err.(errPath); ok {
			return -1, nil
		}
		if err != nil {
			return 0, err
		}
		if len(seq) > 0 {
			return 1, nil
		}
		return 0, nil
	case pathBinary:
		switch x.op {
		case "&&", "||":
			l, err := ev.pred(x.l, cur)
			if err != nil {
				return 0, err
			}
			r, err := ev.pred(x.r, cur)
			if err != nil {
				return 0, err
			}
			if x.op == "&&" {
				return min(l, r), nil
			}
			return max(l, r), nil
		}
		ls, err := ev.items(x.l, cur, nil)
		if _, ok := err.(errPath); ok {
			return -1, nil
		} else if err != nil {
			return 0, err
		}
		rs, err := ev.items(x.r, cur, nil)
		if _, ok := err.(errPath); ok {
			return -1, nil
		} else if err != nil {
			return 0, err
		}
		ls, rs = ev.unwrap(ls), ev.unwrap(rs)
		found, unknown := false, false
		for _, l := range ls {
			for _, r := range rs {
				switch c := compareItems(x.op, l, r); c {
				case 1:
					found = true
				case -1:
					unknown = true
				}
			}
		}
		switch {
		case found:
			return 1, nil
		case unknown:
			return -1, nil
		}
		return 0, nil
	}
	seq, err := ev.items(e, cur, nil)
	if err != nil {
		return 0, err
	}
	if len(seq) == 1 && seq[0].Kind == Bool {
		if seq[0].Bool {
			return 1, nil
		}
		return 0, nil
	}
	return -1, nil
}

// compareItems compares two scalars: 1 true, 0 false, -1 unknown.
func compareItems(op string, l, r *Value) int {
	if op == "starts" {
		if l.Kind != String || r.Kind != String {
			return -1
		}
		return b2i(strings.HasPrefix(l.Text, r.Text))
	}
	if l.Kind == Null || r.Kind == Null {
		eq := l.Kind == r.Kind
		switch op {
		case "==":
			return b2i(eq)
		case "!=":
			return b2i(!eq)
		}
		return 0
	}
	if l.Kind != r.Kind || l.Kind == Array || l.Kind == Object {
		return -1
	}
	var c int
	switch l.Kind {
	case Bool:
		c = b2i(l.Bool) - b2i(r.Bool)
	case Number:
		c = numCompare(l.Text, r.Text)
	case String:
		c = strings.Compare(l.Text, r.Text)
	}
	switch op {
	case "==":
		return b2i(c == 0)
	case "!=":
		return b2i(c != 0)
	case "<":
		return b2i(c < 0)
	case "<=":
		return b2i(c <= 0)
	case ">":
		return b2i(c > 0)
	}
	return b2i(c >= 0)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
