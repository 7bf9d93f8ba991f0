// Package pgtext reads values in PostgreSQL's text input forms, as
// PostgreSQL's type input functions do: booleans ('yes', 'on', ' t '),
// bytea in hex ('\xdead') and escape ('abc\000') format, integers with
// surrounding spaces, and array literals ('{a,"b c",NULL}', nested). pgwire
// uses it for parameter values, the SQL translator for literals in casts.
package pgtext

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// isSpace is PostgreSQL's scanner_isspace: the white space its input
// functions skip.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func trim(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// ParseBool reads a boolean as boolin does: t, true, y, yes, on, 1 and f,
// false, n, no, off, 0, any unique prefix of the words, in any case,
// surrounded by white space.
func ParseBool(s string) (bool, error) {
	v := strings.ToLower(trim(s))
	if v != "" {
		switch {
		case strings.HasPrefix("true", v), strings.HasPrefix("yes", v), v == "on", v == "1":
			return true, nil
		case strings.HasPrefix("false", v), strings.HasPrefix("no", v), len(v) >= 2 && strings.HasPrefix("off", v), v == "0":
			return false, nil
		}
	}
	return false, fmt.Errorf("invalid input syntax for type boolean: %q", s)
}

// ParseInt reads an integer of the given bit size (16, 32, 64) as int2in,
// int4in and int8in do: decimal digits with an optional sign, surrounded
// by white space.
func ParseInt(s string, bits int) (int64, error) {
	v := trim(s)
	digits := strings.TrimLeft(v, "+-")
	if len(v)-len(digits) > 1 || digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, fmt.Errorf("invalid input syntax for type %s: %q", intName(bits), s)
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(v, "+"), 10, bits)
	if err != nil {
		return 0, fmt.Errorf("value %q is out of range for type %s", s, intName(bits))
	}
	return n, nil
}

func intName(bits int) string {
	switch bits {
	case 16:
		return "smallint"
	case 32:
		return "integer"
	}
	return "bigint"
}

// ParseFloat reads a float8 as float8in does: a decimal number, NaN or
// [+-]Infinity (any case), surrounded by white space.
func ParseFloat(s string) (float64, error) {
	v := trim(s)
	switch strings.ToLower(v) {
	case "nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf":
	default:
		// strconv also takes hex floats, underscores and "infinity"
		// spellings float8in does not.
		if v == "" || strings.ContainsAny(v, "xXpP_iInN") {
			return 0, fmt.Errorf("invalid input syntax for type double precision: %q", s)
		}
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("%q is out of range for type double precision", s)
		}
		return 0, fmt.Errorf("invalid input syntax for type double precision: %q", s)
	}
	return f, nil
}

// ParseBytea reads a bytea as byteain does: '\x' followed by hex digit
// pairs (white space between pairs allowed), or the escape format where
// '\\' is a backslash and '\nnn' an octal byte.
func ParseBytea(s string) ([]byte, error) {
	if strings.HasPrefix(s, `\x`) {
		out := make([]byte, 0, (len(s)-2)/2)
		rest := s[2:]
		for i := 0; i < len(rest); {
			if isSpace(rest[i]) {
				i++
				continue
			}
			if i+1 >= len(rest) {
				return nil, fmt.Errorf("invalid hexadecimal data: odd number of digits")
			}
			b, err := hex.DecodeString(rest[i : i+2])
			if err != nil {
				return nil, fmt.Errorf("invalid hexadecimal digit: %q", rest[i:i+2])
			}
			out = append(out, b[0])
			i += 2
		}
		return out, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(s) && isOctal(s[i+1], '3') && isOctal(s[i+2], '7') && isOctal(s[i+3], '7'):
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
		default:
			return nil, fmt.Errorf("invalid input syntax for type bytea")
		}
	}
	return out, nil
}

func isOctal(c, max byte) bool { return c >= '0' && c <= max }

// Array is a parsed array literal: each element is a *string (nil for
// NULL) or, in a multidimensional array, an Array.
type Array []any

