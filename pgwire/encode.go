package pgwire

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgtype"
)

// encoder renders DuckDB values (as returned by duckdb-go through database/sql)
// in PostgreSQL wire formats. One encoder belongs to one session.
type encoder struct {
	loc          *time.Location // session TimeZone
	tmap         *pgtype.Map    // binary codecs
	floatDigits  int            // extra_float_digits
	isoIntervals bool           // IntervalStyle iso_8601
	scratch      []byte         // array element scratch, reused from row to row
}

func newEncoder(loc *time.Location) *encoder {
	return &encoder{loc: loc, tmap: pgtype.NewMap(), floatDigits: 1}
}

// appendFloat renders a float honouring extra_float_digits: above 0 the
// shortest exact form (PostgreSQL 12+), else %g with 15 (float8) or 6
// (float4) plus extra_float_digits significant digits.
func (e *encoder) appendFloat(dst []byte, f float64, bits int) []byte {
	if e.floatDigits > 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return appendFloat(dst, f, bits)
	}
	prec := 15
	if bits == 32 {
		prec = 6
	}
	prec = max(prec+e.floatDigits, 1)
	return strconv.AppendFloat(dst, f, 'g', prec, bits)
}

// appendText appends the PostgreSQL text form of v (not NULL) to dst.
func (e *encoder) appendText(dst []byte, ct *colType, v any) ([]byte, error) {
	switch ct.kind {
	case kindJSON:
		if s, ok := v.(string); ok {
			return append(dst, s...), nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			return dst, fmt.Errorf("encode json value: %w", err)
		}
		return append(dst, b...), nil
	case kindNested:
		if s, ok := v.(string); ok { // already converted with to_json by the query rewrite
			return append(dst, s...), nil
		}
		return e.appendJSON(dst, ct, v)
	case kindArray:
		return e.appendArray(dst, ct, v)
	}
	return e.appendScalar(dst, ct, v)
}

// appendScalar renders scalar values.
func (e *encoder) appendScalar(dst []byte, ct *colType, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return append(dst, x...), nil
	case bool:
		if x {
			return append(dst, 't'), nil
		}
		return append(dst, 'f'), nil
	case int8:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int16:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int32:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case uint8:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint16:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint32:
		return strconv.AppendUint(dst, uint64(x), 10), nil
	case uint64:
		return strconv.AppendUint(dst, x, 10), nil
	case *big.Int:
		return x.Append(dst, 10), nil
	case float32:
		return e.appendFloat(dst, float64(x), 32), nil
	case float64:
		return e.appendFloat(dst, x, 64), nil
	case duckdb.Decimal:
		return appendDecimal(dst, x), nil
	case duckdb.Interval:
		if e.isoIntervals {
			return appendISOInterval(dst, x), nil
		}
		return appendInterval(dst, x), nil
	case []byte:
		if ct.duck == duckdb.TYPE_UUID && len(x) == 16 {
			return appendUUID(dst, x), nil
		}
		dst = append(dst, '\\', 'x')
		return hex.AppendEncode(dst, x), nil
	case duckdb.UUID:
		return appendUUID(dst, x[:]), nil
	case time.Time:
		return e.appendTime(dst, ct, x), nil
	case fmt.Stringer:
		return append(dst, x.String()...), nil
	}
	return fmt.Appendf(dst, "%v", v), nil
}

func appendUUID(dst, u []byte) []byte {
	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:], u[10:16])
	return append(dst, buf[:]...)
}

// appendFloat renders floats like PostgreSQL (extra_float_digits = 1): the
// shortest exact representation, exponent form outside [1e-4, 1e15) (1e6 for float4).
func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	limit := 15
	if bits == 32 {
		limit = 6
	}
	// The decimal exponent comes from the shortest 'e' form.
	es := strconv.FormatFloat(f, 'e', -1, bits)
	if i := strings.LastIndexByte(es, 'e'); i >= 0 {
		exp, err := strconv.Atoi(es[i+1:])
		if err == nil && (exp < -4 || exp >= limit) {
			mant := es[:i]
			dst = append(dst, mant...)
			dst = append(dst, 'e')
			if exp < 0 {
				dst = append(dst, '-')
				exp = -exp
			} else {
				dst = append(dst, '+')
			}
			if exp < 10 {
				dst = append(dst, '0')
			}
			return strconv.AppendInt(dst, int64(exp), 10)
		}
	}
	return strconv.AppendFloat(dst, f, 'f', -1, bits)
}

