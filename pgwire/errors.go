package pgwire

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgproto3"
)

// SQLSTATE codes used by the server.
const (
	codeSyntaxError            = "42601"
	codeUndefinedColumn        = "42703"
	codeUndefinedTable         = "42P01"
	codeUndefinedFunction      = "42883"
	codeUndefinedObject        = "42704"
	codeDuplicateObject        = "42P07"
	codeDatatypeMismatch       = "42804"
	codeAmbiguousColumn        = "42702"
	codeGroupingError          = "42803"
	codeAccessRule             = "42000"
	codeInvalidText            = "22P02"
	codeNumericRange           = "22003"
	codeDivisionByZero         = "22012"
	codeDataException          = "22000"
	codeInvalidParamValue      = "22023"
	codeIntegrity              = "23000"
	codeNotNull                = "23502"
	codeForeignKey             = "23503"
	codeUnique                 = "23505"
	codeCheck                  = "23514"
	codeQueryCanceled          = "57014"
	codeFeatureNotSupported    = "0A000"
	codeProtocolViolation      = "08P01"
	codeInvalidAuth            = "28000"
	codeInternal               = "XX000"
	codeInvalidSchema          = "3F000"
	codeInvalidCatalog         = "3D000"
	codeInFailedTx             = "25P02"
	codeActiveTx               = "25001"
	codeNoActiveTx             = "25P01"
	codeSerialization          = "40001"
	codeInsufficientPriv       = "42501"
	codeIndeterminateType      = "42P18"
	codeOutOfMemory            = "53200"
	codeIOError                = "58030"
	codeDependentObjects       = "2BP01"
	codeInvalidPrepStmt        = "26000"
	codeInvalidCursor          = "34000"
	codeCantChangeRuntimeParam = "55P02"
)

// pgError is an error that is reported to the client as an ErrorResponse.
type pgError struct {
	Severity string // ERROR or FATAL
	Code     string
	Message  string
	Detail   string
	Hint     string
	Position int32 // 1-based character offset into the query text, 0 if unknown
	cause    error
}

func (e *pgError) Error() string { return e.Code + ": " + e.Message }
func (e *pgError) Unwrap() error { return e.cause }

func newError(code, format string, args ...any) *pgError {
	return &pgError{Severity: "ERROR", Code: code, Message: fmt.Sprintf(format, args...)}
}

// withHint sets the hint and returns e.
func (e *pgError) withHint(h string) *pgError {
	e.Hint = h
	return e
}

func (e *pgError) toMessage() *pgproto3.ErrorResponse {
	sev := e.Severity
	if sev == "" {
		sev = "ERROR"
	}
	return &pgproto3.ErrorResponse{
		Severity:            sev,
		SeverityUnlocalized: sev,
		Code:                e.Code,
		Message:             e.Message,
		Detail:              e.Detail,
		Hint:                e.Hint,
		Position:            e.Position,
	}
}

// toPgError converts any error from the engine or this package into a pgError.
// query is the statement text the error refers to (for the error position).
func toPgError(err error, query string) *pgError {
	var pe *pgError
	if errors.As(err, &pe) {
		return pe
	}
	var de *duckdb.Error
	if errors.As(err, &de) {
		return fromDuckDBError(de, query)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &pgError{Severity: "ERROR", Code: codeQueryCanceled, Message: "canceling statement due to user request", cause: err}
	}
	msg := err.Error()
	// Errors raised by duckdb-go itself (binding, unsupported values) rather than the engine.
	code := codeInternal
	switch {
	case strings.Contains(msg, "could not bind") || strings.Contains(msg, "unsupported data type") ||
		strings.Contains(msg, "cast error") || strings.Contains(msg, "conversion error"):
		code = codeInvalidParamValue
	case strings.Contains(msg, "Error: "):
		// An engine message that was not typed (prefix unknown to duckdb-go).
		code = codeAccessRule
	}
	return &pgError{Severity: "ERROR", Code: code, Message: msg, cause: err}
}

// fromDuckDBError maps a DuckDB exception to a SQLSTATE, strips DuckDB's
// "<Kind> Error: " prefix, moves "Did you mean" into the hint and turns the
// "LINE n: ..." caret into a position.
func fromDuckDBError(de *duckdb.Error, query string) *pgError {
	msg := de.Msg
	if prefix, rest, ok := strings.Cut(msg, ": "); ok && strings.HasSuffix(prefix, "Error") && !strings.Contains(prefix, "\n") {
		msg = rest
	}
	pe := &pgError{Severity: "ERROR", cause: de}
	main, lineInfo, _ := strings.Cut(msg, "\n\nLINE ")
	if lineInfo != "" {
		pe.Position = caretPosition("LINE "+lineInfo, query)
	}
	lines := strings.Split(main, "\n")
	var msgLines []string
	for _, l := range lines {
		if strings.HasPrefix(l, "Did you mean") || strings.HasPrefix(l, "Candidate bindings") {
			if pe.Hint != "" {
				pe.Hint += "\n"
			}
			pe.Hint += strings.TrimSpace(l)
			continue
		}
		msgLines = append(msgLines, l)
	}
	pe.Message = strings.TrimSpace(strings.Join(msgLines, "\n"))
	if code, msg, ok := postgresDataError(de.Type, pe.Message); ok {
		pe.Code, pe.Message = code, msg
		return pe
	}
	pe.Code = sqlstateFor(de.Type, pe.Message)
	return pe
}

