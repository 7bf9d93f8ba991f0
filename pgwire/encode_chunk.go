package pgwire

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
)

// This file encodes rows for the wire straight from DuckDB's column
// vectors (duckdbx.Chunks), skipping duckdb-go's conversion of every value
// to a Go value through database/sql. The bytes are those of appendText and
// appendBinary by construction: the commonest types (text, booleans,
// integers, floats, timestamps, dates, lists of text) have a direct path,
// every other supported type goes through a Go value built exactly as
// duckdb-go builds it and the same encoder. A result with a column type
// not listed here is read through database/sql as before.

// vectorValue reads row i of a vector as the Go value duckdb-go would give.
type vectorValue func(v *duckdbx.Vector, i int) any

// vectorAppend appends the wire form of row i (not NULL) of a vector; ok
// false leaves the value to the general encoder.
type vectorAppend func(e *encoder, dst []byte, v *duckdbx.Vector, i int) (out []byte, ok bool)

// chunkColumn encodes one result column from its vectors.
type chunkColumn struct {
	ct     *colType
	binary bool
	value  vectorValue
	fast   vectorAppend // nil: encode value() with appendText/appendBinary
	// verbatim says the wire form is the vector's bytes as they are (text,
	// JSON text: fast is appendVarchar), which appendRow copies itself.
	verbatim bool
}

// scalarValue returns the reader of a scalar DuckDB type, or nil when the
// type is not read from vectors (DECIMAL, HUGEINT, ENUM, BIT, TIME_TZ,
// nested types, ...).
func scalarValue(t duckdb.Type) vectorValue {
	switch t {
	case duckdb.TYPE_VARCHAR:
		return func(v *duckdbx.Vector, i int) any { return string(v.Bytes(i)) }
	case duckdb.TYPE_BLOB:
		return func(v *duckdbx.Vector, i int) any { return bytes.Clone(v.Bytes(i)) }
	case duckdb.TYPE_BOOLEAN:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[bool](v, i) }
	case duckdb.TYPE_TINYINT:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[int8](v, i) }
	case duckdb.TYPE_SMALLINT:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[int16](v, i) }
	case duckdb.TYPE_INTEGER:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[int32](v, i) }
	case duckdb.TYPE_BIGINT:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[int64](v, i) }
	case duckdb.TYPE_UTINYINT:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[uint8](v, i) }
	case duckdb.TYPE_USMALLINT:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[uint16](v, i) }
	case duckdb.TYPE_UINTEGER:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[uint32](v, i) }
	case duckdb.TYPE_UBIGINT:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[uint64](v, i) }
	case duckdb.TYPE_FLOAT:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[float32](v, i) }
	case duckdb.TYPE_DOUBLE:
		return func(v *duckdbx.Vector, i int) any { return duckdbx.Get[float64](v, i) }
	case duckdb.TYPE_INTERVAL:
		return func(v *duckdbx.Vector, i int) any {
			iv := duckdbx.Get[struct {
				months, days int32
				micros       int64
			}](v, i)
			return duckdb.Interval{Months: iv.months, Days: iv.days, Micros: iv.micros}
		}
	case duckdb.TYPE_UUID:
		return func(v *duckdbx.Vector, i int) any { return uuidBytes(v, i) }
	}
	if read := timeValue(t); read != nil {
		return func(v *duckdbx.Vector, i int) any { return read(v, i) }
	}
	return nil
}

