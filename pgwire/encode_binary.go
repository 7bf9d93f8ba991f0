package pgwire

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Binary encodings written byte for byte as PostgreSQL's send functions
// write them, where pgx's codecs (which decode both forms) encode another
// way: numeric_send strips zero base-10000 digits, and array_send writes
// an empty array with no dimensions.

// numericValue returns the unscaled value and scale of a value of a
// numeric column; ok is false for a Go value that is not one.
func numericValue(v any) (unscaled *big.Int, scale int, ok bool) {
	switch x := v.(type) {
	case duckdb.Decimal:
		if x.Value == nil {
			return new(big.Int), int(x.Scale), true
		}
		return x.Value, int(x.Scale), true
	case *big.Int:
		return x, 0, true
	case uint64:
		return new(big.Int).SetUint64(x), 0, true
	case int64:
		return big.NewInt(x), 0, true
	}
	return nil, 0, false
}

// appendNumericBinary appends numeric_send's form of unscaled×10^-scale:
// ndigits, weight, sign and dscale (int16 each), then the base-10000
// digits without leading or trailing zero digits.
func appendNumericBinary(dst []byte, unscaled *big.Int, scale int) []byte {
	sign := uint16(0)
	s := unscaled.String()
	if strings.HasPrefix(s, "-") {
		sign, s = 0x4000, s[1:]
	}
	if len(s) <= scale {
		s = strings.Repeat("0", scale-len(s)+1) + s
	}
	intPart, frac := s[:len(s)-scale], s[len(s)-scale:]
	// Pad both parts to whole base-10000 digits around the decimal point.
	if r := len(intPart) % 4; r != 0 {
		intPart = strings.Repeat("0", 4-r) + intPart
	}
	if r := len(frac) % 4; r != 0 {
		frac += strings.Repeat("0", 4-r)
	}
	all := intPart + frac
	digits := make([]uint16, 0, len(all)/4)
	for i := 0; i < len(all); i += 4 {
		var d uint16
		for _, c := range all[i : i+4] {
			d = d*10 + uint16(c-'0')
		}
		digits = append(digits, d)
	}
	weight := len(intPart)/4 - 1
	for len(digits) > 0 && digits[0] == 0 {
		digits = digits[1:]
		weight--
	}
	for len(digits) > 0 && digits[len(digits)-1] == 0 {
		digits = digits[:len(digits)-1]
	}
	if len(digits) == 0 {
		weight, sign = 0, 0
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(digits)))
	dst = binary.BigEndian.AppendUint16(dst, uint16(int16(weight)))
	dst = binary.BigEndian.AppendUint16(dst, sign)
	dst = binary.BigEndian.AppendUint16(dst, uint16(scale))
	for _, d := range digits {
		dst = binary.BigEndian.AppendUint16(dst, d)
	}
	return dst
}

// appendArrayBinary appends array_send's form of a one-dimensional list:
// ndim, has-null flag, element oid, size and lower bound 1, then each
// element as its length (-1 for NULL) and binary form. An empty list has
// no dimensions.
func (e *encoder) appendArrayBinary(dst []byte, ct *colType, list []any) ([]byte, error) {
	hasNull := uint32(0)
	for _, x := range list {
		if x == nil {
			hasNull = 1
		}
	}
	ndim := uint32(1)
	if len(list) == 0 {
		ndim = 0
	}
	dst = binary.BigEndian.AppendUint32(dst, ndim)
	dst = binary.BigEndian.AppendUint32(dst, hasNull)
	dst = binary.BigEndian.AppendUint32(dst, ct.elem.pg.oid)
	if ndim == 0 {
		return dst, nil
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(list)))
	dst = binary.BigEndian.AppendUint32(dst, 1)
	for _, x := range list {
		if x == nil {
			dst = binary.BigEndian.AppendUint32(dst, 0xffffffff)
			continue
		}
		at := len(dst)
		dst = append(dst, 0, 0, 0, 0)
		var err error
		if dst, err = e.appendBinary(dst, ct.elem, x); err != nil {
			return dst, fmt.Errorf("array element: %w", err)
		}
		binary.BigEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
	}
	return dst, nil
}
