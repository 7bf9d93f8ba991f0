// Package pgjson is PostgreSQL 15's json and jsonb value semantics in Go:
// parsing that keeps numbers as written and object members in order,
// jsonb's canonical text (keys ordered by length then bytes, duplicates
// resolved to the last, ", " and ": " separators), jsonb_pretty,
// containment (@>), key existence (?), deletion (-, #-), concatenation
// (||), jsonb_set, jsonb_strip_nulls, path extraction (#>) and a subset of
// SQL/JSON path (jsonb_path_query and friends). The emulated pg_catalog
// registers these as DuckDB functions (see package pgemu).
package pgjson

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Kind is a JSON value's type.
type Kind uint8

// The kinds of JSON values.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// Value is a parsed JSON value. Numbers keep their text; objects keep their
// members in input order, duplicates included (Canon removes them).
type Value struct {
	Kind    Kind
	Bool    bool
	Text    string // a String's value (unescaped) or a Number's literal
	Elems   []*Value
	Members []Member
	// Raw is the value's text in the parsed input (json's answer to ->);
	// empty for values made in Go.
	Raw string
}

// Member is one key/value pair of an object.
type Member struct {
	Key   string
	Value *Value
}

// Parse parses one JSON document.
func Parse(s string) (*Value, error) {
	p := parser{s: s}
	p.space()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, p.errorf("trailing characters")
	}
	return v, nil
}

const maxDepth = 6400

type parser struct {
	s string
	i int
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid input syntax for type json at offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *parser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (*Value, error) {
	start := p.i
	v, err := p.value1(depth)
	if err == nil {
		v.Raw = p.s[start:p.i]
	}
	return v, err
}

func (p *parser) value1(depth int) (*Value, error) {
	if depth > maxDepth {
		return nil, p.errorf("too deeply nested")
	}
	if p.i >= len(p.s) {
		return nil, p.errorf("unexpected end of input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &Value{Kind: String, Text: s}, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case strings.HasPrefix(p.s[p.i:], "true"):
		p.i += 4
		return &Value{Kind: Bool, Bool: true}, nil
	case strings.HasPrefix(p.s[p.i:], "false"):
		p.i += 5
		return &Value{Kind: Bool}, nil
	case strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return &Value{Kind: Null}, nil
	}
	return nil, p.errorf("unexpected character")
}

// object parses an object at p.i.
func (p *parser) object(depth int) (*Value, error) {
	p.i++
	v := &Value{Kind: Object, Members: []Member{}}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return v, nil
	}
	for {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return nil, p.errorf("expected a string key")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return nil, p.errorf(`expected ":"`)
		}
		p.i++
		p.space()
		m, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v.Members = append(v.Members, Member{k, m})
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return v, nil
		}
		return nil, p.errorf(`expected "," or "}"`)
	}
}

// array parses an array at p.i.
func (p *parser) array(depth int) (*Value, error) {
	p.i++
	v := &Value{Kind: Array, Elems: []*Value{}}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return v, nil
	}
	for {
		p.space()
		e, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v.Elems = append(v.Elems, e)
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return v, nil
		}
		return nil, p.errorf(`expected "," or "]"`)
	}
}

// number parses a number at p.i, keeping its text.
func (p *parser) number() (*Value, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if lead := p.i; digits() == 0 || p.s[lead] == '0' && p.i-lead > 1 {
		return nil, p.errorf("invalid number")
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, p.errorf("invalid number")
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, p.errorf("invalid number")
		}
	}
	return &Value{Kind: Number, Text: p.s[start:p.i]}, nil
}