// appendDecimal renders a DECIMAL with exactly Scale fractional digits.
func appendDecimal(dst []byte, d duckdb.Decimal) []byte {
	if d.Value == nil {
		return append(dst, '0')
	}
	s := d.Value.String()
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
		dst = append(dst, '-')
	}
	scale := int(d.Scale)
	if scale == 0 {
		return append(dst, s...)
	}
	if len(s) <= scale {
		s = strings.Repeat("0", scale-len(s)+1) + s
	}
	dst = append(dst, s[:len(s)-scale]...)
	dst = append(dst, '.')
	return append(dst, s[len(s)-scale:]...)
}

// appendInterval renders an interval in IntervalStyle postgres.
func appendInterval(dst []byte, iv duckdb.Interval) []byte {
	years, mons := iv.Months/12, iv.Months%12
	start := len(dst)
	negSeen := false
	field := func(n int64, unit string) {
		if n == 0 {
			return
		}
		if len(dst) > start {
			dst = append(dst, ' ')
		}
		if negSeen && n > 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, n, 10)
		dst = append(dst, ' ')
		dst = append(dst, unit...)
		if n != 1 { // PostgreSQL: "1 day" but "-1 days"
			if unit == "mon" || unit == "year" || unit == "day" {
				dst = append(dst, 's')
			}
		}
		if n < 0 {
			negSeen = true
		}
	}
	field(int64(years), "year")
	field(int64(mons), "mon")
	field(int64(iv.Days), "day")
	if iv.Micros == 0 && len(dst) > start {
		return dst
	}
	if len(dst) > start {
		dst = append(dst, ' ')
	}
	us := iv.Micros
	if us < 0 {
		dst = append(dst, '-')
		us = -us
	} else if negSeen {
		dst = append(dst, '+')
	}
	h := us / 3_600_000_000
	us -= h * 3_600_000_000
	m := us / 60_000_000
	us -= m * 60_000_000
	sec := us / 1_000_000
	us -= sec * 1_000_000
	if h < 10 {
		dst = append(dst, '0')
	}
	dst = strconv.AppendInt(dst, h, 10)
	dst = append2(append(dst, ':'), int(m))
	dst = append2(append(dst, ':'), int(sec))
	return appendMicros(dst, us)
}

// appendISOInterval renders an interval in IntervalStyle iso_8601
// (P1Y2M3DT4H5M6.5S, PT0S for zero).
func appendISOInterval(dst []byte, iv duckdb.Interval) []byte {
	if iv.Months == 0 && iv.Days == 0 && iv.Micros == 0 {
		return append(dst, "PT0S"...)
	}
	dst = append(dst, 'P')
	unit := func(n int64, u byte) {
		if n != 0 {
			dst = strconv.AppendInt(dst, n, 10)
			dst = append(dst, u)
		}
	}
	unit(int64(iv.Months/12), 'Y')
	unit(int64(iv.Months%12), 'M')
	unit(int64(iv.Days), 'D')
	if iv.Micros != 0 {
		dst = append(dst, 'T')
		us := iv.Micros
		neg := us < 0
		if neg {
			us = -us
		}
		h, m := us/3_600_000_000, (us/60_000_000)%60
		sec, frac := (us/1_000_000)%60, us%1_000_000
		sign := func() {
			if neg {
				dst = append(dst, '-')
			}
		}
		if h != 0 {
			sign()
			unit(h, 'H')
		}
		if m != 0 {
			sign()
			unit(m, 'M')
		}
		if sec != 0 || frac != 0 {
			sign()
			dst = strconv.AppendInt(dst, sec, 10)
			dst = appendMicros(dst, frac)
			dst = append(dst, 'S')
		}
	}
	return dst
}

// appendMicros appends ".ffffff" without trailing zeros, or nothing.
func appendMicros(dst []byte, us int64) []byte {
	if us == 0 {
		return dst
	}
	width := 6
	for us%10 == 0 {
		us /= 10
		width--
	}
	return appendPadded(append(dst, '.'), us, width)
}

