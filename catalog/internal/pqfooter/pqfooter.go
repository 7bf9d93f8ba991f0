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
	"errors"
	"fmt"
	"os"

	"github.com/tpserver/tpserver/internal/pqthrift"
)

// SchemaDigest returns the SHA-256 of the encoded schema of the Parquet
// file at path.
func SchemaDigest(path string) ([sha256.Size]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	defer f.Close()
	footer, _, err := pqthrift.ReadFooter(f)
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
	footer, _, err := pqthrift.ReadFooter(f)
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

// schemaField is the id of FileMetaData.schema.
const schemaField = 2

// SchemaBytes returns the encoded value of FileMetaData's schema field
// (list<SchemaElement>) within footer.
func SchemaBytes(footer []byte) ([]byte, error) {
	r := &reader{pqthrift.Reader{B: footer}}
	var id int16
	for {
		typ, delta, err := r.FieldHeader()
		if err != nil {
			return nil, err
		}
		if typ == pqthrift.TypeStop {
			return nil, errors.New("footer has no schema")
		}
		if delta == 0 {
			v, err := r.Uvarint()
			if err != nil {
				return nil, err
			}
			id = int16(pqthrift.Unzigzag(v))
		} else {
			id += int16(delta)
		}
		start := r.Pos
		if err := r.Skip(typ, 0); err != nil {
			return nil, err
		}
		if id == schemaField {
			if typ != pqthrift.TypeList {
				return nil, fmt.Errorf("schema field has type %d, want a list", typ)
			}
			return footer[start:r.Pos], nil
		}
	}
}

// reader walks a footer: pqthrift.Reader with the walks of this package.
type reader struct{ pqthrift.Reader }
