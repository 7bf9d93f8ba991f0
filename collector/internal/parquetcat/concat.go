// Package parquetcat concatenates Parquet files of one schema into one
// file without decoding their data: the row groups of each file are copied
// byte for byte, in the order of the files, and one footer lists them all,
// their offsets moved to where they now are. Only the footer (compact
// Thrift, read with internal/pqthrift) is decoded and encoded again;
// every other field of it is kept as written.
package parquetcat

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/tpserver/tpserver/internal/pqthrift"
)

// Field ids of the Parquet footer (parquet.thrift) that concatenation
// rewrites.
const (
	fileSchema    = 2 // FileMetaData.schema
	fileNumRows   = 3 // FileMetaData.num_rows
	fileRowGroups = 4 // FileMetaData.row_groups

	groupColumns    = 1 // RowGroup.columns
	groupFileOffset = 5 // RowGroup.file_offset
	groupOrdinal    = 7 // RowGroup.ordinal

	chunkFileOffset  = 2 // ColumnChunk.file_offset
	chunkMeta        = 3 // ColumnChunk.meta_data
	chunkOffsetIndex = 4 // ColumnChunk.offset_index_offset
	chunkColumnIndex = 6 // ColumnChunk.column_index_offset
	metaDataPage     = 9 // ColumnMetaData.data_page_offset
	metaIndexPage    = 10
	metaDictPage     = 11
	metaBloomFilter  = 14
)

// source is one input file: its open handle, the span of its data (after
// the leading magic, up to its footer) and its decoded footer.
type source struct {
	f        *os.File
	dataEnd  int64
	meta     value
	metaPath string
}

// Concat writes the row groups of srcs, in that order, into dst as one
// Parquet file. The files must share one schema (as the files of one COPY
// statement's SELECT do): a file whose schema differs from the first's is
// an error. dst is written but not synced.
func Concat(dst string, srcs []string) error {
	if len(srcs) == 0 {
		return fmt.Errorf("concatenate into %s: no files", dst)
	}
	var in []*source
	defer func() {
		for _, s := range in {
			s.f.Close()
		}
	}()
	for _, p := range srcs {
		s, err := openSource(p)
		if err != nil {
			return err
		}
		in = append(in, s)
		if err := sameSchema(in[0], s); err != nil {
			return err
		}
	}
	out, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("concatenate Parquet: %w", err)
	}
	if err := writeConcat(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return fmt.Errorf("concatenate Parquet into %s: %w", dst, err)
	}
	if err := out.Close(); err != nil {
		os.Remove(dst)
		return fmt.Errorf("concatenate Parquet into %s: %w", dst, err)
	}
	return nil
}

// openSource opens a Parquet file and decodes its footer.
func openSource(path string) (*source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("concatenate Parquet: %w", err)
	}
	s, err := readFooter(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("concatenate Parquet: %s: %w", path, err)
	}
	s.metaPath = path
	return s, nil
}

func readFooter(f *os.File) (*source, error) {
	buf, dataEnd, err := pqthrift.ReadFooter(f)
	if err != nil {
		return nil, err
	}
	head := make([]byte, len(pqthrift.Magic))
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, err
	}
	if string(head) != pqthrift.Magic || dataEnd < int64(len(head)) {
		return nil, fmt.Errorf("not a Parquet file: no %s magic at the start", pqthrift.Magic)
	}
	d := decoder{pqthrift.Reader{B: buf}}
	meta, err := d.decodeStruct(0)
	if err != nil {
		return nil, fmt.Errorf("decode footer: %w", err)
	}
	if meta.get(fileRowGroups) == nil || meta.get(fileNumRows) == nil || meta.get(fileSchema) == nil {
		return nil, fmt.Errorf("footer without schema, rows or row groups")
	}
	return &source{f: f, dataEnd: dataEnd, meta: meta}, nil
}

// sameSchema checks that s has the schema of first.
func sameSchema(first, s *source) error {
	a := encodeValue(nil, first.meta.get(fileSchema))
	b := encodeValue(nil, s.meta.get(fileSchema))
	if !bytes.Equal(a, b) {
		return fmt.Errorf("concatenate Parquet: %s has another schema than %s", s.metaPath, first.metaPath)
	}
	return nil
}

// writeConcat writes the magic, the data of every source moved to its new
// offset, and the footer of the first source listing all row groups.
func writeConcat(w io.Writer, in []*source) error {
	if _, err := io.WriteString(w, pqthrift.Magic); err != nil {
		return err
	}
	pos := int64(len(pqthrift.Magic))
	var groups []value
	var rows int64
	for _, s := range in {
		delta := pos - int64(len(pqthrift.Magic))
		for _, g := range s.meta.get(fileRowGroups).elems {
			moveRowGroup(&g, delta, int64(len(groups)))
			groups = append(groups, g)
		}
		rows += s.meta.get(fileNumRows).n
		n, err := io.Copy(w, io.NewSectionReader(s.f, int64(len(pqthrift.Magic)), s.dataEnd-int64(len(pqthrift.Magic))))
		if err != nil {
			return err
		}
		pos += n
	}
	meta := in[0].meta
	meta.fields = append([]field(nil), meta.fields...)
	meta.get(fileNumRows).n = rows
	rg := meta.get(fileRowGroups)
	rg.elems = groups
	footer := encodeStruct(nil, &meta)
	footer = binary.LittleEndian.AppendUint32(footer, uint32(len(footer)))
	footer = append(footer, pqthrift.Magic...)
	_, err := w.Write(footer)
	return err
}

// moveRowGroup adds delta to every file offset of a row group and its
// column chunks, and numbers it ordinal.
func moveRowGroup(g *value, delta, ordinal int64) {
	move(g, delta, groupFileOffset)
	if o := g.get(groupOrdinal); o != nil {
		o.n = ordinal
	}
	cols := g.get(groupColumns)
	if cols == nil {
		return
	}
	for i := range cols.elems {
		c := &cols.elems[i]
		move(c, delta, chunkFileOffset, chunkOffsetIndex, chunkColumnIndex)
		if m := c.get(chunkMeta); m != nil {
			move(m, delta, metaDataPage, metaIndexPage, metaDictPage, metaBloomFilter)
		}
	}
}

// move adds delta to the given offset fields of a struct that are set to
// a position in the file (writers leave some at 0).
func move(v *value, delta int64, ids ...int16) {
	for _, id := range ids {
		if f := v.get(id); f != nil && f.n > 0 {
			f.n += delta
		}
	}
}