// Data exceptions PostgreSQL raises with a SQLSTATE of its own.
const (
	codeInvalidDatetimeFormat = "22007"
	codeDatetimeFieldOverflow = "22008"
	codeInvalidEscapeSequence = "22025"
)

// duckdbTypeNames are PostgreSQL's names of DuckDB's internal type names,
// as its conversion and overflow messages spell them.
var duckdbTypeNames = map[string]string{
	"INT16": "smallint", "INT32": "integer", "INT64": "bigint", "INT8": "tinyint", "INT128": "hugeint",
	"SMALLINT": "smallint", "INTEGER": "integer", "BIGINT": "bigint",
	"FLOAT": "real", "DOUBLE": "double precision", "BOOL": "boolean", "BOOLEAN": "boolean",
	"UUID": "uuid", "DATE": "date", "TIME": "time without time zone", "TIMESTAMP": "timestamp without time zone",
	"TIMESTAMP WITH TIME ZONE": "timestamp with time zone", "INTERVAL": "interval", "BLOB": "bytea",
}

// postgresTypeName returns PostgreSQL's name of a DuckDB type name;
// DECIMAL(p,s) is numeric.
func postgresTypeName(t string) string {
	if n, ok := duckdbTypeNames[t]; ok {
		return n
	}
	if strings.HasPrefix(t, "DECIMAL") {
		return "numeric"
	}
	return strings.ToLower(t)
}

var (
	// Conversion Error: Could not convert string 'abc' to INT32
	reConvertString = regexp.MustCompile(`^Could not convert string ['"](.*)['"] to ([A-Z0-9_ ]+(?:\(\d+,\d+\))?)$`)
	// Out of Range Error: Overflow in addition of INT32 (2147483647 + 1)!
	reOverflow = regexp.MustCompile(`^Overflow in \w+ of ([A-Z0-9]+) `)
	// Conversion Error: Type INT32 with value 70000 can't be cast because
	// the value is out of range for the destination type INT16
	reCastRange = regexp.MustCompile(`out of range for the destination type ([A-Z0-9]+)`)
	// Conversion Error: invalid date field format: "foo", expected format is (YYYY-MM-DD)
	reDatetimeFormat = regexp.MustCompile(`^invalid (date|time|timestamp|timestamptz) field format: "(.*)"`)
	// Conversion Error: date field value out of range: "2020-13-45"
	reDatetimeRange = regexp.MustCompile(`^(?:date|time|timestamp|timestamptz) field value out of range: "(.*?)"`)
	reInteger       = regexp.MustCompile(`^\s*[-+]?\d+\s*$`)
)

// messageCodes are DuckDB messages, by their start, of errors PostgreSQL
// raises with a SQLSTATE of its own, with PostgreSQL's message when DuckDB's
// carries nothing more ("" keeps DuckDB's).
var messageCodes = []struct{ prefix, code, message string }{
	{"cannot take square root of a negative number", "2201F", "cannot take square root of a negative number"},
	{"cannot take logarithm of zero", "2201E", "cannot take logarithm of zero"},
	{"cannot take logarithm of a negative number", "2201E", "cannot take logarithm of a negative number"},
	{"Argument for ntile must be greater than zero", "22014", "argument of ntile must be greater than zero"},
	{"More than one row returned by a subquery used as an expression", "21000", "more than one row returned by a subquery used as an expression"},
	{"PERCENTILEs can only take parameters in the range [0, 1]", codeNumericRange, ""},
	{"extract specifier", codeInvalidParamValue, ""},
	{"Unimplemented type for cast", "42846", ""},
	{"Cannot concatenate lists of types", codeUndefinedFunction, ""},
	// DuckDB's generate_series table function with a zero step.
	{"interval cannot be 0", codeInvalidParamValue, "step size cannot equal zero"},
}

