package pgwire

import (
	"encoding/binary"
	"encoding/json"
	"strconv"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
)

// This file renders nested values (STRUCT, MAP, LIST of them) as JSON text
// straight from DuckDB's vectors, in place of the to_json rewrite
// (statement.go): the same text as to_json for the types it renders
// (jsonRenderable), except JSON leaves, which keep their stored text as
// PostgreSQL's json type keeps its input (to_json re-minifies them).

// jsonRenderable reports whether values of shape s are rendered here:
// STRUCTs, LISTs and MAPs (with text or integer keys) whose leaves are
// text, JSON, booleans or integers. Other leaves (floats, decimals,
// timestamps, ...) are left to to_json, whose text forms this file does
// not copy.
func jsonRenderable(s *duckdbx.Shape) bool {
	switch s.Type {
	case duckdb.TYPE_STRUCT:
		for k := range s.Parts {
			if !jsonRenderable(&s.Parts[k]) {
				return false
			}
		}
		return len(s.Parts) > 0
	case duckdb.TYPE_LIST:
		return jsonRenderable(&s.Parts[0])
	case duckdb.TYPE_MAP:
		key := &s.Parts[0]
		return !key.JSON && key.Type != duckdb.TYPE_BOOLEAN && jsonLeaf(key.Type) && jsonRenderable(&s.Parts[1])
	}
	return jsonLeaf(s.Type)
}

// jsonLeaf reports whether a scalar type is rendered here.
func jsonLeaf(t duckdb.Type) bool {
	switch t {
	case duckdb.TYPE_VARCHAR, duckdb.TYPE_BOOLEAN,
		duckdb.TYPE_TINYINT, duckdb.TYPE_SMALLINT, duckdb.TYPE_INTEGER, duckdb.TYPE_BIGINT,
		duckdb.TYPE_UTINYINT, duckdb.TYPE_USMALLINT, duckdb.TYPE_UINTEGER, duckdb.TYPE_UBIGINT:
		return true
	}
	return false
}

// jsonNode renders values of one jsonRenderable shape, with a STRUCT's
// keys quoted once.
type jsonNode struct {
	typ  duckdb.Type
	json bool
	// text: a VARCHAR leaf that is not JSON, always a JSON string (the
	// commonest field, rendered by its STRUCT without a call of its own).
	text bool
	// keys are a STRUCT's `"name":`, after a comma from the second field
	// on; nullKeys the same followed by null, for a NULL field.
	keys, nullKeys [][]byte
	parts          []jsonNode
}

// newJSONNode prepares the rendering of a jsonRenderable shape.
func newJSONNode(s *duckdbx.Shape) *jsonNode {
	n := &jsonNode{typ: s.Type, json: s.JSON, text: s.Type == duckdb.TYPE_VARCHAR && !s.JSON}
	for k := range s.Parts {
		n.parts = append(n.parts, *newJSONNode(&s.Parts[k]))
		if s.Type == duckdb.TYPE_STRUCT {
			var key []byte
			if k > 0 {
				key = append(key, ',')
			}
			key = append(appendJSONString(key, []byte(s.Parts[k].Name)), ':')
			n.keys = append(n.keys, key)
			n.nullKeys = append(n.nullKeys, append(key[:len(key):len(key)], "null"...))
		}
	}
	return n
}

// append renders row i of v as JSON (null for NULL).
func (n *jsonNode) append(dst []byte, v *duckdbx.Vector, i int) []byte {
	if !v.Valid(i) {
		return append(dst, "null"...)
	}
	switch n.typ {
	case duckdb.TYPE_STRUCT:
		dst = append(dst, '{')
		for k := range n.parts {
			part, field := &n.parts[k], &v.Fields[k]
			switch {
			case !field.Valid(i):
				dst = append(dst, n.nullKeys[k]...)
			case part.text:
				dst = appendJSONString(append(dst, n.keys[k]...), field.Bytes(i))
			default:
				dst = part.append(append(dst, n.keys[k]...), field, i)
			}
		}
		return append(dst, '}')
	case duckdb.TYPE_LIST:
		off, length := v.List(i)
		dst = append(dst, '[')
		for k := off; k < off+length; k++ {
			if k > off {
				dst = append(dst, ',')
			}
			dst = n.parts[0].append(dst, v.Child, k)
		}
		return append(dst, ']')
	case duckdb.TYPE_MAP:
		off, length := v.List(i)
		keys, vals := &v.Child.Fields[0], &v.Child.Fields[1]
		dst = append(dst, '{')
		for k := off; k < off+length; k++ {
			if k > off {
				dst = append(dst, ',')
			}
			dst = n.parts[0].appendKey(dst, keys, k)
			dst = append(dst, ':')
			dst = n.parts[1].append(dst, vals, k)
		}
		return append(dst, '}')
	}
	return n.appendLeaf(dst, v, i)
}

// appendKey renders a MAP key as a JSON string, as to_json does.
func (n *jsonNode) appendKey(dst []byte, v *duckdbx.Vector, i int) []byte {
	if n.typ == duckdb.TYPE_VARCHAR {
		return appendJSONString(dst, v.Bytes(i))
	}
	dst = append(dst, '"')
	return append(n.appendLeaf(dst, v, i), '"')
}

