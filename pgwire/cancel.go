package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/binary"
	"errors"
	"net"
	"reflect"
	"strconv"
	"sync"
	"time"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"
	duckdb "github.com/duckdb/duckdb-go/v2"
	"go.uber.org/zap"
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
		s.pid = pid
		copy(s.secret[:], b[4:])
		r.sessions[pid] = s
		return
	}
}

func (r *sessionRegistry) unregister(s *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sessions[s.pid] == s {
		delete(r.sessions, s.pid)
	}
}

// cancel interrupts the running statement of the session with this key.
func (r *sessionRegistry) cancel(pid uint32, secret []byte) bool {
	r.mu.Lock()
	s := r.sessions[pid]
	r.mu.Unlock()
	if s == nil || subtle.ConstantTimeCompare(s.secret[:], secret) != 1 {
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
	s.cancelMu.Lock()
	s.running = run
	s.cancelMu.Unlock()
	var timer *time.Timer
	if d := s.statementTimeout(); d > 0 {
		timer = time.AfterFunc(d, func() { s.cancelStatement(run, errStatementTimeout) })
	}
	return func() {
		if timer != nil {
			timer.Stop()
		}
		s.cancelMu.Lock()
		if s.running == run {
			s.running = nil
		}
		s.cancelMu.Unlock()
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
	s.cancelMu.Lock()
	defer s.cancelMu.Unlock()
	if s.running == nil || (run != nil && s.running != run) {
		return
	}
	s.running.cancel(cause)
	s.interrupt()
}

func (s *session) statementTimeout() time.Duration {
	ms, _ := strconv.ParseInt(s.timeoutMillis, 10, 64)
	return time.Duration(ms) * time.Millisecond
}

// interrupt calls duckdb_interrupt on the session's connection.
func (s *session) interrupt() {
	if s.duckConn != nil {
		bindings.Interrupt(*s.duckConn)
	}
}

// rawDuckConn digs the C connection handle out of duckdb-go's Conn, which
// does not export it; interrupting it stops a streaming fetch that the
// context cancellation of database/sql cannot reach. Nil if the layout
// changed.
func rawDuckConn(conn *sql.Conn) *bindings.Connection {
	var out *bindings.Connection
	_ = conn.Raw(func(dc any) error {
		c, ok := dc.(*duckdb.Conn)
		if !ok {
			return nil
		}
		f := reflect.ValueOf(c).Elem().FieldByName("conn")
		if !f.IsValid() || f.Type() != reflect.TypeOf(bindings.Connection{}) {
			return nil
		}
		v := *(*bindings.Connection)(unsafe.Pointer(f.UnsafeAddr()))
		out = &v
		return nil
	})
	return out
}

// queryErr converts an execution error, reporting cancellations as 57014.
func queryErr(ctx context.Context, err error, query string) error {
	if err == nil {
		return nil
	}
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errUserCancel), errors.Is(cause, errStatementTimeout):
		return &pgError{Severity: "ERROR", Code: codeQueryCanceled, Message: cause.Error(), cause: err}
	case errors.Is(cause, errClientGone):
		return &pgError{Severity: "ERROR", Code: codeQueryCanceled, Message: errUserCancel.Error(), cause: err}
	}
	pe := toPgError(err, query)
	if pe.Code == codeQueryCanceled {
		pe.Message = errUserCancel.Error()
	}
	return pe
}

// inbox decouples reading the socket from the message loop: a goroutine
// keeps reading so that a client that goes away is noticed (and its query
// cancelled) while the session is busy running a statement.
type inbox struct {
	mu   sync.Mutex
	cond *sync.Cond
	data []byte
	off  int
	err  error
	stop bool
}

const maxInbox = 4 << 20

func newInbox() *inbox {
	b := &inbox{}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// fill reads nc until it fails; onEOF runs when the client is gone.
func (b *inbox) fill(nc net.Conn, onEOF func(error), log *zap.Logger) {
	buf := make([]byte, 32<<10)
	for {
		n, err := nc.Read(buf)
		b.mu.Lock()
		if b.off > 0 && b.off == len(b.data) {
			b.data, b.off = b.data[:0], 0
		}
		b.data = append(b.data, buf[:n]...)
		if err != nil {
			b.err = err
		}
		b.cond.Broadcast()
		for len(b.data)-b.off > maxInbox && b.err == nil && !b.stop {
			b.cond.Wait()
		}
		stopped := b.stop
		b.mu.Unlock()
		if err != nil {
			if !stopped {
				log.Debug("client connection read ended", zap.Error(err))
				onEOF(err)
			}
			return
		}
		if stopped {
			return
		}
	}
}

// Read implements io.Reader for the session's buffered reader.
func (b *inbox) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.off == len(b.data) && b.err == nil {
		b.cond.Wait()
	}
	if b.off == len(b.data) {
		return 0, b.err
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	b.cond.Broadcast()
	return n, nil
}

// close stops the reader goroutine once its pending read returns.
func (b *inbox) close() {
	b.mu.Lock()
	b.stop = true
	b.cond.Broadcast()
	b.mu.Unlock()
}
