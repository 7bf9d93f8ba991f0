package pgwire

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	bindings "github.com/duckdb/duckdb-go-bindings"
	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"
)

// Startup packet request codes.
const (
	sslRequestCode    = 80877103
	gssEncRequestCode = 80877104
	cancelRequestCode = 80877102
	maxStartupLen     = 10000
	maxMessageLen     = 64 << 20
)

// Transaction status bytes for ReadyForQuery.
const (
	txIdle   = 'I'
	txActive = 'T'
	txFailed = 'E'
)

// session is one client connection: the protocol state machine plus its own
// DuckDB connection.
type session struct {
	srv  *Server
	ctx  context.Context // ends with the session (or when the client goes away)
	stop context.CancelCauseFunc
	nc   net.Conn
	in   *inbox
	log  *zap.Logger
	r    *bufio.Reader
	w    *bufio.Writer
	be   *pgproto3.Backend
	wbuf []byte // message encoding scratch

	conn     *sql.Conn
	duckConn *bindings.Connection // for duckdb_interrupt; nil if unavailable
	enc      *encoder

	params   map[string]string // startup parameters
	guc      *gucs
	reported map[string]string // ParameterStatus values the client has
	stmts    map[string]*statement
	portals  map[string]*portal
	cursors  map[string]*portal // DECLAREd cursors

	txStatus        byte
	txSaved         map[string]string // parameters at BEGIN, restored by ROLLBACK
	txLocal         map[string]string // values before SET LOCAL, restored at transaction end
	txSchemaChanges uint64            // statements of the block that may have changed the schema
	txSchemaState   any               // the backend's TxSchemaWatcher state for the block
	private         bool              // statement descriptions are not shared (stmtCacheKey)
	txGeneration    uint64            // the statement cache's generation at BEGIN
	mirrored        map[string]string // parameters last passed to a ParameterMirror
	ignoreTillSync  bool

	pid      uint32
	secret   [4]byte
	cancelMu sync.Mutex
	running  *runningStatement // the statement now executing, if any
	// timeoutMillis mirrors statement_timeout for the cancel timer.
	timeoutMillis string

	rowBuf  []byte   // DataRow value storage, reused per row
	rowVals [][]byte // DataRow values, reused per row
}

func newSession(ctx context.Context, srv *Server, nc net.Conn, log *zap.Logger) *session {
	ctx, stop := context.WithCancelCause(ctx)
	in := newInbox()
	r := bufio.NewReaderSize(in, 32<<10)
	s := &session{
		srv:      srv,
		ctx:      ctx,
		stop:     stop,
		nc:       nc,
		in:       in,
		log:      log,
		r:        r,
		w:        bufio.NewWriterSize(nc, srv.opt.FlushBytes),
		stmts:    map[string]*statement{},
		portals:  map[string]*portal{},
		cursors:  map[string]*portal{},
		reported: map[string]string{},
		txStatus: txIdle,
		enc:      newEncoder(time.UTC),
	}
	s.be = pgproto3.NewBackend(r, nc)
	s.be.SetMaxBodyLen(maxMessageLen)
	// A client that disconnects ends the session context, which stops
	// the running DuckDB query.
	go in.fill(nc, func(err error) { s.cancelRunning(errClientGone); stop(errClientGone) }, log)
	return s
}

// send encodes msg into the buffered writer; the writer flushes by itself
// when full.
func (s *session) send(msg pgproto3.BackendMessage) error {
	b, err := msg.Encode(s.wbuf[:0])
	if err != nil {
		return fmt.Errorf("encode %T: %w", msg, err)
	}
	s.wbuf = b
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("write %T: %w", msg, err)
	}
	return nil
}