// appendLeaf renders a text, JSON, boolean or integer (not NULL). A JSON
// leaf is its stored text, unless that is not JSON: then a JSON string.
func (n *jsonNode) appendLeaf(dst []byte, v *duckdbx.Vector, i int) []byte {
	switch n.typ {
	case duckdb.TYPE_VARCHAR:
		b := v.Bytes(i)
		if n.json && json.Valid(b) {
			return append(dst, b...)
		}
		return appendJSONString(dst, b)
	case duckdb.TYPE_BOOLEAN:
		if duckdbx.Get[bool](v, i) {
			return append(dst, "true"...)
		}
		return append(dst, "false"...)
	case duckdb.TYPE_TINYINT:
		return strconv.AppendInt(dst, int64(duckdbx.Get[int8](v, i)), 10)
	case duckdb.TYPE_SMALLINT:
		return strconv.AppendInt(dst, int64(duckdbx.Get[int16](v, i)), 10)
	case duckdb.TYPE_INTEGER:
		return strconv.AppendInt(dst, int64(duckdbx.Get[int32](v, i)), 10)
	case duckdb.TYPE_BIGINT:
		return strconv.AppendInt(dst, duckdbx.Get[int64](v, i), 10)
	case duckdb.TYPE_UTINYINT:
		return strconv.AppendUint(dst, uint64(duckdbx.Get[uint8](v, i)), 10)
	case duckdb.TYPE_USMALLINT:
		return strconv.AppendUint(dst, uint64(duckdbx.Get[uint16](v, i)), 10)
	case duckdb.TYPE_UINTEGER:
		return strconv.AppendUint(dst, uint64(duckdbx.Get[uint32](v, i)), 10)
	case duckdb.TYPE_UBIGINT:
		return strconv.AppendUint(dst, duckdbx.Get[uint64](v, i), 10)
	}
	return append(dst, "null"...) // not reached: jsonRenderable
}

// nestedJSONColumn renders a jsonRenderable nested column: its value is
// the JSON text (as the to_json rewrite would give it), its wire form that
// text (json), or a version byte 1 and the text (binary jsonb).
func nestedJSONColumn(c chunkColumn, s *duckdbx.Shape) chunkColumn {
	node := newJSONNode(s)
	c.value = func(v *duckdbx.Vector, i int) any { return string(node.append(nil, v, i)) }
	jsonb := c.binary && c.ct.pg.oid == jsonbTypeOID
	c.fast = func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
		if jsonb {
			dst = append(dst, 1)
		}
		return node.append(dst, v, i), true
	}
	return c
}

// appendJSONString appends s as a JSON string as DuckDB's to_json writes
// it: quote and backslash escaped, \b \f \n \r \t, other control
// characters as \u00XX, everything else (including non-ASCII UTF-8, DEL,
// '/', '<') as it is. A string that needs no escape (the common case) is
// copied whole; in the others, runs of eight bytes that need no escape are
// copied without looking at each byte.
func appendJSONString(dst, s []byte) []byte {
	const hexDigits = "0123456789ABCDEF"
	dst = append(dst, '"')
	if !needsJSONEscape(s) {
		return append(append(dst, s...), '"')
	}
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && !needsJSONEscape8(binary.LittleEndian.Uint64(s[i:])) {
			i += 8
			continue
		}
		c := s[i]
		esc := jsonEscapes[c]
		if esc == 0 {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		if esc == 'u' {
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		} else {
			dst = append(dst, '\\', esc)
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// needsJSONEscape reports whether a byte of s needs an escape in a JSON
// string, eight bytes at a time (the last eight overlapping the ones
// before) once s has eight.
func needsJSONEscape(s []byte) bool {
	n := len(s)
	if n < 8 {
		for _, c := range s {
			if jsonEscapes[c] != 0 {
				return true
			}
		}
		return false
	}
	var any uint64
	for i := 0; i+8 <= n; i += 8 {
		any |= jsonEscapeBits(binary.LittleEndian.Uint64(s[i:]))
	}
	return any|jsonEscapeBits(binary.LittleEndian.Uint64(s[n-8:])) != 0
}

// needsJSONEscape8 reports whether one of the eight bytes of x is below
// 0x20, a quote or a backslash (bit tricks on all bytes at once: a byte
// below n borrows when n is subtracted from it).
func needsJSONEscape8(x uint64) bool {
	return jsonEscapeBits(x) != 0
}

// jsonEscapeBits is not zero when one of the eight bytes of x needs an
// escape (see needsJSONEscape8).
func jsonEscapeBits(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := func(x uint64, n uint64) uint64 { return (x - ones*n) & ^x & highs }
	return below(x, 0x20) | below(x^(ones*'"'), 1) | below(x^(ones*'\\'), 1)
}

// jsonEscapes is, for each byte, the letter of its JSON escape (u for
// \u00XX), or 0 when it goes as it is.
var jsonEscapes = func() (t [256]byte) {
	for c := range 0x20 {
		t[c] = 'u'
	}
	t['\b'], t['\f'], t['\n'], t['\r'], t['\t'] = 'b', 'f', 'n', 'r', 't'
	t['"'], t['\\'] = '"', '\\'
	return t
}()