// str parses a string literal at p.i.
func (p *parser) str() (string, error) {
	p.i++ // opening quote
	start := p.i
	for p.i < len(p.s) && p.s[p.i] != '"' && p.s[p.i] != '\\' && p.s[p.i] >= 0x20 {
		p.i++
	}
	if p.i < len(p.s) && p.s[p.i] == '"' {
		p.i++
		return p.s[start : p.i-1], nil
	}
	var b strings.Builder
	b.WriteString(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c < 0x20:
			return "", p.errorf("control character in string")
		case c != '\\':
			b.WriteByte(c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.s) {
			break
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return "", err
			}
			if r >= 0xD800 && r < 0xDC00 && strings.HasPrefix(p.s[p.i:], `\u`) {
				p.i += 2
				r2, err := p.hex4()
				if err != nil {
					return "", err
				}
				r = (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000
			}
			if r == 0 {
				return "", p.errorf(`unsupported Unicode escape sequence \u0000`)
			}
			b.WriteRune(r)
		default:
			return "", p.errorf("invalid escape")
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *parser) hex4() (rune, error) {
	if p.i+4 > len(p.s) {
		return 0, p.errorf("invalid unicode escape")
	}
	n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, p.errorf("invalid unicode escape")
	}
	p.i += 4
	return rune(n), nil
}

// keyLess is jsonb's key order: shorter first, then bytewise.
func keyLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// Canon turns v into jsonb's form, in place: object keys ordered and
// duplicates resolved to the last value, numbers in numeric's text.
func Canon(v *Value) *Value {
	switch v.Kind {
	case Number:
		v.Text = canonNumber(v.Text)
	case Array:
		for _, e := range v.Elems {
			Canon(e)
		}
	case Object:
		last := make(map[string]int, len(v.Members))
		for i, m := range v.Members {
			last[m.Key] = i
		}
		out := v.Members[:0]
		for i, m := range v.Members {
			if last[m.Key] == i {
				Canon(m.Value)
				out = append(out, m)
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return keyLess(out[i].Key, out[j].Key) })
		v.Members = out
	}
	return v
}

// canonNumber is numeric_out(numeric_in(s)) for a JSON number literal.
func canonNumber(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return s
		}
		exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if exp == 0 && !strings.ContainsAny(s, "eE") {
		intPart = strings.TrimLeft(intPart, "0")
		if intPart == "" {
			intPart = "0"
		}
		if !neg || strings.Trim(intPart+frac, "0") == "" {
			neg = false
		}
		out := intPart
		if frac != "" {
			out += "." + frac
		}
		if neg {
			out = "-" + out
		}
		return out
	}
	digits := intPart + frac
	point := len(intPart) + exp // position of the decimal point in digits
	scale := max(len(frac)-exp, 0)
	if point > len(digits) {
		digits += strings.Repeat("0", point-len(digits))
	}
	if point < 0 {
		digits = strings.Repeat("0", -point) + digits
		point = 0
	}
	ip, fp := digits[:point], digits[point:]
	if len(fp) > scale {
		fp = fp[:scale]
	} else {
		fp += strings.Repeat("0", scale-len(fp))
	}
	ip = strings.TrimLeft(ip, "0")
	if ip == "" {
		ip = "0"
	}
	out := ip
	if scale > 0 {
		out += "." + fp
	}
	if neg && strings.Trim(ip+fp, "0") != "" {
		out = "-" + out
	}
	return out
}

// AppendJSONB appends v in jsonb's output text (v should be Canon'd).
func AppendJSONB(dst []byte, v *Value) []byte {
	switch v.Kind {
	case Null:
		return append(dst, "null"...)
	case Bool:
		if v.Bool {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case Number:
		return append(dst, v.Text...)
	case String:
		return AppendString(dst, v.Text)
	case Array:
		dst = append(dst, '[')
		for i, e := range v.Elems {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = AppendJSONB(dst, e)
		}
		return append(dst, ']')
	}
	dst = append(dst, '{')
	for i, m := range v.Members {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = AppendString(dst, m.Key)
		dst = append(dst, ": "...)
		dst = AppendJSONB(dst, m.Value)
	}
	return append(dst, '}')
}

// AppendPretty appends v as jsonb_pretty prints it.
func AppendPretty(dst []byte, v *Value, indent int) []byte {
	nl := func(d []byte, n int) []byte {
		d = append(d, '\n')
		for range n {
			d = append(d, "    "...)
		}
		return d
	}
	switch v.Kind {
	case Array:
		dst = append(dst, '[')
		for i, e := range v.Elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = nl(dst, indent+1)
			dst = AppendPretty(dst, e, indent+1)
		}
		dst = nl(dst, indent)
		return append(dst, ']')
	case Object:
		dst = append(dst, '{')
		for i, m := range v.Members {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = nl(dst, indent+1)
			dst = AppendString(dst, m.Key)
			dst = append(dst, ": "...)
			dst = AppendPretty(dst, m.Value, indent+1)
		}
		dst = nl(dst, indent)
		return append(dst, '}')
	}
	return AppendJSONB(dst, v)
}

