package pgwire

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/tpserver/tpserver/pgwire/pgtext"
)

// resolveFormats expands Bind result format codes to one per column.
func resolveFormats(st *statement, codes []int16) ([]int16, error) {
	out := make([]int16, len(st.cols))
	switch {
	case len(codes) == 0:
	case len(codes) == 1:
		for i := range out {
			out[i] = codes[0]
		}
	case len(codes) == len(out):
		copy(out, codes)
	default:
		return nil, newError(codeProtocolViolation, "bind message has %d result formats but query has %d columns", len(codes), len(out))
	}
	for i, f := range out {
		switch f {
		case pgtype.TextFormatCode:
		case pgtype.BinaryFormatCode:
			if !binarySupported(st.cols[i].typ) {
				return nil, newError(codeFeatureNotSupported, "binary output format is not supported for column %q of type %s", st.cols[i].name, st.cols[i].typ.pg.name)
			}
		default:
			return nil, newError(codeProtocolViolation, "unsupported format code: %d", f)
		}
	}
	return out, nil
}

// decodeParams converts Bind parameter values to Go values for database/sql.
func (e *encoder) decodeParams(st *statement, formats []int16, values [][]byte) ([]any, error) {
	if len(values) != len(st.paramOIDs) {
		return nil, newError(codeProtocolViolation, "bind message supplies %d parameters, but prepared statement %q requires %d", len(values), st.name, len(st.paramOIDs))
	}
	if len(formats) > 1 && len(formats) != len(values) {
		return nil, newError(codeProtocolViolation, "bind message has %d parameter formats but %d parameters", len(formats), len(values))
	}
	args := make([]any, len(values))
	for i, raw := range values {
		if raw == nil {
			continue
		}
		var f int16
		switch {
		case len(formats) == 1:
			f = formats[0]
		case len(formats) > 1:
			f = formats[i]
		}
		oid := st.paramOIDs[i]
		var err error
		switch {
		case f == pgtype.BinaryFormatCode:
			args[i], err = e.decodeBinaryParam(oid, raw)
		case i < len(st.paramDuck) && unresolvedParam(st.paramDuck[i]) && oid == oidText:
			args[i] = guessTextParam(string(raw))
		default:
			args[i], err = decodeTextParam(oid, string(raw), e.loc)
		}
		if err != nil {
			return nil, newError(codeInvalidText, "invalid value for parameter $%d: %v", i+1, err)
		}
	}
	return args, nil
}

// unresolvedParam reports whether DuckDB could not infer a parameter's type.
func unresolvedParam(t duckdb.Type) bool {
	return t == duckdb.TYPE_INVALID || t == duckdb.TYPE_ANY || t == duckdb.TYPE_SQLNULL
}

// guessTextParam types a text parameter whose type neither the client nor
// DuckDB determined (PostgreSQL would infer it from context, e.g. the int
// in "col + $1"): integers and decimals are passed as numbers so DuckDB
// resolves the operator, anything else as a string for DuckDB to cast.
func guessTextParam(s string) any {
	t := strings.TrimSpace(s)
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && !strings.ContainsAny(t, "nNiI") {
		return f
	}
	return s
}

// decodeTextParam converts a text-format parameter as PostgreSQL's input
// function for its type reads it. Numbers and booleans are converted so
// DuckDB sees a typed value even when it could not infer the parameter
// type; bytea becomes bytes, arrays DuckDB list text (decode_array.go),
// dates and times ISO text (or, for 'now' and 'today', the time in the
// session's zone loc); everything else is passed as a string for DuckDB
// to cast.
func decodeTextParam(oid uint32, s string, loc *time.Location) (any, error) {
	switch oid {
	case oidInt2, oidInt4, oidInt8:
		return pgtext.ParseInt(s, intBits(oid))
	case oidFloat4, oidFloat8:
		return pgtext.ParseFloat(s)
	case oidBool:
		return pgtext.ParseBool(s)
	case oidBytea:
		return pgtext.ParseBytea(s)
	case oidInterval:
		if iv, err := pgtext.ParseInterval(s); err == nil {
			return iv.String(), nil
		}
		return s, nil // DuckDB's input may still read it, or rejects it
	case oidDate, oidTimestamp, oidTimestampTZ, oidTime:
		kind := dateTimeKinds[oid]
		v, special := pgtext.NormalizeDateTime(s, kind)
		if special == "" {
			return v, nil
		}
		return specialDateTime(special, kind, time.Now().In(loc)), nil
	}
	if elem, ok := arrayElemOIDs[oid]; ok {
		return decodeTextArray(elem, s)
	}
	return s, nil
}