func (s *session) flush() error {
	if err := s.w.Flush(); err != nil {
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
	if err != nil || !ok {
		return err
	}
	return s.loop()
}

func (s *session) closeAll() {
	s.in.close()
	if s.pid != 0 {
		s.srv.registry.unregister(s)
	}
	for _, p := range s.portals {
		p.close()
	}
	for _, p := range s.cursors {
		p.close()
	}
	s.portals, s.cursors = nil, nil
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

// readStartupPacket reads one length-prefixed startup-phase packet.
func (s *session) readStartupPacket() (code uint32, body []byte, err error) {
	var hdr [4]byte
	if _, err := io.ReadFull(s.r, hdr[:]); err != nil {
		return 0, nil, fmt.Errorf("read startup length: %w", err)
	}
	n := int(binary.BigEndian.Uint32(hdr[:]))
	if n < 8 || n > maxStartupLen {
		return 0, nil, fmt.Errorf("invalid startup packet length %d", n)
	}
	buf := make([]byte, n-4)
	if _, err := io.ReadFull(s.r, buf); err != nil {
		return 0, nil, fmt.Errorf("read startup packet: %w", err)
	}
	return binary.BigEndian.Uint32(buf[:4]), buf[4:], nil
}

// startup handles SSL/GSSENC negotiation, the StartupMessage and
// authentication. It returns false when the connection must be closed.
func (s *session) startup() (bool, error) {
	_ = s.nc.SetReadDeadline(time.Now().Add(s.srv.opt.StartupTimeout))
	var body []byte
	var minor uint32
	for {
		code, b, err := s.readStartupPacket()
		if err != nil {
			return false, err
		}
		switch code {
		case sslRequestCode, gssEncRequestCode:
			// No TLS/GSS encryption yet: refuse and wait for the plain StartupMessage.
			if _, err := s.nc.Write([]byte{'N'}); err != nil {
				return false, fmt.Errorf("answer encryption request: %w", err)
			}
			continue
		case cancelRequestCode:
			if len(b) == 8 {
				ok := s.srv.registry.cancel(binary.BigEndian.Uint32(b[:4]), b[4:8])
				s.log.Debug("cancel request", zap.Bool("matched", ok))
			}
			return false, nil
		}
		major := code >> 16
		minor = code & 0xffff
		if major != 3 {
			return false, s.fatal(codeFeatureNotSupported, "unsupported frontend protocol %d.%d: server supports 3.0 to 3.0", major, minor)
		}
		body = b
		break
	}
	_ = s.nc.SetReadDeadline(time.Time{})

	s.params = map[string]string{}
	var unknownOpts []string
	parts := strings.Split(string(body), "\x00")
	for i := 0; i+1 < len(parts); i += 2 {
		if parts[i] == "" {
			break
		}
		if strings.HasPrefix(parts[i], "_pq_.") {
			unknownOpts = append(unknownOpts, parts[i])
			continue
		}
		s.params[parts[i]] = parts[i+1]
	}
	if minor > 0 || len(unknownOpts) > 0 {
		if err := s.send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: 0, UnrecognizedOptions: unknownOpts}); err != nil {
			return false, err
		}
	}
	user := s.params["user"]
	if user == "" {
		return false, s.fatal(codeInvalidAuth, "no PostgreSQL user name specified in startup packet")
	}
	s.log = s.log.With(zap.String("user", user), zap.String("application_name", s.params["application_name"]))

	if !isLoopback(s.nc.RemoteAddr()) {
		s.log.Warn("rejected non-loopback client")
		return false, s.fatal(codeInvalidAuth, "no users are configured: only connections from 127.0.0.1 are accepted")
	}

	conn, err := s.srv.backend.OpenSession(s.ctx)
	if err != nil {
		s.log.Error("open backend session", zap.Error(err))
		return false, s.fatal("08006", "could not open a database session: %v", err)
	}
	s.conn = conn
	s.duckConn = rawDuckConn(conn)
	s.guc = newGUCs(s.srv.opt.ServerVersion, user)
	if _, err := conn.ExecContext(s.ctx, "SET TimeZone = 'UTC'"); err != nil {
		s.log.Warn("set session TimeZone", zap.Error(err))
	}
	if err := s.applyStartupParams(); err != nil {
		var pe *pgError
		if errors.As(err, &pe) {
			return false, s.fatal(pe.Code, "%s", pe.Message)
		}
		return false, err
	}
	s.guc.defaults = s.guc.snapshot()

	if err := s.send(&pgproto3.AuthenticationOk{}); err != nil {
		return false, err
	}
	if err := s.reportParams(); err != nil {
		return false, err
	}
	s.srv.registry.register(s)
	if err := s.send(&pgproto3.BackendKeyData{ProcessID: s.pid, SecretKey: s.secret[:]}); err != nil {
		return false, err
	}
	s.log.Debug("session started")
	return true, s.readyForQuery()
}

func isLoopback(a net.Addr) bool {
	switch v := a.(type) {
	case *net.TCPAddr:
		return v.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	}
	return false
}