// AppendString appends s as a JSON string literal, escaped as PostgreSQL's
// escape_json does.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			dst = append(dst, `\"`...)
		case '\\':
			dst = append(dst, `\\`...)
		case '\b':
			dst = append(dst, `\b`...)
		case '\f':
			dst = append(dst, `\f`...)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		default:
			if c < 0x20 {
				dst = append(dst, fmt.Sprintf(`\u%04x`, c)...)
			} else {
				dst = append(dst, c)
			}
		}
	}
	return append(dst, '"')
}

// JSONB returns s's jsonb text.
func JSONB(s string) (string, error) {
	v, err := Parse(s)
	if err != nil {
		return "", err
	}
	return string(AppendJSONB(nil, Canon(v))), nil
}

// Text is jsonb's ->> and #>>: a string's value, NULL (ok false) for null,
// the jsonb text of anything else.
func Text(v *Value) (string, bool) {
	switch v.Kind {
	case Null:
		return "", false
	case String:
		return v.Text, true
	}
	return string(AppendJSONB(nil, v)), true
}

// JSONText is json's ->> and #>>: like Text, but anything other than a
// string is its text as written.
func JSONText(v *Value) (string, bool) {
	switch v.Kind {
	case Null:
		return "", false
	case String:
		return v.Text, true
	}
	return JSONOut(v), true
}

// JSONOut is json's text of v: as written in the input, or for values
// made in Go the jsonb text.
func JSONOut(v *Value) string {
	if v.Raw != "" {
		return v.Raw
	}
	return string(AppendJSONB(nil, v))
}

// Get is -> with a key: the member's value (the last of duplicates), nil
// when v is no object or has no such key.
func Get(v *Value, key string) *Value {
	if v.Kind != Object {
		return nil
	}
	for i := len(v.Members) - 1; i >= 0; i-- {
		if v.Members[i].Key == key {
			return v.Members[i].Value
		}
	}
	return nil
}

// Index is -> with an integer: negative counts from the end.
func Index(v *Value, i int) *Value {
	if v.Kind != Array {
		return nil
	}
	if i < 0 {
		i += len(v.Elems)
	}
	if i < 0 || i >= len(v.Elems) {
		return nil
	}
	return v.Elems[i]
}

// Path is #>: each step a key of an object or an integer index of an array.
func Path(v *Value, path []string) *Value {
	for _, p := range path {
		switch v.Kind {
		case Object:
			v = Get(v, p)
		case Array:
			i, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil {
				return nil
			}
			v = Index(v, i)
		default:
			return nil
		}
		if v == nil {
			return nil
		}
	}
	return v
}

// Equal compares canonical values.
func Equal(a, b *Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Null:
		return true
	case Bool:
		return a.Bool == b.Bool
	case Number:
		return numCompare(a.Text, b.Text) == 0
	case String:
		return a.Text == b.Text
	case Array:
		if len(a.Elems) != len(b.Elems) {
			return false
		}
		for i := range a.Elems {
			if !Equal(a.Elems[i], b.Elems[i]) {
				return false
			}
		}
		return true
	}
	if len(a.Members) != len(b.Members) {
		return false
	}
	for _, m := range a.Members {
		o := Get(b, m.Key)
		if o == nil || !Equal(m.Value, o) {
			return false
		}
	}
	return true
}

// numCompare compares two number literals.
func numCompare(a, b string) int {
	fa, ea := strconv.ParseFloat(a, 64)
	fb, eb := strconv.ParseFloat(b, 64)
	if ea == nil && eb == nil && fa != fb {
		if fa < fb {
			return -1
		}
		return 1
	}
	ca, cb := canonNumber(a), canonNumber(b)
	trim := func(s string) string {
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s
	}
	if trim(ca) == trim(cb) {
		return 0
	}
	if fa < fb {
		return -1
	}
	return 1
}

// Contains is @>: every member of b is in a, recursively; an array
// contains the elements of another array; a top-level array contains a
// scalar it has.
func Contains(a, b *Value) bool {
	if a.Kind == Array && b.Kind != Array && b.Kind != Object {
		for _, e := range a.Elems {
			if e.Kind == b.Kind && Equal(e, b) {
				return true
			}
		}
		return false
	}
	return contains(a, b)
}