// infinity reports whether a DATE or TIMESTAMP value is DuckDB's infinity
// (+1) or -infinity (-1), which duckdb-go hands over as far-away times.
func infinity(ct *colType, t time.Time) int {
	switch ct.duck {
	case duckdb.TYPE_DATE:
		days := t.Unix() / 86400
		if days >= math.MaxInt32 {
			return 1
		}
		if days <= -math.MaxInt32 {
			return -1
		}
	case duckdb.TYPE_TIMESTAMP, duckdb.TYPE_TIMESTAMP_TZ, duckdb.TYPE_TIMESTAMP_MS, duckdb.TYPE_TIMESTAMP_S, duckdb.TYPE_TIMESTAMP_NS:
		// After year 200000 or before -200000, by the Unix time (cheaper
		// than the year).
		if sec := t.Unix(); sec >= maxFiniteMicros/1_000_000 {
			return 1
		} else if sec < minFiniteMicros/1_000_000 {
			return -1
		}
	}
	return 0
}

func (e *encoder) appendTime(dst []byte, ct *colType, t time.Time) []byte {
	switch infinity(ct, t) {
	case 1:
		return append(dst, "infinity"...)
	case -1:
		return append(dst, "-infinity"...)
	}
	switch ct.duck {
	case duckdb.TYPE_DATE:
		return appendDate(dst, t)
	case duckdb.TYPE_TIME:
		return appendClock(dst, t)
	case duckdb.TYPE_TIME_TZ:
		return appendOffset(appendClock(dst, t), t)
	case duckdb.TYPE_TIMESTAMP_TZ:
		t = t.In(e.loc)
		dst = append(appendDate(dst, t), ' ')
		return appendOffset(appendClock(dst, t), t)
	}
	dst = append(appendDate(dst, t), ' ')
	return appendClock(dst, t)
}

// appendClock appends t's time of day as hh:mm:ss[.ffffff].
func appendClock(dst []byte, t time.Time) []byte {
	h, m, sec := t.Clock()
	dst = append2(dst, h)
	dst = append2(append(dst, ':'), m)
	dst = append2(append(dst, ':'), sec)
	return appendMicros(dst, int64(t.Nanosecond()/1000))
}

// append2 appends n (0 <= n) with at least two digits.
func append2(dst []byte, n int) []byte {
	if n < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(n), 10)
}

// appendPadded appends n (0 <= n) with at least width digits.
func appendPadded(dst []byte, n int64, width int) []byte {
	var buf [20]byte
	d := strconv.AppendInt(buf[:0], n, 10)
	for i := len(d); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, d...)
}

func appendDate(dst []byte, t time.Time) []byte {
	y, month, day := t.Date()
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	dst = appendPadded(dst, int64(y), 4)
	dst = append2(append(dst, '-'), int(month))
	dst = append2(append(dst, '-'), day)
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendOffset appends a PostgreSQL zone offset: +00, -05, +05:30.
func appendOffset(dst []byte, t time.Time) []byte {
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	dst = append2(append(dst, sign), off/3600)
	if m := (off % 3600) / 60; m != 0 || off%60 != 0 {
		dst = append2(append(dst, ':'), m)
		if s := off % 60; s != 0 {
			dst = append2(append(dst, ':'), s)
		}
	}
	return dst
}

// appendArray renders a LIST of scalars as a PostgreSQL array literal.
func (e *encoder) appendArray(dst []byte, ct *colType, v any) ([]byte, error) {
	list, ok := v.([]any)
	if !ok {
		return dst, fmt.Errorf("encode %s: unexpected Go value %T", ct, v)
	}
	dst = append(dst, '{')
	elem := e.scratch // taken while in use: elements may be arrays too
	e.scratch = nil
	defer func() { e.scratch = elem[:0] }()
	for i, x := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		if x == nil {
			dst = append(dst, "NULL"...)
			continue
		}
		var err error
		elem, err = e.appendText(elem[:0], ct.elem, x)
		if err != nil {
			return dst, err
		}
		dst = appendArrayElem(dst, elem)
	}
	return append(dst, '}'), nil
}

