package pgwire

import (
	"context"
	"errors"
	"fmt"
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
	pe.Code = sqlstateFor(de.Type, pe.Message)
	return pe
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