func contains(a, b *Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Object:
		for _, m := range b.Members {
			o := Get(a, m.Key)
			if o == nil || !contains(o, m.Value) {
				return false
			}
		}
		return true
	case Array:
		for _, be := range b.Elems {
			found := false
			for _, ae := range a.Elems {
				if contains(ae, be) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	return Equal(a, b)
}

// Exists is ?: key is a top-level key of an object or a string element of
// an array (or the string itself).
func Exists(v *Value, key string) bool {
	switch v.Kind {
	case Object:
		return Get(v, key) != nil
	case Array:
		for _, e := range v.Elems {
			if e.Kind == String && e.Text == key {
				return true
			}
		}
	case String:
		return v.Text == key
	}
	return false
}

// Concat is jsonb ||: objects merge (right wins), anything else
// concatenates as arrays (scalars and objects become one-element arrays).
func Concat(a, b *Value) *Value {
	if a.Kind == Object && b.Kind == Object {
		out := &Value{Kind: Object, Members: append(append([]Member{}, a.Members...), b.Members...)}
		return Canon(out)
	}
	elems := func(v *Value) []*Value {
		if v.Kind == Array {
			return v.Elems
		}
		return []*Value{v}
	}
	return &Value{Kind: Array, Elems: append(append([]*Value{}, elems(a)...), elems(b)...)}
}

// ErrScalar is the error of deleting from a scalar.
var ErrScalar = errors.New("cannot delete from scalar")

// DeleteKey is jsonb - text: the object without key, the array without
// string elements equal to key.
func DeleteKey(v *Value, key string) (*Value, error) {
	switch v.Kind {
	case Object:
		out := &Value{Kind: Object, Members: []Member{}}
		for _, m := range v.Members {
			if m.Key != key {
				out.Members = append(out.Members, m)
			}
		}
		return out, nil
	case Array:
		out := &Value{Kind: Array, Elems: []*Value{}}
		for _, e := range v.Elems {
			if e.Kind != String || e.Text != key {
				out.Elems = append(out.Elems, e)
			}
		}
		return out, nil
	}
	return nil, ErrScalar
}

// DeleteIndex is jsonb - integer.
func DeleteIndex(v *Value, i int) (*Value, error) {
	switch v.Kind {
	case Array:
		if i < 0 {
			i += len(v.Elems)
		}
		if i < 0 || i >= len(v.Elems) {
			return v, nil
		}
		out := &Value{Kind: Array, Elems: append(append([]*Value{}, v.Elems[:i]...), v.Elems[i+1:]...)}
		return out, nil
	case Object:
		return nil, errors.New("cannot delete from object using integer index")
	}
	return nil, ErrScalar
}

// Set is jsonb_set(v, path, nv, create): the value at path replaced by nv;
// a missing last step is added when create is set.
func Set(v *Value, path []string, nv *Value, create bool) (*Value, error) {
	if len(path) == 0 {
		return v, nil
	}
	switch v.Kind {
	case Object:
		out := &Value{Kind: Object, Members: append([]Member{}, v.Members...)}
		for i, m := range out.Members {
			if m.Key == path[0] {
				if len(path) == 1 {
					out.Members[i].Value = nv
				} else {
					s, err := Set(m.Value, path[1:], nv, create)
					if err != nil {
						return nil, err
					}
					out.Members[i].Value = s
				}
				return out, nil
			}
		}
		if create && len(path) == 1 {
			out.Members = append(out.Members, Member{path[0], nv})
			return Canon(out), nil
		}
		return out, nil
	case Array:
		i, err := strconv.Atoi(strings.TrimSpace(path[0]))
		if err != nil {
			return nil, fmt.Errorf("path element at position 1 is not an integer: %q", path[0])
		}
		out := &Value{Kind: Array, Elems: append([]*Value{}, v.Elems...)}
		n := len(out.Elems)
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			if create && len(path) == 1 {
				if i < 0 {
					out.Elems = append([]*Value{nv}, out.Elems...)
				} else {
					out.Elems = append(out.Elems, nv)
				}
			}
			return out, nil
		}
		if len(path) == 1 {
			out.Elems[i] = nv
			return out, nil
		}
		s, err := Set(out.Elems[i], path[1:], nv, create)
		if err != nil {
			return nil, err
		}
		out.Elems[i] = s
		return out, nil
	}
	return nil, errors.New("cannot set path in scalar")
}

// StripNulls is jsonb_strip_nulls: object members whose value is null go,
// recursively; array elements stay.
func StripNulls(v *Value) *Value {
	switch v.Kind {
	case Array:
		out := &Value{Kind: Array, Elems: make([]*Value, len(v.Elems))}
		for i, e := range v.Elems {
			out.Elems[i] = StripNulls(e)
		}
		return out
	case Object:
		out := &Value{Kind: Object, Members: []Member{}}
		for _, m := range v.Members {
			if m.Value.Kind != Null {
				out.Members = append(out.Members, Member{m.Key, StripNulls(m.Value)})
			}
		}
		return out
	}
	return v
}

// TypeName is json_typeof's answer.
func TypeName(v *Value) string {
	return [...]string{"null", "boolean", "number", "string", "array", "object"}[v.Kind]
}

// DeletePath is jsonb #- text[]: v without the value at path.
func DeletePath(v *Value, path []string) (*Value, error) {
	if len(path) == 0 {
		return v, nil
	}
	switch v.Kind {
	case Object:
		if len(path) == 1 {
			return DeleteKey(v, path[0])
		}
		out := &Value{Kind: Object, Members: append([]Member{}, v.Members...)}
		for i, m := range out.Members {
			if m.Key == path[0] {
				d, err := DeletePath(m.Value, path[1:])
				if err != nil {
					return nil, err
				}
				out.Members[i].Value = d
			}
		}
		return out, nil
	case Array:
		i, err := strconv.Atoi(strings.TrimSpace(path[0]))
		if err != nil {
			return nil, fmt.Errorf("path element at position 1 is not an integer: %q", path[0])
		}
		if len(path) == 1 {
			return DeleteIndex(v, i)
		}
		out := &Value{Kind: Array, Elems: append([]*Value{}, v.Elems...)}
		if i < 0 {
			i += len(out.Elems)
		}
		if i >= 0 && i < len(out.Elems) {
			d, err := DeletePath(out.Elems[i], path[1:])
			if err != nil {
				return nil, err
			}
			out.Elems[i] = d
		}
		return out, nil
	}
	return nil, errors.New("cannot delete path in scalar")
}

// Insert is jsonb_insert(v, path, nv, after): nv goes into the array at
// path's last step, before that element (after it when after is set), or
// becomes a new key of the object there.
func Insert(v *Value, path []string, nv *Value, after bool) (*Value, error) {
	if len(path) == 0 {
		return v, nil
	}
	switch v.Kind {
	case Object:
		out := &Value{Kind: Object, Members: append([]Member{}, v.Members...)}
		for i, m := range out.Members {
			if m.Key != path[0] {
				continue
			}
			if len(path) == 1 {
				return nil, errors.New("cannot replace existing key")
			}
			s, err := Insert(m.Value, path[1:], nv, after)
			if err != nil {
				return nil, err
			}
			out.Members[i].Value = s
			return out, nil
		}
		if len(path) == 1 {
			out.Members = append(out.Members, Member{path[0], nv})
			return Canon(out), nil
		}
		return out, nil
	case Array:
		i, err := strconv.Atoi(strings.TrimSpace(path[0]))
		if err != nil {
			return nil, fmt.Errorf("path element at position 1 is not an integer: %q", path[0])
		}
		n := len(v.Elems)
		if i < 0 {
			i += n
		}
		if len(path) > 1 {
			out := &Value{Kind: Array, Elems: append([]*Value{}, v.Elems...)}
			if i >= 0 && i < n {
				s, err := Insert(out.Elems[i], path[1:], nv, after)
				if err != nil {
					return nil, err
				}
				out.Elems[i] = s
			}
			return out, nil
		}
		if after {
			i++
		}
		i = min(max(i, 0), n)
		elems := append(append(append([]*Value{}, v.Elems[:i]...), nv), v.Elems[i:]...)
		return &Value{Kind: Array, Elems: elems}, nil
	}
	return nil, errors.New("cannot set path in scalar")
}

// AppendCompact appends v as json_strip_nulls prints json: no whitespace,
// scalars as written.
func AppendCompact(dst []byte, v *Value) []byte {
	switch v.Kind {
	case Array:
		dst = append(dst, '[')
		for i, e := range v.Elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendCompact(dst, e)
		}
		return append(dst, ']')
	case Object:
		dst = append(dst, '{')
		for i, m := range v.Members {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, m.Key)
			dst = append(dst, ':')
			dst = AppendCompact(dst, m.Value)
		}
		return append(dst, '}')
	}
	if v.Raw != "" {
		return append(dst, v.Raw...)
	}
	return AppendJSONB(dst, v)
}