// timeValue returns the reader of a date or time type as duckdb-go's
// time.Time (UTC), or nil for other types.
func timeValue(t duckdb.Type) func(v *duckdbx.Vector, i int) time.Time {
	switch t {
	case duckdb.TYPE_TIMESTAMP, duckdb.TYPE_TIMESTAMP_TZ:
		return func(v *duckdbx.Vector, i int) time.Time { return time.UnixMicro(duckdbx.Get[int64](v, i)).UTC() }
	case duckdb.TYPE_TIMESTAMP_S:
		return func(v *duckdbx.Vector, i int) time.Time { return time.Unix(duckdbx.Get[int64](v, i), 0).UTC() }
	case duckdb.TYPE_TIMESTAMP_MS:
		return func(v *duckdbx.Vector, i int) time.Time { return time.UnixMilli(duckdbx.Get[int64](v, i)).UTC() }
	case duckdb.TYPE_TIMESTAMP_NS:
		return func(v *duckdbx.Vector, i int) time.Time { return time.Unix(0, duckdbx.Get[int64](v, i)).UTC() }
	case duckdb.TYPE_DATE:
		return func(v *duckdbx.Vector, i int) time.Time {
			return time.Unix(int64(duckdbx.Get[int32](v, i))*86400, 0).UTC()
		}
	case duckdb.TYPE_TIME:
		return func(v *duckdbx.Vector, i int) time.Time {
			u := time.UnixMicro(duckdbx.Get[int64](v, i)).UTC()
			return time.Date(1, time.January, 1, u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), time.UTC)
		}
	}
	return nil
}

// uuidBytes reads a UUID (a HUGEINT with its top bit flipped) as the 16
// bytes duckdb-go gives.
func uuidBytes(v *duckdbx.Vector, i int) []byte {
	lower, upper := v.Hugeint(i)
	u := make([]byte, 16)
	binary.BigEndian.PutUint64(u[:8], uint64(upper)^1<<63)
	binary.BigEndian.PutUint64(u[8:], lower)
	return u
}

// listValue reads a LIST of scalars as duckdb-go's []any (nil elements for
// NULLs).
func listValue(elem vectorValue) vectorValue {
	return func(v *duckdbx.Vector, i int) any {
		off, n := v.List(i)
		out := make([]any, n)
		for k := range out {
			if v.Child.Valid(off + k) {
				out[k] = elem(v.Child, off+k)
			}
		}
		return out
	}
}

// newChunkColumn prepares the encoding of a result column of type col
// described to the client as ct; ok is false when its values cannot be
// read from vectors.
func newChunkColumn(ct *colType, col duckdbx.Column, binaryFormat bool) (c chunkColumn, ok bool) {
	c = chunkColumn{ct: ct, binary: binaryFormat}
	if ct.kind == kindNested && col.Type != duckdb.TYPE_VARCHAR && jsonRenderable(&col.Shape) {
		return nestedJSONColumn(c, &col.Shape), true
	}
	if col.Type == duckdb.TYPE_LIST {
		elem := scalarValue(col.Elem)
		if elem == nil {
			return c, false
		}
		c.value = listValue(elem)
		if col.Elem == duckdb.TYPE_VARCHAR && ct.kind == kindArray && ct.elem.kind == kindScalar {
			switch {
			case !binaryFormat:
				c.fast = appendTextList
			case ct.elem.pg.oid == oidText || ct.elem.pg.oid == oidVarchar:
				oid := ct.elem.pg.oid
				c.fast = func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
					return appendBinaryTextList(dst, v, i, oid), true
				}
			}
		}
		return c, true
	}
	c.value = scalarValue(col.Type)
	if c.value == nil {
		return c, false
	}
	if binaryFormat {
		c.fast = binaryFast(ct, col.Type)
	} else {
		c.fast = textFast(ct, col.Type)
	}
	c.verbatim = verbatim(ct, col.Type, binaryFormat)
	return c, true
}

// verbatim reports whether values of a scalar column of DuckDB type t
// described as ct go on the wire as their bytes in the vector: text, and
// JSON text (json's binary format is its text; jsonb's has a version byte).
func verbatim(ct *colType, t duckdb.Type, binaryFormat bool) bool {
	switch {
	case t != duckdb.TYPE_VARCHAR || ct.kind == kindArray:
		return false
	case !binaryFormat:
		return true
	case ct.kind == kindJSON || ct.kind == kindNested:
		return ct.pg.oid != jsonbTypeOID
	}
	return ct.kind == kindScalar && (ct.pg.oid == oidText || ct.pg.oid == oidVarchar)
}