// raisedCodes are the SQLSTATEs of PostgreSQL's messages the translator
// and the emulation's macros raise with DuckDB's error(), which DuckDB
// reports as invalid input.
var raisedCodes = map[string]string{
	"division by zero":                                                             codeDivisionByZero,
	"value out of range: overflow":                                                 codeNumericRange,
	"value out of range: underflow":                                                codeNumericRange,
	"zero raised to a negative power is undefined":                                 "2201F",
	"a negative number raised to a non-integer power yields a complex result":      "2201F",
	"step size cannot equal zero":                                                  codeInvalidParamValue,
	"multidimensional arrays must have array expressions with matching dimensions": "2202E",
}

// outOfRangeFloat8 ends the translator's error of a float8 constant out of
// range, "1e400" is out of range for type double precision.
const outOfRangeFloat8 = " is out of range for type double precision"

// postgresDataError maps the DuckDB errors PostgreSQL raises with a
// SQLSTATE of its own (invalid input, out of range, division by zero, ...)
// to that code and to PostgreSQL's message.
func postgresDataError(t duckdb.ErrorType, msg string) (code, message string, ok bool) {
	for _, m := range messageCodes {
		if strings.HasPrefix(msg, m.prefix) {
			if m.message == "" {
				return m.code, msg, true
			}
			return m.code, m.message, true
		}
	}
	switch t {
	case duckdb.ErrorTypeInvalidInput:
		// The translator's and the emulation's checks: error('division by
		// zero'), error('value out of range: overflow'), ...
		if code, ok := raisedCodes[msg]; ok {
			return code, msg, true
		}
		if strings.HasSuffix(msg, outOfRangeFloat8) && strings.HasPrefix(msg, `"`) {
			return codeNumericRange, msg, true
		}
	case duckdb.ErrorTypeDivideByZero:
		return codeDivisionByZero, "division by zero", true
	case duckdb.ErrorTypeOutOfRange:
		if m := reOverflow.FindStringSubmatch(msg); m != nil {
			return codeNumericRange, postgresTypeName(m[1]) + " out of range", true
		}
	case duckdb.ErrorTypeConversion:
		if m := reConvertString.FindStringSubmatch(msg); m != nil {
			typ := postgresTypeName(m[2])
			if reInteger.MatchString(m[1]) && (typ == "smallint" || typ == "integer" || typ == "bigint") {
				return codeNumericRange, fmt.Sprintf("value \"%s\" is out of range for type %s", m[1], typ), true
			}
			code := codeInvalidText
			if typ == "interval" {
				code = codeInvalidDatetimeFormat // PostgreSQL's interval input reports a datetime format error
			}
			return code, fmt.Sprintf("invalid input syntax for type %s: \"%s\"", typ, m[1]), true
		}
		if strings.HasPrefix(msg, "Malformed JSON") {
			return codeInvalidText, "invalid input syntax for type json", true
		}
		if m := reCastRange.FindStringSubmatch(msg); m != nil {
			return codeNumericRange, postgresTypeName(m[1]) + " out of range", true
		}
		if m := reDatetimeFormat.FindStringSubmatch(msg); m != nil {
			typ := map[string]string{"date": "date", "time": "time", "timestamp": "timestamp", "timestamptz": "timestamp with time zone"}[m[1]]
			return codeInvalidDatetimeFormat, fmt.Sprintf("invalid input syntax for type %s: \"%s\"", typ, m[2]), true
		}
		if m := reDatetimeRange.FindStringSubmatch(msg); m != nil {
			return codeDatetimeFieldOverflow, fmt.Sprintf("date/time field value out of range: \"%s\"", m[1]), true
		}
	case duckdb.ErrorTypeSyntax, duckdb.ErrorTypeParser:
		if strings.HasPrefix(msg, "Like pattern must not end with escape character") {
			return codeInvalidEscapeSequence, "LIKE pattern must not end with escape character", true
		}
	}
	return "", "", false
}

