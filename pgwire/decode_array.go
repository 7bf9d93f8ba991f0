package pgwire

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tpserver/tpserver/pgwire/pgtext"
)

// Array parameters reach DuckDB as text in DuckDB's list syntax
// (["a b", NULL]), which DuckDB casts to the parameter's list type: the
// driver cannot bind a Go slice holding NULLs. Their elements are first
// read as PostgreSQL reads them (text or binary) and normalized where
// DuckDB's input differs from PostgreSQL's (booleans, bytea, integers).

// arrayElemOIDs maps a PostgreSQL array type to its element type.
var arrayElemOIDs = func() map[uint32]uint32 {
	m := map[uint32]uint32{oidBpcharArray: oidBpchar, oidJSONBArray: oidJSONB}
	for oid, t := range pgTypes {
		if t.arrayOID != 0 {
			m[t.arrayOID] = oid
		}
	}
	return m
}()

// decodeTextArray reads a text-format array parameter whose elements are
// of type elem.
func decodeTextArray(elem uint32, s string) (string, error) {
	arr, err := pgtext.ParseArray(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := appendDuckList(&b, elem, arr); err != nil {
		return "", err
	}
	return b.String(), nil
}

func appendDuckList(b *strings.Builder, elem uint32, arr pgtext.Array) error {
	b.WriteByte('[')
	for i, e := range arr {
		if i > 0 {
			b.WriteString(", ")
		}
		switch x := e.(type) {
		case pgtext.Array:
			if err := appendDuckList(b, elem, x); err != nil {
				return err
			}
		case *string:
			if x == nil {
				b.WriteString("NULL")
				continue
			}
			v, err := duckElemText(elem, *x)
			if err != nil {
				return err
			}
			appendDuckQuoted(b, v)
		}
	}
	b.WriteByte(']')
	return nil
}

// appendDuckQuoted writes a list element DuckDB reads back unchanged.
func appendDuckQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

// duckElemText converts an element's PostgreSQL text to the text DuckDB
// casts to the same value.
func duckElemText(elem uint32, s string) (string, error) {
	switch elem {
	case oidBool:
		v, err := pgtext.ParseBool(s)
		return strconv.FormatBool(v), err
	case oidInt2, oidInt4, oidInt8:
		n, err := pgtext.ParseInt(s, intBits(elem))
		return strconv.FormatInt(n, 10), err
	case oidFloat4, oidFloat8:
		f, err := pgtext.ParseFloat(s)
		return duckFloat(f), err
	case oidBytea:
		v, err := pgtext.ParseBytea(s)
		return duckBlobText(v), err
	case oidInterval:
		if iv, err := pgtext.ParseInterval(s); err == nil {
			return iv.String(), nil
		}
	case oidDate, oidTimestamp, oidTimestampTZ, oidTime:
		if v, special := pgtext.NormalizeDateTime(s, dateTimeKinds[elem]); special == "" {
			return v, nil
		}
	}
	return s, nil
}

func intBits(oid uint32) int {
	switch oid {
	case oidInt2:
		return 16
	case oidInt4:
		return 32
	}
	return 64
}

// duckFloat renders a float the way DuckDB's text input reads it back.
func duckFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// duckBlobText renders bytes as DuckDB's BLOB text input (\xHH escapes).
func duckBlobText(v []byte) string {
	var b strings.Builder
	for _, c := range v {
		fmt.Fprintf(&b, `\x%02X`, c)
	}
	return b.String()
}

// decodeBinaryArray reads a binary-format array parameter (PostgreSQL's
// array_send: ndim, has-null flag, element oid, per dimension its size and
// lower bound, then each element as length and bytes, -1 for NULL).
func (e *encoder) decodeBinaryArray(raw []byte) (string, error) {
	rd := func(n int) ([]byte, error) {
		if len(raw) < n {
			return nil, fmt.Errorf("insufficient data left in message")
		}
		b := raw[:n]
		raw = raw[n:]
		return b, nil
	}
	hdr, err := rd(12)
	if err != nil {
		return "", err
	}
	ndim := int32(binary.BigEndian.Uint32(hdr))
	elem := binary.BigEndian.Uint32(hdr[8:])
	if ndim < 0 || ndim > 6 {
		return "", fmt.Errorf("invalid number of dimensions: %d", ndim)
	}
	if ndim == 0 {
		return "[]", nil
	}
	dims := make([]int, ndim)
	for i := range dims {
		d, err := rd(8)
		if err != nil {
			return "", err
		}
		n := int32(binary.BigEndian.Uint32(d))
		if n < 0 {
			return "", fmt.Errorf("invalid array dimension %d", n)
		}
		dims[i] = int(n)
	}
	var b strings.Builder
	var walk func(level int) error
	walk = func(level int) error {
		b.WriteByte('[')
		for i := 0; i < dims[level]; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			if level+1 < len(dims) {
				if err := walk(level + 1); err != nil {
					return err
				}
				continue
			}
			l, err := rd(4)
			if err != nil {
				return err
			}
			n := int32(binary.BigEndian.Uint32(l))
			if n < 0 {
				b.WriteString("NULL")
				continue
			}
			v, err := rd(int(n))
			if err != nil {
				return err
			}
			s, err := e.binaryElemText(elem, v)
			if err != nil {
				return err
			}
			appendDuckQuoted(&b, s)
		}
		b.WriteByte(']')
		return nil
	}
	if err := walk(0); err != nil {
		return "", err
	}
	if len(raw) != 0 {
		return "", fmt.Errorf("incorrect binary data format in array")
	}
	return b.String(), nil
}

// binaryElemText converts a binary array element to the text DuckDB casts
// to its value.
func (e *encoder) binaryElemText(elem uint32, raw []byte) (string, error) {
	v, err := e.decodeBinaryParam(elem, raw)
	if err != nil {
		return "", err
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return duckBlobText(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return duckFloat(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case time.Time:
		switch elem {
		case oidDate:
			return x.Format("2006-01-02"), nil
		case oidTimestampTZ:
			return x.Format("2006-01-02 15:04:05.999999-07:00"), nil
		}
		return x.Format("2006-01-02 15:04:05.999999"), nil
	}
	return fmt.Sprint(v), nil
}
