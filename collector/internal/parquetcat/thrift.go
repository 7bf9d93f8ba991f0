package parquetcat

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Thrift compact protocol types (the low nibble of a field header, the
// element type of a list).
const (
	typeStop   = 0
	typeTrue   = 1
	typeFalse  = 2
	typeByte   = 3
	typeI16    = 4
	typeI32    = 5
	typeI64    = 6
	typeDouble = 7
	typeBinary = 8
	typeList   = 9
	typeSet    = 10
	typeMap    = 11
	typeStruct = 12
)

// maxDepth bounds the nesting of a decoded footer, so a corrupt one cannot
// exhaust the stack.
const maxDepth = 64

// value is one decoded Thrift value: a struct or a list as a tree, a
// scalar as its number or its bytes, and a map verbatim (Parquet footers
// hold none that need rewriting).
type value struct {
	typ    byte
	n      int64   // bool (inside lists), byte, i16, i32, i64
	raw    []byte  // binary, double, and a map's encoded bytes
	elem   byte    // list and set element type
	elems  []value // list and set elements
	fields []field // struct fields, in encoded order
}

// field is one field of a struct.
type field struct {
	id int16
	v  value
}

// get returns the field id of a struct, or nil.
func (v *value) get(id int16) *value {
	for i := range v.fields {
		if v.fields[i].id == id {
			return &v.fields[i].v
		}
	}
	return nil
}

// errCorrupt is returned for a footer that is not valid compact Thrift.
var errCorrupt = errors.New("corrupt Thrift footer")

// decoder reads compact Thrift from a byte slice.
type decoder struct {
	b   []byte
	pos int
}

func (d *decoder) byte() (byte, error) {
	if d.pos >= len(d.b) {
		return 0, errCorrupt
	}
	c := d.b[d.pos]
	d.pos++
	return c, nil
}

func (d *decoder) uvarint() (uint64, error) {
	x, n := binary.Uvarint(d.b[d.pos:])
	if n <= 0 {
		return 0, errCorrupt
	}
	d.pos += n
	return x, nil
}

func (d *decoder) bytes(n uint64) ([]byte, error) {
	if n > uint64(len(d.b)-d.pos) {
		return nil, errCorrupt
	}
	s := d.b[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return s, nil
}

// decodeStruct reads a struct up to its stop byte.
func (d *decoder) decodeStruct(depth int) (value, error) {
	v := value{typ: typeStruct}
	if depth > maxDepth {
		return v, errCorrupt
	}
	var last int16
	for {
		h, err := d.byte()
		if err != nil {
			return v, err
		}
		typ := h & 0x0f
		if typ == typeStop {
			return v, nil
		}
		id := last + int16(h>>4)
		if h>>4 == 0 {
			u, err := d.uvarint()
			if err != nil {
				return v, err
			}
			id = int16(unzigzag(u))
		}
		last = id
		var fv value
		if typ == typeTrue || typeFalse == typ {
			fv = value{typ: typ}
		} else if fv, err = d.decodeValue(typ, depth+1); err != nil {
			return v, err
		}
		v.fields = append(v.fields, field{id: id, v: fv})
	}
}

// decodeValue reads a value of type typ that is not a struct field's bool.
func (d *decoder) decodeValue(typ byte, depth int) (value, error) {
	v := value{typ: typ}
	switch typ {
	case typeTrue, typeFalse, typeByte:
		c, err := d.byte()
		v.n = int64(c)
		return v, err
	case typeI16, typeI32, typeI64:
		u, err := d.uvarint()
		v.n = unzigzag(u)
		return v, err
	case typeDouble:
		b, err := d.bytes(8)
		v.raw = b
		return v, err
	case typeBinary:
		n, err := d.uvarint()
		if err != nil {
			return v, err
		}
		v.raw, err = d.bytes(n)
		return v, err
	case typeList, typeSet:
		return d.decodeList(typ, depth)
	case typeMap:
		start := d.pos
		if err := d.skipMap(depth); err != nil {
			return v, err
		}
		v.raw = d.b[start:d.pos]
		return v, nil
	case typeStruct:
		return d.decodeStruct(depth)
	}
	return v, fmt.Errorf("%w: type %d", errCorrupt, typ)
}

func (d *decoder) decodeList(typ byte, depth int) (value, error) {
	v := value{typ: typ}
	if depth > maxDepth {
		return v, errCorrupt
	}
	h, err := d.byte()
	if err != nil {
		return v, err
	}
	v.elem = h & 0x0f
	size := uint64(h >> 4)
	if size == 15 {
		if size, err = d.uvarint(); err != nil {
			return v, err
		}
	}
	if size > uint64(len(d.b)-d.pos) {
		return v, errCorrupt
	}
	for range size {
		e, err := d.decodeValue(v.elem, depth+1)
		if err != nil {
			return v, err
		}
		v.elems = append(v.elems, e)
	}
	return v, nil
}

func (d *decoder) skipMap(depth int) error {
	size, err := d.uvarint()
	if err != nil || size == 0 {
		return err
	}
	kv, err := d.byte()
	if err != nil {
		return err
	}
	if size > uint64(len(d.b)-d.pos) {
		return errCorrupt
	}
	for range size {
		if _, err := d.decodeValue(kv>>4, depth+1); err != nil {
			return err
		}
		if _, err := d.decodeValue(kv&0x0f, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

func zigzag(n int64) uint64 { return uint64(n<<1) ^ uint64(n>>63) }

// encodeStruct appends the compact encoding of a struct value.
func encodeStruct(b []byte, v *value) []byte {
	var last int16
	for _, f := range v.fields {
		typ := f.v.typ
		if delta := f.id - last; delta > 0 && delta <= 15 {
			b = append(b, byte(delta)<<4|typ)
		} else {
			b = append(b, typ)
			b = binary.AppendUvarint(b, zigzag(int64(f.id)))
		}
		last = f.id
		if typ != typeTrue && typ != typeFalse {
			b = encodeValue(b, &f.v)
		}
	}
	return append(b, typeStop)
}

// encodeValue appends the compact encoding of a value that is not a struct
// field's bool.
func encodeValue(b []byte, v *value) []byte {
	switch v.typ {
	case typeTrue, typeFalse, typeByte:
		return append(b, byte(v.n))
	case typeI16, typeI32, typeI64:
		return binary.AppendUvarint(b, zigzag(v.n))
	case typeDouble, typeMap:
		return append(b, v.raw...)
	case typeBinary:
		b = binary.AppendUvarint(b, uint64(len(v.raw)))
		return append(b, v.raw...)
	case typeList, typeSet:
		if n := len(v.elems); n < 15 {
			b = append(b, byte(n)<<4|v.elem)
		} else {
			b = append(b, 0xf0|v.elem)
			b = binary.AppendUvarint(b, uint64(n))
		}
		for i := range v.elems {
			b = encodeValue(b, &v.elems[i])
		}
		return b
	case typeStruct:
		return encodeStruct(b, v)
	}
	return b
}
