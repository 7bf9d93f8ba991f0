package pgwire

import (
	"context"
	"strings"
	"testing"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// TestInterruptionReportedByCause checks that DuckDB's interruption error
// becomes a cancellation (57014) only when something cancelled the
// statement, and an internal error that says what happened otherwise.
func TestInterruptionReportedByCause(t *testing.T) {
	interrupted := &duckdb.Error{Type: duckdb.ErrorTypeInterrupt, Msg: "INTERRUPT Error: Interrupted!"}
	cancelled := func(cause error) context.Context {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(cause)
		return ctx
	}
	for _, tc := range []struct {
		name     string
		ctx      context.Context
		code     string
		contains string
	}{
		{"cancel request", cancelled(errUserCancel), codeQueryCanceled, "user request"},
		{"statement timeout", cancelled(errStatementTimeout), codeQueryCanceled, "statement timeout"},
		{"client gone", cancelled(errClientGone), codeQueryCanceled, "user request"},
		{"session terminated", cancelled(errTerminated), codeQueryCanceled, "user request"},
		{"nobody cancelled", context.Background(), codeInternal, "parallel tasks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := queryErr(tc.ctx, interrupted, "SELECT 1")
			pe, ok := err.(*pgError)
			if !ok {
				t.Fatalf("queryErr returned %T: %v", err, err)
			}
			if pe.Code != tc.code || !strings.Contains(pe.Message, tc.contains) {
				t.Fatalf("got %s %q, want %s with %q", pe.Code, pe.Message, tc.code, tc.contains)
			}
		})
	}
}

// failingRows is a result that ends with err after its rows, as DuckDB's
// streaming result does when the query fails mid-stream.
type failingRows struct {
	rows int
	err  error
}

func (r *failingRows) Next() bool {
	if r.rows == 0 {
		return false
	}
	r.rows--
	return true
}
func (r *failingRows) Scan(...any) error { return nil }
func (r *failingRows) Err() error        { return r.err }
func (r *failingRows) Close() error      { return nil }

// TestPumpReportsUnrequestedInterruption checks the whole end of a result:
// closing the portal cancels its context, which must not turn DuckDB's
// unrequested interruption into a cancellation by the user.
func TestPumpReportsUnrequestedInterruption(t *testing.T) {
	s := &session{ctx: context.Background()}
	p := &portal{stmt: &statement{}, rows: &failingRows{rows: 3, err: &duckdb.Error{Type: duckdb.ErrorTypeInterrupt, Msg: "INTERRUPT Error: Interrupted!"}}, encodeDirect: true}
	n, err := s.pump(p, -1, false, nil)
	pe, ok := err.(*pgError)
	if n != 3 || !ok || pe.Code != codeInternal {
		t.Fatalf("pump: %d rows, %v (%T), want 3 rows and an internal error", n, err, err)
	}
}