// appendArrayElem quotes an array element when PostgreSQL would.
func appendArrayElem(dst, s []byte) []byte {
	needQuote := len(s) == 0 || (len(s) == 4 && strings.EqualFold(string(s), "NULL"))
	for i := 0; i < len(s) && !needQuote; i++ {
		needQuote = arrayQuoted[s[i]]
	}
	if !needQuote {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for _, c := range s {
		if c == '"' || c == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

// arrayQuoted marks the bytes that make PostgreSQL quote an array element.
var arrayQuoted = [256]bool{',': true, '{': true, '}': true, '"': true, '\\': true, ' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true}

// appendJSON renders a nested value as JSON, keeping STRUCT field order from
// the column type. It is the fallback when the to_json query rewrite is not
// possible.
func (e *encoder) appendJSON(dst []byte, ct *colType, v any) ([]byte, error) {
	if v == nil {
		return append(dst, "null"...), nil
	}
	var err error
	switch ct.duck {
	case duckdb.TYPE_STRUCT:
		m, ok := v.(map[string]any)
		if !ok {
			break
		}
		dst = append(dst, '{')
		for i, f := range ct.fields {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, []byte(f.name))
			dst = append(dst, ':')
			if dst, err = e.appendJSON(dst, f.typ, m[f.name]); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case duckdb.TYPE_MAP:
		m, ok := v.(duckdb.OrderedMap)
		if !ok {
			break
		}
		keys, vals := m.Keys(), m.Values()
		dst = append(dst, '{')
		for i := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			kb, err := e.appendText(nil, ct.key, keys[i])
			if err != nil {
				return dst, err
			}
			dst = appendJSONString(dst, kb)
			dst = append(dst, ':')
			if dst, err = e.appendJSON(dst, ct.value, vals[i]); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case duckdb.TYPE_UNION:
		u, ok := v.(duckdb.Union)
		if !ok {
			break
		}
		dst = append(dst, '{')
		dst = appendJSONString(dst, []byte(u.Tag))
		dst = append(dst, ':')
		var mt *colType
		for _, f := range ct.fields {
			if f.name == u.Tag {
				mt = f.typ
			}
		}
		if mt == nil {
			mt = &colType{duck: duckdb.TYPE_VARCHAR}
			mt.resolve()
		}
		if dst, err = e.appendJSON(dst, mt, u.Value); err != nil {
			return dst, err
		}
		return append(dst, '}'), nil
	case duckdb.TYPE_LIST, duckdb.TYPE_ARRAY:
		list, ok := v.([]any)
		if !ok {
			break
		}
		dst = append(dst, '[')
		for i, x := range list {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = e.appendJSON(dst, ct.elem, x); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	}
	if ct.json {
		b, err := json.Marshal(v)
		if err != nil {
			return dst, fmt.Errorf("encode json value: %w", err)
		}
		return append(dst, b...), nil
	}
	switch x := v.(type) {
	case bool:
		return strconv.AppendBool(dst, x), nil
	case int8, int16, int32, int64, int, uint8, uint16, uint32, uint64, *big.Int, duckdb.Decimal:
		return e.appendScalar(dst, ct, x)
	case float32, float64:
		f, _ := x.(float64)
		if f32, ok := x.(float32); ok {
			f = float64(f32)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return appendJSONString(dst, appendFloat(nil, f, 64)), nil
		}
		return e.appendScalar(dst, ct, x)
	}
	s, err := e.appendScalar(nil, ct, v)
	if err != nil {
		return dst, err
	}
	return appendJSONString(dst, s), nil
}

// binarySupported reports whether a column can be sent in binary format.
func binarySupported(ct *colType) bool {
	switch ct.kind {
	case kindJSON, kindNested:
		return true
	case kindArray:
		return ct.elem.kind == kindScalar && (ct.elem.pg.binary || ct.elem.pg.oid == oidNumeric)
	}
	return ct.pg.binary || ct.pg.oid == oidNumeric
}

// appendBinary appends the PostgreSQL binary form of v using pgx's codecs.
func (e *encoder) appendBinary(dst []byte, ct *colType, v any) ([]byte, error) {
	switch ct.kind {
	case kindJSON, kindNested:
		// json's binary format is its text; jsonb's has a version byte first.
		if ct.pg.oid == jsonbTypeOID {
			dst = append(dst, 1)
		}
		return e.appendText(dst, ct, v)
	case kindArray:
		list, ok := v.([]any)
		if !ok {
			return dst, fmt.Errorf("encode %s: unexpected Go value %T", ct, v)
		}
		return e.appendArrayBinary(dst, ct, list)
	}
	if out, ok := appendBinaryFast(dst, ct, v); ok {
		return out, nil
	}
	if ct.pg.oid == oidNumeric {
		if unscaled, scale, ok := numericValue(v); ok {
			return appendNumericBinary(dst, unscaled, scale), nil
		}
	}
	bv, err := e.binaryValue(ct, v)
	if err != nil {
		return dst, err
	}
	out, err := e.tmap.Encode(ct.pg.oid, pgtype.BinaryFormatCode, bv, dst)
	if err != nil {
		return dst, fmt.Errorf("encode %s as binary: %w", ct.pg.name, err)
	}
	return out, nil
}

// appendBinaryFast appends the binary form of the commonest values (text,
// booleans, finite timestamps) without boxing them for pgx's codecs; ok is
// false for anything else.
func appendBinaryFast(dst []byte, ct *colType, v any) (out []byte, ok bool) {
	switch x := v.(type) {
	case string:
		if ct.pg.oid == oidText || ct.pg.oid == oidVarchar {
			return append(dst, x...), true
		}
	case bool:
		if ct.pg.oid == oidBool {
			if x {
				return append(dst, 1), true
			}
			return append(dst, 0), true
		}
	case time.Time:
		// Microseconds since 2000-01-01 00:00:00 UTC; a timestamp without
		// time zone counts its wall clock, which duckdb-go hands over in UTC.
		if (ct.pg.oid == oidTimestamp || ct.pg.oid == oidTimestampTZ) && infinity(ct, x) == 0 {
			if ct.pg.oid == oidTimestamp && x.Location() != time.UTC {
				return dst, false
			}
			return binary.BigEndian.AppendUint64(dst, uint64(x.UnixMicro()-y2kMicros)), true
		}
	}
	return dst, false
}

// y2kMicros is 2000-01-01 00:00:00 UTC, PostgreSQL's epoch, in Unix microseconds.
const y2kMicros = 946_684_800_000_000

// binaryValue converts a duckdb-go value into one pgx's codec for the column's
// PostgreSQL type accepts.
func (e *encoder) binaryValue(ct *colType, v any) (any, error) {
	oid := ct.pg.oid
	switch x := v.(type) {
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		if oid == oidNumeric {
			return pgtype.Numeric{Int: new(big.Int).SetUint64(x), Valid: true}, nil
		}
	case *big.Int:
		return pgtype.Numeric{Int: x, Valid: true}, nil
	case duckdb.Decimal:
		i := x.Value
		if i == nil {
			i = new(big.Int)
		}
		return pgtype.Numeric{Int: i, Exp: -int32(x.Scale), Valid: true}, nil
	case []byte:
		if oid == oidUUID && len(x) == 16 {
			var u [16]byte
			copy(u[:], x)
			return u, nil
		}
	case duckdb.Interval:
		return pgtype.Interval{Microseconds: x.Micros, Days: x.Days, Months: x.Months, Valid: true}, nil
	case time.Time:
		if inf := infinity(ct, x); inf != 0 {
			mod := pgtype.Infinity
			if inf < 0 {
				mod = pgtype.NegativeInfinity
			}
			switch oid {
			case oidDate:
				return pgtype.Date{InfinityModifier: mod, Valid: true}, nil
			case oidTimestamp:
				return pgtype.Timestamp{InfinityModifier: mod, Valid: true}, nil
			case oidTimestampTZ:
				return pgtype.Timestamptz{InfinityModifier: mod, Valid: true}, nil
			}
		}
		switch oid {
		case oidTime:
			us := int64(x.Hour())*3_600_000_000 + int64(x.Minute())*60_000_000 + int64(x.Second())*1_000_000 + int64(x.Nanosecond()/1000)
			return pgtype.Time{Microseconds: us, Valid: true}, nil
		case oidTimestampTZ:
			return x.In(e.loc), nil
		}
	case string:
		if oid != oidText && oid != oidVarchar {
			// Values DuckDB renders as text (ENUM, BIT) have no binary form here.
			return nil, fmt.Errorf("binary format not supported for %s", ct.pg.name)
		}
	}
	return v, nil
}