// textFast returns the direct text encoder of a scalar column, or nil.
func textFast(ct *colType, t duckdb.Type) vectorAppend {
	if verbatim(ct, t, false) {
		return appendVarchar
	}
	switch {
	case ct.kind == kindArray:
		return nil
	case ct.kind != kindScalar:
		return nil
	}
	switch t {
	case duckdb.TYPE_BOOLEAN:
		return func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			if duckdbx.Get[bool](v, i) {
				return append(dst, 't'), true
			}
			return append(dst, 'f'), true
		}
	case duckdb.TYPE_INTEGER:
		return func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			return strconv.AppendInt(dst, int64(duckdbx.Get[int32](v, i)), 10), true
		}
	case duckdb.TYPE_BIGINT:
		return func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			return strconv.AppendInt(dst, duckdbx.Get[int64](v, i), 10), true
		}
	case duckdb.TYPE_DOUBLE:
		return func(e *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			return e.appendFloat(dst, duckdbx.Get[float64](v, i), 64), true
		}
	case duckdb.TYPE_TIME:
		return nil
	case duckdb.TYPE_TIMESTAMP, duckdb.TYPE_DATE:
		if ct.duck == t {
			return newDayText(t).append
		}
	}
	if read := timeValue(t); read != nil {
		return func(e *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			return e.appendTime(dst, ct, read(v, i)), true
		}
	}
	return nil
}

// dayText renders finite TIMESTAMP (microseconds) or DATE (days) values
// as appendTime does, keeping the text of the last day rendered: rows of a
// lake come in time order, so most values share their day with the value
// before and cost only their time of day.
type dayText struct {
	timestamp bool
	day       int64 // days since 1970-01-01 of date; valid when date != nil
	date      []byte
}

func newDayText(t duckdb.Type) *dayText {
	return &dayText{timestamp: t == duckdb.TYPE_TIMESTAMP}
}

const microsPerDay = 86_400_000_000

// append is a vectorAppend; infinities and values past year 200000 are
// left to the general encoder.
func (d *dayText) append(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
	var day, tod int64
	if d.timestamp {
		us := duckdbx.Get[int64](v, i)
		if us < minFiniteMicros || us >= maxFiniteMicros {
			return dst, false
		}
		day = us / microsPerDay
		if us%microsPerDay < 0 {
			day--
		}
		tod = us - day*microsPerDay
	} else {
		days := duckdbx.Get[int32](v, i)
		if days == math.MaxInt32 || days <= -math.MaxInt32 {
			return dst, false
		}
		day = int64(days)
	}
	if d.date == nil || day != d.day {
		d.day, d.date = day, appendDate(d.date[:0], time.Unix(day*86400, 0).UTC())
	}
	dst = append(dst, d.date...)
	if !d.timestamp {
		return dst, true
	}
	sec := tod / 1_000_000
	dst = append(dst, ' ', byte('0'+sec/36000), byte('0'+sec/3600%10), ':',
		byte('0'+sec/600%6), byte('0'+sec/60%10), ':', byte('0'+sec%60/10), byte('0'+sec%10))
	return appendMicros(dst, tod%1_000_000), true
}

// appendVarchar appends a text value as it is.
func appendVarchar(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
	return append(dst, v.Bytes(i)...), true
}

