// Package pqfooter reads the schema of a Parquet file straight from its
// footer, without a query engine: the footer's Thrift (compact protocol)
// FileMetaData is walked only as far as its schema field, whose encoded
// bytes identify the file's schema (names, types, repetition, logical
// types, field ids, in order). Two files whose schema bytes are equal have
// the same schema; files whose bytes differ may still have one, so callers
// treat "different" as "maybe different". NullCounts walks it as far as
// its row groups' column statistics, for the NULLs of top-level columns.
package pqfooter

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// magic ends a plain (unencrypted) Parquet file and starts it.
const magic = "PAR1"

// maxFooter bounds the footer read, against a corrupt length.
const maxFooter = 64 << 20

// SchemaDigest returns the SHA-256 of the encoded schema of the Parquet
// file at path.
func SchemaDigest(path string) ([sha256.Size]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	defer f.Close()
	footer, err := readFooter(f)
	if err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("%s: %w", path, err)
	}
	schema, err := SchemaBytes(footer)
	if err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("%s: %w", path, err)
	}
	return sha256.Sum256(schema), nil
}

// Read returns the SHA-256 of the encoded schema of the Parquet file at
// path (SchemaDigest) and the null counts of nullColumns (NullCounts),
// reading its footer once.
func Read(path string, nullColumns []string) (digest [sha256.Size]byte, nulls map[string]int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return digest, nil, err
	}
	defer f.Close()
	footer, err := readFooter(f)
	if err != nil {
		return digest, nil, fmt.Errorf("%s: %w", path, err)
	}
	schema, err := SchemaBytes(footer)
	if err != nil {
		return digest, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(nullColumns) > 0 {
		if nulls, err = FooterNullCounts(footer, nullColumns); err != nil {
			return digest, nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return sha256.Sum256(schema), nulls, nil
}

// readFooter returns the encoded FileMetaData of a Parquet file.
func readFooter(f *os.File) ([]byte, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := info.Size()
	if size < 12 {
		return nil, errors.New("too small to be a Parquet file")
	}
	// Read the tail in one call: most footers are a few kilobytes.
	tail := make([]byte, min(size, 64<<10))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return nil, err
	}
	end := tail[len(tail)-8:]
	if string(end[4:]) != magic {
		return nil, errors.New("no Parquet magic at the end (not Parquet, or encrypted)")
	}
	n := int64(binary.LittleEndian.Uint32(end[:4]))
	if n <= 0 || n > maxFooter || n > size-12 {
		return nil, fmt.Errorf("bad footer length %d", n)
	}
	if n <= int64(len(tail))-8 {
		return tail[int64(len(tail))-8-n : len(tail)-8], nil
	}
	footer := make([]byte, n)
	if _, err := f.ReadAt(footer, size-8-n); err != nil {
		return nil, err
	}
	return footer, nil
}

// schemaField is the id of FileMetaData.schema.
const schemaField = 2

// SchemaBytes returns the encoded value of FileMetaData's schema field
// (list<SchemaElement>) within footer.
func SchemaBytes(footer []byte) ([]byte, error) {
	r := &reader{b: footer}
	var id int16
	for {
		typ, delta, err := r.fieldHeader()
		if err != nil {
			return nil, err
		}
		if typ == tStop {
			return nil, errors.New("footer has no schema")
		}
		if delta == 0 {
			v, err := r.varint()
			if err != nil {
				return nil, err
			}
			id = int16(zigzag(v))
		} else {
			id += int16(delta)
		}
		start := r.pos
		if err := r.skip(typ, 0); err != nil {
			return nil, err
		}
		if id == schemaField {
			if typ != tList {
				return nil, fmt.Errorf("schema field has type %d, want a list", typ)
			}
			return footer[start:r.pos], nil
		}
	}
}

// Thrift compact protocol types.
const (
	tStop   = 0
	tTrue   = 1
	tFalse  = 2
	tByte   = 3
	tI16    = 4
	tI32    = 5
	tI64    = 6
	tDouble = 7
	tBinary = 8
	tList   = 9
	tSet    = 10
	tMap    = 11
	tStruct = 12
	tUUID   = 13
)

// maxDepth bounds nesting, against corrupt input.
const maxDepth = 64

type reader struct {
	b   []byte
	pos int
}

var errShort = errors.New("footer ends early")

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, errShort
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *reader) varint() (uint64, error) {
	v, n := binary.Uvarint(r.b[r.pos:])
	if n <= 0 {
		return 0, errShort
	}
	r.pos += n
	return v, nil
}

func zigzag(v uint64) int64 { return int64(v>>1) ^ -int64(v&1) }

func (r *reader) advance(n uint64) error {
	if n > uint64(len(r.b)-r.pos) {
		return errShort
	}
	r.pos += int(n)
	return nil
}

// fieldHeader reads a struct field header: its type and id delta (0 when
// the id follows as a varint).
func (r *reader) fieldHeader() (typ, delta byte, err error) {
	c, err := r.byte()
	if err != nil {
		return 0, 0, err
	}
	return c & 0x0f, c >> 4, nil
}

// skip moves past one value of type typ.
func (r *reader) skip(typ byte, depth int) error {
	if depth > maxDepth {
		return errors.New("footer nests too deep")
	}
	switch typ {
	case tTrue, tFalse:
		return nil // a field's bool lives in its header
	case tByte:
		return r.advance(1)
	case tI16, tI32, tI64:
		_, err := r.varint()
		return err
	case tDouble:
		return r.advance(8)
	case tUUID:
		return r.advance(16)
	case tBinary:
		n, err := r.varint()
		if err != nil {
			return err
		}
		return r.advance(n)
	case tList, tSet:
		return r.skipList(depth)
	case tMap:
		return r.skipMap(depth)
	case tStruct:
		return r.skipStruct(depth)
	}
	return fmt.Errorf("unknown Thrift type %d", typ)
}

func (r *reader) skipList(depth int) error {
	h, err := r.byte()
	if err != nil {
		return err
	}
	n, elem := uint64(h>>4), h&0x0f
	if n == 15 {
		if n, err = r.varint(); err != nil {
			return err
		}
	}
	for range n {
		if err := r.skipElem(elem, depth); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) skipMap(depth int) error {
	n, err := r.varint()
	if err != nil || n == 0 {
		return err
	}
	kv, err := r.byte()
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
func (r *reader) skipElem(typ byte, depth int) error {
	if typ == tTrue || typ == tFalse {
		return r.advance(1)
	}
	return r.skip(typ, depth+1)
}

func (r *reader) skipStruct(depth int) error {
	for {
		typ, delta, err := r.fieldHeader()
		if err != nil {
			return err
		}
		if typ == tStop {
			return nil
		}
		if delta == 0 {
			if _, err := r.varint(); err != nil {
				return err
			}
		}
		if err := r.skip(typ, depth+1); err != nil {
			return err
		}
	}
}
