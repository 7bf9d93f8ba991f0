package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"strconv"
	"sync"
	"time"
)

// Causes of a cancelled statement context.
var (
	errUserCancel       = errors.New("canceling statement due to user request")
	errStatementTimeout = errors.New("canceling statement due to statement timeout")
	errClientGone       = errors.New("client disconnected")
	errTerminated       = errors.New("client terminated the session")
)

// sessionRegistry finds sessions by the BackendKeyData a CancelRequest
// carries. Each Server has its own.
type sessionRegistry struct {
	mu       sync.Mutex
	sessions map[uint32]*session
}

// register assigns s a process id and secret key.
func (r *sessionRegistry) register(s *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sessions == nil {
		r.sessions = map[uint32]*session{}
	}
	for {
		var b [8]byte
		_, _ = rand.Read(b[:])
		pid := binary.BigEndian.Uint32(b[:4]) & 0x7fffffff
		if _, taken := r.sessions[pid]; taken || pid == 0 {
			continue
		}
		s.cancel.pid = pid
		copy(s.cancel.secret[:], b[4:])
		r.sessions[pid] = s
		return
	}
}

// unregister forgets s once it ends.
func (r *sessionRegistry) unregister(s *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sessions[s.cancel.pid] == s {
		delete(r.sessions, s.cancel.pid)
	}
}

// cancel interrupts the running statement of the session with this key.
func (r *sessionRegistry) cancel(pid uint32, secret []byte) bool {
	r.mu.Lock()
	s := r.sessions[pid]
	r.mu.Unlock()
	if s == nil || subtle.ConstantTimeCompare(s.cancel.secret[:], secret) != 1 {
		return false
	}
	s.cancelRunning(errUserCancel)
	return true
}

// runningStatement is one tracked execution: a CancelRequest, the
// statement_timeout timer or a client that goes away cancels it only while
// it is still the session's running statement.
type runningStatement struct {
	cancel context.CancelCauseFunc
}

// track makes cancel the way to stop the statement now running (for a
// CancelRequest) and arms statement_timeout. The returned func disarms both.
// A timer that fires while the statement ends cancels nothing else: its
// callback names the execution it was armed for.
func (s *session) track(cancel context.CancelCauseFunc) (stop func()) {
	run := &runningStatement{cancel: cancel}
	s.cancel.mu.Lock()
	s.cancel.running = run
	s.cancel.mu.Unlock()
	var timer *time.Timer
	if d := s.statementTimeout(); d > 0 {
		timer = time.AfterFunc(d, func() { s.cancelStatement(run, errStatementTimeout) })
	}
	return func() {
		if timer != nil {
			timer.Stop()
		}
		s.cancel.mu.Lock()
		if s.cancel.running == run {
			s.cancel.running = nil
		}
		s.cancel.mu.Unlock()
	}
}

// cancelRunning cancels the running statement, if any, and interrupts
// DuckDB (which also stops a streaming fetch that no context reaches).
func (s *session) cancelRunning(cause error) {
	s.cancelStatement(nil, cause)
}

// cancelStatement cancels run if it is still running (nil: whatever is
// running) and interrupts DuckDB.
func (s *session) cancelStatement(run *runningStatement, cause error) {
	s.cancel.mu.Lock()
	defer s.cancel.mu.Unlock()
	if s.cancel.running == nil || (run != nil && s.cancel.running != run) {
		return
	}
	s.cancel.running.cancel(cause)
	s.interrupt()
}

func (s *session) statementTimeout() time.Duration {
	ms, _ := strconv.ParseInt(s.cancel.timeoutMillis, 10, 64)
	return time.Duration(ms) * time.Millisecond
}

// interrupt calls duckdb_interrupt on the session's connection.
func (s *session) interrupt() {
	s.cancel.interrupter.Interrupt()
}

// queryErr converts an execution error, reporting cancellations as 57014.
func queryErr(ctx context.Context, err error, query string) error {
	if err == nil {
		return nil
	}
	var cause error
	if ctx != nil {
		cause = context.Cause(ctx)
	}
	switch {
	case errors.Is(cause, errUserCancel), errors.Is(cause, errStatementTimeout):
		return &pgError{Severity: "ERROR", Code: codeQueryCanceled, Message: cause.Error(), cause: err}
	case errors.Is(cause, errClientGone):
		return &pgError{Severity: "ERROR", Code: codeQueryCanceled, Message: errUserCancel.Error(), cause: err}
	}
	pe := toPgError(err, query)
	if pe.Code == codeQueryCanceled {
		if cause == nil {
			return internalInterruption(err)
		}
		pe.Message = errUserCancel.Error()
	}
	return pe
}

// internalInterruption reports an interruption that nobody asked for: when
// one task of a parallel plan fails, DuckDB sometimes ends the statement with
// the interruption of its other tasks instead of that task's error. Calling it
// a cancellation (57014) would tell the client it cancelled, so it is an
// internal error that says what happened.
func internalInterruption(err error) *pgError {
	return &pgError{
		Severity: "ERROR", Code: codeInternal,
		Message: "the statement failed in one of DuckDB's parallel tasks, which reported only that the others were interrupted",
		Hint:    "Run the statement again to see the error of the failing task.",
		cause:   err,
	}
}