// binaryFast returns the direct binary encoder of a scalar column, or nil.
func binaryFast(ct *colType, t duckdb.Type) vectorAppend {
	oid := ct.pg.oid
	if verbatim(ct, t, true) {
		return appendVarchar
	}
	switch {
	case t == duckdb.TYPE_VARCHAR && (ct.kind == kindJSON || ct.kind == kindNested):
		return func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			return append(append(dst, 1), v.Bytes(i)...), true // jsonb: version byte, text
		}
	case ct.kind != kindScalar:
		return nil
	case t == duckdb.TYPE_BOOLEAN && oid == oidBool:
		return func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			if duckdbx.Get[bool](v, i) {
				return append(dst, 1), true
			}
			return append(dst, 0), true
		}
	case t == duckdb.TYPE_INTEGER && oid == oidInt4:
		return func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			return binary.BigEndian.AppendUint32(dst, uint32(duckdbx.Get[int32](v, i))), true
		}
	case t == duckdb.TYPE_BIGINT && oid == oidInt8:
		return func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			return binary.BigEndian.AppendUint64(dst, uint64(duckdbx.Get[int64](v, i))), true
		}
	case t == duckdb.TYPE_DOUBLE && oid == oidFloat8:
		return func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			return binary.BigEndian.AppendUint64(dst, math.Float64bits(duckdbx.Get[float64](v, i))), true
		}
	case (t == duckdb.TYPE_TIMESTAMP || t == duckdb.TYPE_TIMESTAMP_TZ) && (oid == oidTimestamp || oid == oidTimestampTZ):
		// Microseconds since 2000-01-01, as appendBinaryFast; infinities
		// are left to the general encoder.
		return func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			us := duckdbx.Get[int64](v, i)
			if us < minFiniteMicros || us >= maxFiniteMicros {
				return dst, false
			}
			return binary.BigEndian.AppendUint64(dst, uint64(us-y2kMicros)), true
		}
	case t == duckdb.TYPE_DATE && oid == oidDate:
		// Days since 2000-01-01; infinities are left to the general encoder.
		return func(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
			days := duckdbx.Get[int32](v, i)
			if days == math.MaxInt32 || days <= -math.MaxInt32 {
				return dst, false
			}
			return binary.BigEndian.AppendUint32(dst, uint32(days-y2kDays)), true
		}
	}
	return nil
}

// Timestamps from minFiniteMicros up to maxFiniteMicros (Unix
// microseconds) are the finite ones for infinity: years -200000 to 200000.
var (
	minFiniteMicros = time.Date(-200000, time.January, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	maxFiniteMicros = time.Date(200001, time.January, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
)

// y2kDays is 2000-01-01, PostgreSQL's epoch, in days since 1970-01-01.
const y2kDays = 10957

// appendTextList renders a LIST of text as appendArray does.
func appendTextList(_ *encoder, dst []byte, v *duckdbx.Vector, i int) ([]byte, bool) {
	off, n := v.List(i)
	dst = append(dst, '{')
	for k := off; k < off+n; k++ {
		if k > off {
			dst = append(dst, ',')
		}
		if !v.Child.Valid(k) {
			dst = append(dst, "NULL"...)
			continue
		}
		dst = appendArrayElem(dst, v.Child.Bytes(k))
	}
	return append(dst, '}'), true
}

// appendBinaryTextList renders a LIST of text (element type oid) as
// appendArrayBinary does.
func appendBinaryTextList(dst []byte, v *duckdbx.Vector, i int, oid uint32) []byte {
	off, n := v.List(i)
	hasNull := uint32(0)
	for k := off; k < off+n; k++ {
		if !v.Child.Valid(k) {
			hasNull = 1
			break
		}
	}
	ndim := uint32(1)
	if n == 0 {
		ndim = 0
	}
	dst = binary.BigEndian.AppendUint32(dst, ndim)
	dst = binary.BigEndian.AppendUint32(dst, hasNull)
	dst = binary.BigEndian.AppendUint32(dst, oid)
	if n == 0 {
		return dst
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(n))
	dst = binary.BigEndian.AppendUint32(dst, 1)
	for k := off; k < off+n; k++ {
		if !v.Child.Valid(k) {
			dst = binary.BigEndian.AppendUint32(dst, 0xffffffff)
			continue
		}
		b := v.Child.Bytes(k)
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(b)))
		dst = append(dst, b...)
	}
	return dst
}