// ParseArray reads an array literal as array_in does: '{a,"b c",NULL}',
// '{{1,2},{3,4}}', with an optional dimension decoration
// ('[0:1]={1,2}'). Quoted elements keep their white space and take
// backslash escapes; unquoted NULL (any case) is NULL. Sub-arrays must be
// of the same size.
func ParseArray(s string) (Array, error) {
	p := &arrayParser{s: s}
	p.skipSpace()
	if p.i < len(s) && s[p.i] == '[' {
		// Dimension decoration: the bounds do not change the elements.
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return nil, p.errf("missing \"=\" after array dimensions")
		}
		p.i = eq + 1
		p.skipSpace()
	}
	if p.i >= len(s) || s[p.i] != '{' {
		return nil, p.errf("array value must start with \"{\" or dimension information")
	}
	arr, err := p.array(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i != len(s) {
		return nil, p.errf("junk after closing right brace")
	}
	if _, err := shape(arr); err != nil {
		return nil, p.errf("%v", err)
	}
	return arr, nil
}

type arrayParser struct {
	s string
	i int
}

func (p *arrayParser) errf(format string, args ...any) error {
	return fmt.Errorf("malformed array literal: %q: %s", p.s, fmt.Sprintf(format, args...))
}

func (p *arrayParser) skipSpace() {
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
}

// array reads '{...}' at p.i.
func (p *arrayParser) array(depth int) (Array, error) {
	if depth > 6 {
		return nil, p.errf("number of array dimensions exceeds the maximum allowed (6)")
	}
	p.i++ // '{'
	out := Array{}
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return out, nil
	}
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errf("unexpected end of input")
		}
		switch p.s[p.i] {
		case '{':
			sub, err := p.array(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, sub)
		case '"':
			v, err := p.quoted()
			if err != nil {
				return nil, err
			}
			out = append(out, &v)
		case ',', '}':
			return nil, p.errf("unexpected %q character", p.s[p.i])
		default:
			v, isNull, err := p.unquoted()
			if err != nil {
				return nil, err
			}
			if isNull {
				out = append(out, (*string)(nil))
			} else {
				out = append(out, &v)
			}
		}
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errf("unexpected end of input")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return out, nil
		default:
			return nil, p.errf("unexpected %q character", p.s[p.i])
		}
	}
}

func (p *arrayParser) quoted() (string, error) {
	p.i++ // '"'
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '\\':
			p.i++
			if p.i >= len(p.s) {
				return "", p.errf("unexpected end of input")
			}
			b.WriteByte(p.s[p.i])
		case '"':
			p.i++
			return b.String(), nil
		default:
			b.WriteByte(c)
		}
		p.i++
	}
	return "", p.errf("unexpected end of input")
}

// unquoted reads an unquoted element: up to ',' or '}', escapes taken,
// trailing white space dropped.
func (p *arrayParser) unquoted() (v string, isNull bool, err error) {
	var b strings.Builder
	escaped := false
	keep := 0 // length of b up to the last character that is not trailing white space
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case ',', '}':
			v = b.String()[:keep]
			return v, !escaped && strings.EqualFold(v, "null"), nil
		case '{', '"':
			return "", false, p.errf("unexpected %q character", c)
		case '\\':
			p.i++
			if p.i >= len(p.s) {
				return "", false, p.errf("unexpected end of input")
			}
			b.WriteByte(p.s[p.i])
			escaped = true
			keep = b.Len()
		default:
			b.WriteByte(c)
			if !isSpace(c) {
				keep = b.Len()
			}
		}
		p.i++
	}
	return "", false, p.errf("unexpected end of input")
}

// shape checks that sub-arrays are of one size and do not mix with
// scalars; it returns the dimensions.
func shape(a Array) ([]int, error) {
	dims := []int{len(a)}
	var sub []int
	for i, e := range a {
		child, isArr := e.(Array)
		if i == 0 {
			if isArr {
				d, err := shape(child)
				if err != nil {
					return nil, err
				}
				sub = d
			}
			continue
		}
		if isArr != (sub != nil) {
			return nil, fmt.Errorf("multidimensional arrays must have sub-arrays with matching dimensions")
		}
		if isArr {
			d, err := shape(child)
			if err != nil {
				return nil, err
			}
			if fmt.Sprint(d) != fmt.Sprint(sub) {
				return nil, fmt.Errorf("multidimensional arrays must have sub-arrays with matching dimensions")
			}
		}
	}
	return append(dims, sub...), nil
}