// loop processes frontend messages until Terminate or a connection error.
func (s *session) loop() error {
	for {
		msg, err := s.be.Receive()
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("receive: %w", err)
		}
		if _, isTerm := msg.(*pgproto3.Terminate); isTerm {
			return nil
		}
		if s.ignoreTillSync {
			if _, isSync := msg.(*pgproto3.Sync); !isSync {
				continue
			}
		}
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
		s.ignoreTillSync = false
		if s.txStatus == txIdle {
			for name, p := range s.portals {
				p.close()
				delete(s.portals, name)
			}
		}
		return s.readyForQuery()
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
	if err := s.send(&pgproto3.ReadyForQuery{TxStatus: s.txStatus}); err != nil {
		return err
	}
	return s.flush()
}

func (s *session) sendError(pe *pgError) error {
	if s.txStatus == txActive {
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

// simpleQuery runs a Query message: each statement gets its own result;
// execution stops at the first error.
func (s *session) simpleQuery(q string) error {
	pieces := splitStatements(q)
	if len(pieces) == 0 {
		if err := s.send(&pgproto3.EmptyQueryResponse{}); err != nil {
			return err
		}
		return s.readyForQuery()
	}
	for _, piece := range pieces {
		err := s.runSimpleStatement(piece.text)
		if err == nil {
			continue
		}
		var pe *pgError
		if !errors.As(err, &pe) {
			return err
		}
		if pe.Position > 0 {
			cp := *pe
			cp.Position += int32(len([]rune(q[:piece.offset])))
			pe = &cp
		}
		if err := s.sendError(pe); err != nil {
			return err
		}
		break
	}
	return s.readyForQuery()
}

// materializePortals reads every suspended portal's and cursor's live
// result into memory before the connection runs another statement.
func (s *session) materializePortals(except *portal) {
	for _, p := range s.portals {
		if p != except {
			p.materialize()
		}
	}
	for _, p := range s.cursors {
		if p != except {
			p.materialize()
		}
	}
}

func (s *session) runSimpleStatement(text string) error {
	st, err := s.prepare("", text, nil)
	if err != nil {
		return err
	}
	if len(st.paramOIDs) > 0 {
		return newError("08P01", "bind message supplies 0 parameters, but prepared statement requires %d", len(st.paramOIDs))
	}
	p := &portal{stmt: st, formats: make([]int16, len(st.cols)), simple: true}
	defer p.close()
	if st.returnsRows && st.util == nil {
		if err := s.send(st.rowDescription(nil)); err != nil {
			return err
		}
	}
	_, err = s.execute(p, 0)
	return err
}

// prepare builds a statement: pgwire's own utility statements, or one
// prepared by DuckDB. In a failed transaction only COMMIT/ROLLBACK pass.
func (s *session) prepare(name, text string, oids []uint32) (*statement, error) {
	u, err := parseUtility(text)
	if err != nil {
		return nil, err
	}
	if err := s.checkAborted(u); err != nil {
		return nil, err
	}
	if u != nil {
		return utilityStatement(name, text, u), nil
	}
	s.materializePortals(nil)
	return s.prepareTranslated(name, text, oids)
}

// prepareQuery prepares the query of a DECLARE or COPY.
func (s *session) prepareQuery(q string) (*statement, error) {
	if u, _ := parseUtility(q); u != nil {
		return nil, newError(codeSyntaxError, "cannot use %s here", strings.ToUpper(strings.Fields(q)[0]))
	}
	s.materializePortals(nil)
	st, err := s.prepareTranslated("", q, nil)
	if err != nil {
		return nil, err
	}
	if len(st.paramOIDs) > 0 {
		return nil, newError(codeIndeterminateType, "could not determine data type of parameter $1")
	}
	return st, nil
}

// checkAborted rejects everything but COMMIT/ROLLBACK in a failed transaction.
func (s *session) checkAborted(u *utility) error {
	if s.txStatus != txFailed {
		return nil
	}
	if u != nil && (u.kind == utilCommit || u.kind == utilRollback) {
		return nil
	}
	return newError(codeInFailedTx, "current transaction is aborted, commands ignored until end of transaction block")
}

func (s *session) handleParse(m *pgproto3.Parse) error {
	if m.Name != "" {
		if _, exists := s.stmts[m.Name]; exists {
			return newError("42P05", "prepared statement %q already exists", m.Name)
		}
	}
	oids := append([]uint32(nil), m.ParameterOIDs...)
	st, err := s.prepare(m.Name, m.Query, oids)
	if err != nil {
		return err
	}
	s.stmts[m.Name] = st
	return s.send(&pgproto3.ParseComplete{})
}

func (s *session) handleBind(m *pgproto3.Bind) error {
	st, ok := s.stmts[m.PreparedStatement]
	if !ok {
		return newError(codeInvalidPrepStmt, "prepared statement %q does not exist", m.PreparedStatement)
	}
	if err := s.checkAborted(st.util); err != nil {
		return err
	}
	if old, ok := s.portals[m.DestinationPortal]; ok {
		old.close()
		delete(s.portals, m.DestinationPortal)
	}
	formats, err := resolveFormats(st, m.ResultFormatCodes)
	if err != nil {
		return err
	}
	args, err := s.enc.decodeParams(st, m.ParameterFormatCodes, m.Parameters)
	if err != nil {
		return err
	}
	s.portals[m.DestinationPortal] = &portal{name: m.DestinationPortal, stmt: st, args: args, formats: formats}
	return s.send(&pgproto3.BindComplete{})
}

func (s *session) handleDescribe(m *pgproto3.Describe) error {
	switch m.ObjectType {
	case 'S':
		st, ok := s.stmts[m.Name]
		if !ok {
			return newError(codeInvalidPrepStmt, "prepared statement %q does not exist", m.Name)
		}
		oids := st.paramOIDs
		if oids == nil {
			oids = []uint32{}
		}
		if err := s.send(&pgproto3.ParameterDescription{ParameterOIDs: oids}); err != nil {
			return err
		}
		if rd := s.describeRows(st, nil); rd != nil {
			return s.send(rd)
		}
		return s.send(&pgproto3.NoData{})
	case 'P':
		p, ok := s.portals[m.Name]
		if !ok {
			return newError(codeInvalidCursor, "portal %q does not exist", m.Name)
		}
		if rd := s.describeRows(p.stmt, p.formats); rd != nil {
			return s.send(rd)
		}
		return s.send(&pgproto3.NoData{})
	}
	return newError(codeProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType)
}

// describeRows returns the RowDescription a statement's result will have,
// or nil when it returns no rows. FETCH describes its cursor's rows.
func (s *session) describeRows(st *statement, formats []int16) *pgproto3.RowDescription {
	if st.util != nil && st.util.kind == utilFetch {
		if c, ok := s.cursors[st.util.name]; ok {
			return c.stmt.rowDescription(c.formats)
		}
		return nil
	}
	if !st.returnsRows {
		return nil
	}
	return st.rowDescription(formats)
}

func (s *session) handleExecute(m *pgproto3.Execute) error {
	p, ok := s.portals[m.Portal]
	if !ok {
		return newError(codeInvalidCursor, "portal %q does not exist", m.Portal)
	}
	_, err := s.execute(p, int64(m.MaxRows))
	return err
}

func (s *session) handleClose(m *pgproto3.Close) error {
	switch m.ObjectType {
	case 'S':
		delete(s.stmts, m.Name)
	case 'P':
		if p, ok := s.portals[m.Name]; ok {
			p.close()
			delete(s.portals, m.Name)
		}
	default:
		return newError(codeProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType)
	}
	return s.send(&pgproto3.CloseComplete{})
}

// execute runs or resumes a portal, sending DataRows and CommandComplete, or
// PortalSuspended after maxRows rows (0 = no limit). Errors of type *pgError
// are SQL errors to report; others are connection failures.
func (s *session) execute(p *portal, maxRows int64) (suspended bool, err error) {
	st := p.stmt
	if st.empty {
		return false, s.send(&pgproto3.EmptyQueryResponse{})
	}
	if err := s.checkAborted(st.util); err != nil {
		return false, err
	}
	if st.util != nil {
		if p.done {
			return false, s.send(&pgproto3.CommandComplete{CommandTag: []byte(st.util.tag)})
		}
		p.done = true
		return false, s.runUtility(p)
	}
	if p.done {
		return false, s.send(&pgproto3.CommandComplete{CommandTag: []byte(st.commandTag(p.sent))})
	}
	if !p.started {
		if err := s.checkReadOnly(st); err != nil {
			p.done = true
			return false, err
		}
	}
	if !st.returnsRows {
		p.started, p.done = true, true
		s.materializePortals(p)
		ctx, cancel := context.WithCancelCause(s.ctx)
		defer cancel(nil)
		if err := s.beforeStatement(ctx, st.execSQL); err != nil {
			return false, err
		}
		stop := s.track(cancel)
		res, err := s.conn.ExecContext(ctx, st.execSQL, p.args...)
		stop()
		if err != nil {
			return false, queryErr(ctx, err, st.errSQL())
		}
		s.noteSchemaChange(st)
		if err := s.applyParamChanges(st); err != nil {
			return false, err
		}
		n, _ := res.RowsAffected()
		p.sent = n
		return false, s.send(&pgproto3.CommandComplete{CommandTag: []byte(st.commandTag(n))})
	}
	if !p.started {
		if err := s.startPortal(p); err != nil {
			return false, err
		}
	}
	limit := maxRows
	if limit <= 0 {
		limit = -1
	}
	if _, err := s.pump(p, limit, true, s.sendRow); err != nil {
		return false, err
	}
	if !p.done {
		return true, s.send(&pgproto3.PortalSuspended{})
	}
	if err := s.applyParamChanges(st); err != nil {
		return false, err
	}
	return false, s.send(&pgproto3.CommandComplete{CommandTag: []byte(st.commandTag(p.sent))})
}

// startPortal runs a row-returning portal's query. The result lives as
// long as the portal (its context is the portal's).
func (s *session) startPortal(p *portal) error {
	st := p.stmt
	p.started = true
	s.materializePortals(p)
	p.ctx, p.cancel = context.WithCancelCause(s.ctx)
	if err := s.beforeStatement(p.ctx, st.execSQL); err != nil {
		p.close()
		return err
	}
	stop := s.track(p.cancel)
	rows, err := s.conn.QueryContext(p.ctx, st.execSQL, p.args...)
	stop()
	if err != nil {
		err = queryErr(p.ctx, err, st.errSQL())
		p.close()
		return err
	}
	p.rows = rows
	ncol := len(st.cols)
	if cols, err := rows.Columns(); err == nil && len(cols) != ncol {
		p.close()
		return newError(codeInternal, "result has %d columns, expected %d", len(cols), ncol)
	}
	p.vals = make([]any, ncol)
	p.ptrs = make([]any, ncol)
	for i := range p.vals {
		p.ptrs[i] = &p.vals[i]
	}
	return nil
}

// pump reads up to max rows (-1: all) of a started portal, calling emit for
// each (nil emit: skip them). With peek, a portal stopped by max checks
// whether rows remain so that the last page ends with CommandComplete.
// The portal is closed once its result is exhausted or fails.
func (s *session) pump(p *portal, max int64, peek bool, emit func(*portal) error) (n int64, err error) {
	if p.done || p.rows == nil {
		p.done = true
		return 0, nil
	}
	if p.cancel == nil {
		p.ctx, p.cancel = context.WithCancelCause(s.ctx)
	}
	stop := s.track(p.cancel)
	defer stop()
	for max < 0 || n < max {
		if !p.pending && !p.rows.Next() {
			p.done = true
			break
		}
		p.pending = false
		if err := p.rows.Scan(p.ptrs...); err != nil {
			p.close()
			return n, queryErr(p.ctx, err, p.stmt.errSQL())
		}
		if emit != nil {
			if err := emit(p); err != nil {
				p.close()
				return n, err
			}
		}
		n++
		p.sent++
	}
	if !p.done && peek {
		if p.rows.Next() {
			p.pending = true
			return n, nil
		}
		p.done = true
	}
	if p.done {
		rerr := p.rows.Err()
		ctx := p.ctx
		if rerr == nil && ctx != nil && context.Cause(ctx) != nil {
			// DuckDB interrupted between running the query and handing out
			// its rows ends the stream as if it were complete: a statement
			// cancelled before its end has not answered in full.
			rerr = context.Cause(ctx)
		}
		p.close()
		if rerr != nil {
			return n, queryErr(ctx, rerr, p.stmt.errSQL())
		}
	}
	return n, nil
}

// sendRow encodes the current row of p as a DataRow.
func (s *session) sendRow(p *portal) error {
	st := p.stmt
	if cap(s.rowVals) < len(st.cols) {
		s.rowVals = make([][]byte, len(st.cols))
	}
	vals := s.rowVals[:len(st.cols)]
	buf := s.rowBuf[:0]
	ends := make([]int, len(st.cols)) // -1 for NULL
	var err error
	for i, v := range p.vals {
		if v == nil {
			ends[i] = -1
			continue
		}
		ct := st.cols[i].typ
		if p.formats[i] == 1 {
			buf, err = s.enc.appendBinary(buf, ct, v)
		} else {
			buf, err = s.enc.appendText(buf, ct, v)
		}
		if err != nil {
			return newError(codeInternal, "encode column %q: %v", st.cols[i].name, err)
		}
		ends[i] = len(buf)
	}
	start := 0
	for i := range vals {
		if ends[i] < 0 {
			vals[i] = nil
			continue
		}
		vals[i] = buf[start:ends[i]]
		start = ends[i]
	}
	s.rowBuf = buf
	return s.send(&pgproto3.DataRow{Values: vals})
}