func sqlstateFor(t duckdb.ErrorType, msg string) string {
	lower := strings.ToLower(msg)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(lower, s) {
				return true
			}
		}
		return false
	}
	switch t {
	case duckdb.ErrorTypeParser, duckdb.ErrorTypeSyntax:
		return codeSyntaxError
	case duckdb.ErrorTypeCatalog:
		switch {
		case has("already exists"):
			return codeDuplicateObject
		case has("function with name", "macro function", "function ") && has("does not exist"):
			return codeUndefinedFunction
		case has("table with name", "view with name", "table or view", "referenced table"):
			return codeUndefinedTable
		case has("schema with name"):
			return codeInvalidSchema
		case has("catalog with name", "catalog \"", "database with name"):
			return codeInvalidCatalog
		case has("column"):
			return codeUndefinedColumn
		}
		return codeUndefinedObject
	case duckdb.ErrorTypeBinder:
		switch {
		case has("referenced column", "column with name", "does not have a column", "not found in from clause", "column") && has("not found", "does not have", "does not exist"):
			return codeUndefinedColumn
		case has("ambiguous"):
			return codeAmbiguousColumn
		case has("no function matches", "could not choose a best candidate", "function with name"):
			return codeUndefinedFunction
		case has("group by", "aggregate"):
			return codeGroupingError
		case has("cannot compare", "cannot mix", "type mismatch", "cannot be cast", "implicit cast", "incompatible", "expected type", "must be of type"):
			return codeDatatypeMismatch
		case has("table with name", "does not exist"):
			return codeUndefinedTable
		}
		return codeAccessRule
	case duckdb.ErrorTypeConversion:
		if has("out of range", "overflow") {
			return codeNumericRange
		}
		return codeInvalidText
	case duckdb.ErrorTypeOutOfRange, duckdb.ErrorTypeDecimal:
		return codeNumericRange
	case duckdb.ErrorTypeDivideByZero:
		return codeDivisionByZero
	case duckdb.ErrorTypeMismatchType, duckdb.ErrorTypeInvalidType:
		return codeDatatypeMismatch
	case duckdb.ErrorTypeConstraint:
		switch {
		case has("not null"):
			return codeNotNull
		case has("foreign key"):
			return codeForeignKey
		case has("duplicate key", "unique", "primary key"):
			return codeUnique
		case has("check constraint"):
			return codeCheck
		}
		return codeIntegrity
	case duckdb.ErrorTypeInterrupt:
		return codeQueryCanceled
	case duckdb.ErrorTypeTransaction:
		switch {
		case has("aborted"):
			return codeInFailedTx
		case has("within a transaction", "already"):
			return codeActiveTx
		case has("no transaction"):
			return codeNoActiveTx
		}
		return codeSerialization
	case duckdb.ErrorTypeNotImplemented, duckdb.ErrorTypeMissingExtension, duckdb.ErrorTypeAutoLoad:
		return codeFeatureNotSupported
	case duckdb.ErrorTypeInvalidInput, duckdb.ErrorTypeInvalidConfiguration:
		if has("relation \"") && has("\" does not exist") {
			return codeUndefinedTable // PostgreSQL's message, raised by the catalog emulation
		}
		return codeInvalidParamValue
	case duckdb.ErrorTypeSettings:
		if has("unrecognized", "unknown") {
			return codeUndefinedObject
		}
		return codeInvalidParamValue
	case duckdb.ErrorTypePermission:
		return codeInsufficientPriv
	case duckdb.ErrorTypeParameterNotResolved, duckdb.ErrorTypeParameterNotAllowed:
		return codeIndeterminateType
	case duckdb.ErrorTypeOutOfMemory:
		return codeOutOfMemory
	case duckdb.ErrorTypeIO, duckdb.ErrorTypeHTTP, duckdb.ErrorTypeNetwork:
		return codeIOError
	case duckdb.ErrorTypeDependency:
		return codeDependentObjects
	case duckdb.ErrorTypeSequence:
		return "2200H"
	case duckdb.ErrorTypeExpression, duckdb.ErrorTypePlanner, duckdb.ErrorTypeOptimizer:
		return codeAccessRule
	case duckdb.ErrorTypeExecutor, duckdb.ErrorTypeInvalid, duckdb.ErrorTypeUnknownType:
		return codeDataException
	case duckdb.ErrorTypeInternal, duckdb.ErrorTypeFatal, duckdb.ErrorTypeNullPointer:
		return codeInternal
	}
	return codeDataException
}

// caretPosition converts DuckDB's "LINE n: <text>\n<spaces>^" into a 1-based
// character position in query, or 0 when it cannot be located reliably.
func caretPosition(info, query string) int32 {
	header, rest, ok := strings.Cut(info, ": ")
	if !ok {
		return 0
	}
	lineNo, err := strconv.Atoi(strings.TrimPrefix(header, "LINE "))
	if err != nil || lineNo < 1 {
		return 0
	}
	shown, caretLine, ok := strings.Cut(rest, "\n")
	if !ok {
		return 0
	}
	caret := strings.IndexByte(caretLine, '^')
	if caret < 0 {
		return 0
	}
	col := caret - len(header) - 2 // byte offset in the shown text
	if col < 0 {
		return 0
	}
	qlines := strings.Split(query, "\n")
	if lineNo > len(qlines) {
		return 0
	}
	line := qlines[lineNo-1]
	snippet := shown
	if strings.HasPrefix(snippet, "...") {
		snippet = snippet[3:]
		col -= 3
	}
	snippet = strings.TrimSuffix(snippet, "...")
	idx := strings.Index(line, snippet)
	if idx < 0 || col < 0 {
		return 0
	}
	offset := 0
	for _, l := range qlines[:lineNo-1] {
		offset += len(l) + 1
	}
	byteOff := offset + idx + col
	if byteOff > len(query) {
		return 0
	}
	return int32(utf8.RuneCountInString(query[:byteOff])) + 1
}
