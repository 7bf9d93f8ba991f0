package pgwire

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
)

// session is one client connection: the protocol state machine plus its own
// DuckDB connection. Its state is grouped by concern; only the session's
// goroutine touches it, except cancelState (CancelRequest, timers).
type session struct {
	srv  *Server
	ctx  context.Context // ends with the session (or when the client goes away)
	stop context.CancelCauseFunc
	log  *zap.Logger

	// The client connection.
	nc  net.Conn
	in  *inbox
	r   *bufio.Reader
	be  *pgproto3.Backend
	out outputBuffers

	role Role      // what the session's user may do, set by authentication
	conn *sql.Conn // the session's own DuckDB connection
	enc  *encoder

	params  paramState
	stmts   map[string]*statement // prepared statements by name
	portals map[string]*portal    // portals by name
	cursors map[string]*portal    // DECLAREd cursors
	private bool                  // statement descriptions are not shared (stmtCacheKey)
	// kept is the statement holding DuckDB's prepared statement for its
	// first run, if any (prepared.go).
	kept *statement

	// ignoreTillSync skips extended-protocol messages after an error
	// until the next Sync.
	ignoreTillSync bool

	tx     txState
	cancel cancelState

	// admitted: the session counts within Options.MaxConnections.
	admitted bool
	// awaitingCommand: ReadyForQuery was sent, the idle timeouts apply.
	awaitingCommand bool

	audit auditState
}

// outputBuffers are the session's buffered writer and the scratch space
// messages and rows are encoded into, reused from message to message.
type outputBuffers struct {
	w    *bufio.Writer
	wbuf []byte // message encoding scratch
	// rows holds DataRows encoded in place (sendRow), handed to w in one
	// piece once they reach rowsFlushAt bytes and before any other
	// message or a flush: w writes a piece larger than its free space
	// straight to the connection, so row bytes are copied once.
	rows        []byte
	rowsFlushAt int
}

// paramState is the session's parameters, and what the client and the
// backend were last told of them.
type paramState struct {
	startup  map[string]string // startup packet parameters
	guc      *gucs
	reported map[string]string // ParameterStatus values the client has
	mirrored map[string]string // parameters last passed to a ParameterMirror
}

// txState is the state of the session's transaction block.
type txState struct {
	status        byte              // ReadyForQuery's txIdle, txActive or txFailed
	saved         map[string]string // parameters at BEGIN, restored by ROLLBACK
	local         map[string]string // values before SET LOCAL, restored at transaction end
	schemaChanges uint64            // statements of the block that may have changed the schema
	schemaState   any               // the backend's TxSchemaWatcher state for the block
	generation    uint64            // the statement cache's generation at BEGIN
}

// cancelState is what stops the running statement: the BackendKeyData a
// CancelRequest names, the statement running now and statement_timeout.
// mu guards running and timeoutMillis.
type cancelState struct {
	pid         uint32
	secret      [4]byte
	interrupter *duckdbx.Interrupter // duckdb_interrupt; nil if unavailable
	mu          sync.Mutex
	running     *runningStatement // the statement now executing, if any
	// timeoutMillis mirrors statement_timeout for the cancel timer.
	timeoutMillis string
}

func newSession(ctx context.Context, srv *Server, nc net.Conn, log *zap.Logger) *session {
	ctx, stop := context.WithCancelCause(ctx)
	in := newInbox()
	r := bufio.NewReaderSize(in, 32<<10)
	s := &session{
		srv:     srv,
		ctx:     ctx,
		stop:    stop,
		nc:      nc,
		in:      in,
		log:     log,
		r:       r,
		out:     outputBuffers{w: bufio.NewWriterSize(nc, srv.opt.FlushBytes), rowsFlushAt: srv.opt.FlushBytes},
		stmts:   map[string]*statement{},
		portals: map[string]*portal{},
		cursors: map[string]*portal{},
		params:  paramState{reported: map[string]string{}},
		tx:      txState{status: txIdle},
		enc:     newEncoder(time.UTC),
	}
	s.setBackend(nc)
	return s
}

// startReading starts reading the client connection (s.nc, encrypted or
// not) in the background, once the startup packets that may precede a TLS
// handshake were read. A client that disconnects ends the session context,
// which stops the running DuckDB query.
func (s *session) startReading() {
	go s.in.fill(s.nc, func(err error) { s.cancelRunning(errClientGone); s.stop(errClientGone) }, s.log)
}

// send encodes msg into the buffered writer; the writer flushes by itself
// when full.
func (s *session) send(msg pgproto3.BackendMessage) error {
	if err := s.writeRows(); err != nil {
		return err
	}
	b, err := msg.Encode(s.out.wbuf[:0])
	if err != nil {
		return fmt.Errorf("encode %T: %w", msg, err)
	}
	s.out.wbuf = b
	if _, err := s.out.w.Write(b); err != nil {
		return fmt.Errorf("write %T: %w", msg, err)
	}
	s.auditSent(msg)
	return nil
}

// flush writes the buffered messages to the client.
func (s *session) flush() error {
	if err := s.writeRows(); err != nil {
		return err
	}
	if err := s.out.w.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	return nil
}

