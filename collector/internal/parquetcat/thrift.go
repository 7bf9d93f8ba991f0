package parquetcat

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/tpserver/tpserver/internal/pqthrift"
)

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

// decoder decodes compact Thrift into values.
type decoder struct{ pqthrift.Reader }

// decodeStruct reads a struct up to its stop byte.
func (d *decoder) decodeStruct(depth int) (value, error) {
	v := value{typ: pqthrift.TypeStruct}
	if depth > pqthrift.MaxDepth {
		return v, errCorrupt
	}
	var last int16
	for {
		h, err := d.Byte()
		if err != nil {
			return v, err
		}
		typ := h & 0x0f
		if typ == pqthrift.TypeStop {
			return v, nil
		}
		id := last + int16(h>>4)
		if h>>4 == 0 {
			u, err := d.Uvarint()
			if err != nil {
				return v, err
			}
			id = int16(pqthrift.Unzigzag(u))
		}
		last = id
		var fv value
		if typ == pqthrift.TypeTrue || pqthrift.TypeFalse == typ {
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
	case pqthrift.TypeTrue, pqthrift.TypeFalse, pqthrift.TypeByte:
		c, err := d.Byte()
		v.n = int64(c)
		return v, err
	case pqthrift.TypeI16, pqthrift.TypeI32, pqthrift.TypeI64:
		u, err := d.Uvarint()
		v.n = pqthrift.Unzigzag(u)
		return v, err
	case pqthrift.TypeDouble:
		b, err := d.Bytes(8)
		v.raw = b
		return v, err
	case pqthrift.TypeBinary:
		n, err := d.Uvarint()
		if err != nil {
			return v, err
		}
		v.raw, err = d.Bytes(n)
		return v, err
	case pqthrift.TypeList, pqthrift.TypeSet:
		return d.decodeList(typ, depth)
	case pqthrift.TypeMap:
		start := d.Pos
		if err := d.Skip(pqthrift.TypeMap, depth); err != nil {
			return v, err
		}
		v.raw = d.B[start:d.Pos]
		return v, nil
	case pqthrift.TypeStruct:
		return d.decodeStruct(depth)
	}
	return v, fmt.Errorf("%w: type %d", errCorrupt, typ)
}

func (d *decoder) decodeList(typ byte, depth int) (value, error) {
	v := value{typ: typ}
	if depth > pqthrift.MaxDepth {
		return v, errCorrupt
	}
	size, elem, err := d.ListHeader()
	if err != nil {
		return v, err
	}
	v.elem = elem
	if size > uint64(len(d.B)-d.Pos) {
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

// encodeStruct appends the compact encoding of a struct value.
func encodeStruct(b []byte, v *value) []byte {
	var last int16
	for _, f := range v.fields {
		typ := f.v.typ
		if delta := f.id - last; delta > 0 && delta <= 15 {
			b = append(b, byte(delta)<<4|typ)
		} else {
			b = append(b, typ)
			b = binary.AppendUvarint(b, pqthrift.Zigzag(int64(f.id)))
		}
		last = f.id
		if typ != pqthrift.TypeTrue && typ != pqthrift.TypeFalse {
			b = encodeValue(b, &f.v)
		}
	}
	return append(b, pqthrift.TypeStop)
}

// encodeValue appends the compact encoding of a value that is not a struct
// field's bool.
func encodeValue(b []byte, v *value) []byte {
	switch v.typ {
	case pqthrift.TypeTrue, pqthrift.TypeFalse, pqthrift.TypeByte:
		return append(b, byte(v.n))
	case pqthrift.TypeI16, pqthrift.TypeI32, pqthrift.TypeI64:
		return binary.AppendUvarint(b, pqthrift.Zigzag(v.n))
	case pqthrift.TypeDouble, pqthrift.TypeMap:
		return append(b, v.raw...)
	case pqthrift.TypeBinary:
		b = binary.AppendUvarint(b, uint64(len(v.raw)))
		return append(b, v.raw...)
	case pqthrift.TypeList, pqthrift.TypeSet:
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
	case pqthrift.TypeStruct:
		return encodeStruct(b, v)
	}
	return b
}