// decodeBinaryParam converts a binary-format parameter using pgx's codecs.
func (e *encoder) decodeBinaryParam(oid uint32, raw []byte) (any, error) {
	switch oid {
	case oidInt2:
		if len(raw) != 2 {
			return nil, fmt.Errorf("invalid int2 length %d", len(raw))
		}
		return int64(int16(binary.BigEndian.Uint16(raw))), nil
	case oidInt4:
		if len(raw) != 4 {
			return nil, fmt.Errorf("invalid int4 length %d", len(raw))
		}
		return int64(int32(binary.BigEndian.Uint32(raw))), nil
	case oidInt8:
		switch len(raw) {
		case 8:
			return int64(binary.BigEndian.Uint64(raw)), nil
		case 4:
			// A 4-byte oid bound where the server announced int8 (the emulated
			// catalog's oid columns are BIGINT): its value is the same.
			return int64(binary.BigEndian.Uint32(raw)), nil
		}
		return nil, fmt.Errorf("invalid int8 length %d", len(raw))
	case oidFloat4:
		if len(raw) != 4 {
			return nil, fmt.Errorf("invalid float4 length %d", len(raw))
		}
		return float64(math.Float32frombits(binary.BigEndian.Uint32(raw))), nil
	case oidFloat8:
		if len(raw) != 8 {
			return nil, fmt.Errorf("invalid float8 length %d", len(raw))
		}
		return math.Float64frombits(binary.BigEndian.Uint64(raw)), nil
	case oidBool:
		if len(raw) != 1 {
			return nil, fmt.Errorf("invalid bool length %d", len(raw))
		}
		return raw[0] != 0, nil
	case oidBytea:
		return append([]byte(nil), raw...), nil
	case oidUUID:
		if len(raw) != 16 {
			return nil, fmt.Errorf("invalid uuid length %d", len(raw))
		}
		return string(appendUUID(nil, raw)), nil
	case oidText, oidVarchar, oidBpchar, oidJSON:
		return string(raw), nil
	case oidJSONB:
		// jsonb_send: a version byte (1), then the text.
		if len(raw) == 0 || raw[0] != 1 {
			return nil, fmt.Errorf("unsupported jsonb version number")
		}
		return string(raw[1:]), nil
	}
	if _, ok := arrayElemOIDs[oid]; ok {
		return e.decodeBinaryArray(raw)
	}
	t, ok := e.tmap.TypeForOID(oid)
	if !ok {
		return nil, fmt.Errorf("binary format not supported for parameter type OID %d", oid)
	}
	v, err := t.Codec.DecodeValue(e.tmap, oid, pgtype.BinaryFormatCode, raw)
	if err != nil {
		return nil, fmt.Errorf("decode binary %s: %w", t.Name, err)
	}
	if dv, ok := v.(driver.Valuer); ok {
		return dv.Value()
	}
	return v, nil
}

// dateTimeKinds maps the date/time types to pgtext's kinds.
var dateTimeKinds = map[uint32]pgtext.DateTimeKind{
	oidDate: pgtext.Date, oidTimestamp: pgtext.Timestamp, oidTimestampTZ: pgtext.TimestampTZ, oidTime: pgtext.Time,
}

// specialDateTime is the text of 'now', 'today', 'tomorrow' or
// 'yesterday' read at now (in the session's zone).
func specialDateTime(sp pgtext.Special, kind pgtext.DateTimeKind, now time.Time) string {
	if sp != pgtext.Now {
		day := map[pgtext.Special]int{pgtext.Today: 0, pgtext.Tomorrow: 1, pgtext.Yesterday: -1}[sp]
		y, m, d := now.Date()
		now = time.Date(y, m, d+day, 0, 0, 0, 0, now.Location())
	}
	switch kind {
	case pgtext.Date:
		return now.Format("2006-01-02")
	case pgtext.Time:
		return now.Format("15:04:05.999999")
	case pgtext.Timestamp:
		return now.Format("2006-01-02 15:04:05.999999")
	}
	return now.Format("2006-01-02 15:04:05.999999-07:00")
}