// fatal sends a FATAL error and flushes; the caller then closes the connection.
func (s *session) fatal(code, format string, args ...any) error {
	e := newError(code, format, args...)
	e.Severity = "FATAL"
	if err := s.send(e.toMessage()); err != nil {
		return err
	}
	_ = s.flush()
	return e
}

// run performs the startup handshake and then the message loop.
func (s *session) run() error {
	defer s.closeAll()
	ok, err := s.startup()
	s.auditConnection(ok, err)
	if err != nil || !ok {
		return err
	}
	defer s.auditSessionEnd()
	return s.loop()
}

// closeAll ends the session: its portals and cursors, its registration for
// CancelRequest and its DuckDB connection.
func (s *session) closeAll() {
	s.in.close()
	if s.cancel.pid != 0 {
		s.srv.registry.unregister(s)
	}
	for _, p := range s.portals {
		p.close()
	}
	for _, p := range s.cursors {
		p.close()
	}
	s.portals, s.cursors = nil, nil
	s.dropKept()
	if s.conn != nil {
		if err := discardConn(s.conn); err != nil {
			s.log.Debug("close backend connection", zap.Error(err))
		}
	}
}

// discardConn closes a session's DuckDB connection for good instead of
// returning it to database/sql's pool: whatever the client left on it (an
// open or failed transaction, temporary objects, prepared statements,
// variables, settings) ends with it, and no later session can inherit it.
func discardConn(conn *sql.Conn) error {
	// A Raw callback that reports driver.ErrBadConn makes database/sql
	// close the driver connection rather than pool it.
	err := conn.Raw(func(any) error { return driver.ErrBadConn })
	if err == nil || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		return nil
	}
	return fmt.Errorf("discard connection: %w", err)
}

// loop processes frontend messages until Terminate or a connection error.
func (s *session) loop() error {
	for {
		msg, err := s.receive()
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
				return nil
			}
			if ended := (*pgError)(nil); errors.As(err, &ended) {
				return err // receive ended the session with a FATAL error
			}
			return s.fatal(codeProtocolViolation, "invalid frontend message: %v", err)
		}
		if _, isTerm := msg.(*pgproto3.Terminate); isTerm {
			return nil
		}
		if s.ignoreTillSync {
			if _, isSync := msg.(*pgproto3.Sync); !isSync {
				continue
			}
		}
		s.auditReceived(msg)
		if err := s.dispatch(msg); err != nil {
			if errors.Is(err, errTerminated) {
				return nil
			}
			return err
		}
	}
}

// dispatch handles one message. Only connection-level failures are returned;
// SQL errors are reported to the client.
func (s *session) dispatch(msg pgproto3.FrontendMessage) error {
	var err error
	switch m := msg.(type) {
	case *pgproto3.Query:
		return s.simpleQuery(m.String)
	case *pgproto3.Parse:
		err = s.handleParse(m)
	case *pgproto3.Bind:
		err = s.handleBind(m)
	case *pgproto3.Describe:
		err = s.handleDescribe(m)
	case *pgproto3.Execute:
		err = s.handleExecute(m)
	case *pgproto3.Close:
		err = s.handleClose(m)
	case *pgproto3.Sync:
		return s.handleSync()
	case *pgproto3.Flush:
		return s.flush()
	case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
		return nil // outside COPY mode these are ignored, as PostgreSQL does
	default:
		err = newError(codeProtocolViolation, "unsupported frontend message %T", msg)
	}
	if err == nil {
		return nil
	}
	var pe *pgError
	if !errors.As(err, &pe) {
		return err // write failure: end the session
	}
	s.ignoreTillSync = true
	return s.sendError(pe)
}

// readyForQuery reports changed parameters, then ReadyForQuery, and flushes.
func (s *session) readyForQuery() error {
	if err := s.reportParams(); err != nil {
		return err
	}
	if err := s.send(&pgproto3.ReadyForQuery{TxStatus: s.tx.status}); err != nil {
		return err
	}
	s.awaitingCommand = true
	return s.flush()
}

// sendError reports a SQL error to the client, failing an open transaction
// block.
func (s *session) sendError(pe *pgError) error {
	if s.tx.status == txActive {
		s.abortTransaction()
	}
	if pe.Code == codeInternal {
		s.log.Error("internal error", zap.Error(pe.cause), zap.String("message", pe.Message))
	} else {
		s.log.Debug("query error", zap.String("code", pe.Code), zap.String("message", pe.Message))
	}
	return s.send(pe.toMessage())
}

// sqlErr converts an engine error into the error reported to the client
// (query gives the statement text for the error position).
func sqlErr(err error, query string) error {
	if err == nil {
		return nil
	}
	return toPgError(err, query)
}

// notice sends a NoticeResponse unless client_min_messages filters it.
func (s *session) notice(severity, code, msg string) error {
	levels := map[string]int{"debug5": 0, "debug4": 0, "debug3": 0, "debug2": 0, "debug1": 0, "log": 1, "notice": 2, "warning": 3, "error": 4}
	sev := map[string]int{"NOTICE": 2, "WARNING": 3}[severity]
	if sev < levels[s.params.guc.get("client_min_messages")] {
		return nil
	}
	return s.send(&pgproto3.NoticeResponse{Severity: severity, SeverityUnlocalized: severity, Code: code, Message: msg})
}
