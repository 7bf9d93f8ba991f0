// Package pqthrift reads the footer of a Parquet file: its location in the
// file and the compact Thrift protocol it is encoded in. It is the shared
// ground of the catalog's footer reader (catalog/internal/pqfooter, which
// walks footers for schemas and NULL counts) and the collector's Parquet
// concatenation (collector/internal/parquetcat, which decodes a footer to
// rewrite its offsets). Reader decodes nothing it is not asked for, so a
// caller can skip through the footers of thousands of files without
// allocating.
package pqthrift

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// Magic starts and ends a plain (unencrypted) Parquet file.
const Magic = "PAR1"

// MaxFooter bounds the footer read, against a corrupt length.
const MaxFooter = 64 << 20

// Compact protocol types: the low nibble of a field header, the element
// type of a list.
const (
	TypeStop   = 0
	TypeTrue   = 1
	TypeFalse  = 2
	TypeByte   = 3
	TypeI16    = 4
	TypeI32    = 5
	TypeI64    = 6
	TypeDouble = 7
	TypeBinary = 8
	TypeList   = 9
	TypeSet    = 10
	TypeMap    = 11
	TypeStruct = 12
	TypeUUID   = 13
)

// MaxDepth bounds nesting, so that a corrupt footer cannot exhaust the
// stack.
const MaxDepth = 64

// ErrShort is returned when encoded Thrift ends in the middle of a value.
var ErrShort = errors.New("footer ends early")

// ReadFooter returns the encoded FileMetaData of the Parquet file f and
// the offset where it starts (the end of the file's data).
func ReadFooter(f *os.File) (footer []byte, start int64, err error) {
	info, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	size := info.Size()
	if size < 12 {
		return nil, 0, errors.New("too small to be a Parquet file")
	}
	// Read the tail in one call: most footers are a few kilobytes.
	tail := make([]byte, min(size, 64<<10))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return nil, 0, err
	}
	end := tail[len(tail)-8:]
	if string(end[4:]) != Magic {
		return nil, 0, errors.New("no Parquet magic at the end (not Parquet, or encrypted)")
	}
	n := int64(binary.LittleEndian.Uint32(end[:4]))
	if n <= 0 || n > MaxFooter || n > size-12 {
		return nil, 0, fmt.Errorf("bad footer length %d", n)
	}
	start = size - 8 - n
	if n <= int64(len(tail))-8 {
		return tail[int64(len(tail))-8-n : len(tail)-8], start, nil
	}
	footer = make([]byte, n)
	if _, err := f.ReadAt(footer, start); err != nil {
		return nil, 0, err
	}
	return footer, start, nil
}

// Reader reads compact Thrift from B, from Pos on.
type Reader struct {
	B   []byte
	Pos int
}

// Byte reads one byte.
func (r *Reader) Byte() (byte, error) {
	if r.Pos >= len(r.B) {
		return 0, ErrShort
	}
	c := r.B[r.Pos]
	r.Pos++
	return c, nil
}

// Uvarint reads an unsigned varint (integers are zigzag varints: Unzigzag).
func (r *Reader) Uvarint() (uint64, error) {
	v, n := binary.Uvarint(r.B[r.Pos:])
	if n <= 0 {
		return 0, ErrShort
	}
	r.Pos += n
	return v, nil
}

// Bytes reads the next n bytes, without copying them.
func (r *Reader) Bytes(n uint64) ([]byte, error) {
	if n > uint64(len(r.B)-r.Pos) {
		return nil, ErrShort
	}
	s := r.B[r.Pos : r.Pos+int(n)]
	r.Pos += int(n)
	return s, nil
}

// Advance moves past the next n bytes.
func (r *Reader) Advance(n uint64) error {
	_, err := r.Bytes(n)
	return err
}

// FieldHeader reads a struct field header: its type and id delta (0 when
// the id follows as a zigzag varint).
func (r *Reader) FieldHeader() (typ, delta byte, err error) {
	c, err := r.Byte()
	if err != nil {
		return 0, 0, err
	}
	return c & 0x0f, c >> 4, nil
}

// ListHeader reads a list or set header: its size and element type.
func (r *Reader) ListHeader() (n uint64, elem byte, err error) {
	h, err := r.Byte()
	if err != nil {
		return 0, 0, err
	}
	n, elem = uint64(h>>4), h&0x0f
	if n == 15 {
		n, err = r.Uvarint()
	}
	return n, elem, err
}

// Skip moves past one value of type typ at nesting depth.
func (r *Reader) Skip(typ byte, depth int) error {
	if depth > MaxDepth {
		return errors.New("footer nests too deep")
	}
	switch typ {
	case TypeTrue, TypeFalse:
		return nil // a field's bool lives in its header
	case TypeByte:
		return r.Advance(1)
	case TypeI16, TypeI32, TypeI64:
		_, err := r.Uvarint()
		return err
	case TypeDouble:
		return r.Advance(8)
	case TypeUUID:
		return r.Advance(16)
	case TypeBinary:
		n, err := r.Uvarint()
		if err != nil {
			return err
		}
		return r.Advance(n)
	case TypeList, TypeSet:
		n, elem, err := r.ListHeader()
		if err != nil {
			return err
		}
		for range n {
			if err := r.skipElem(elem, depth); err != nil {
				return err
			}
		}
		return nil
	case TypeMap:
		return r.skipMap(depth)
	case TypeStruct:
		return r.skipStruct(depth)
	}
	return fmt.Errorf("unknown Thrift type %d", typ)
}

func (r *Reader) skipMap(depth int) error {
	n, err := r.Uvarint()
	if err != nil || n == 0 {
		return err
	}
	kv, err := r.Byte()
	if err != nil {
		return err
	}
	for range n {
		if err := r.skipElem(kv>>4, depth); err != nil {
			return err
		}
		if err := r.skipElem(kv&0x0f, depth); err != nil {
			return err
		}
	}
	return nil
}

// skipElem skips a list, set or map element: unlike a field, a bool
// element takes a byte.
func (r *Reader) skipElem(typ byte, depth int) error {
	if typ == TypeTrue || typ == TypeFalse {
		return r.Advance(1)
	}
	return r.Skip(typ, depth+1)
}

func (r *Reader) skipStruct(depth int) error {
	for {
		typ, delta, err := r.FieldHeader()
		if err != nil {
			return err
		}
		if typ == TypeStop {
			return nil
		}
		if delta == 0 {
			if _, err := r.Uvarint(); err != nil {
				return err
			}
		}
		if err := r.Skip(typ, depth+1); err != nil {
			return err
		}
	}
}

// Unzigzag decodes a zigzag-encoded integer.
func Unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// Zigzag encodes an integer as zigzag.
func Zigzag(n int64) uint64 { return uint64(n<<1) ^ uint64(n>>63) }
