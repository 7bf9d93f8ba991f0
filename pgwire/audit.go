package pgwire

import (
	"cmp"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// AuditOptions configures the audit log: one line when a connection is
// authorized or refused, one when it ends, and one per statement.
type AuditOptions struct {
	// Logger receives the audit lines (a dedicated logger, such as
	// logger.Named("audit")); nil disables auditing.
	Logger *zap.Logger
	// StatementTextBytes, when positive, adds each statement's text, on one
	// line and cut to this many bytes. It is off by default because the
	// text carries literal values (secrets in CREATE SECRET, personal data
	// in WHERE clauses) that an audit log should not spread; parameter
	// values of the extended protocol are never logged.
	StatementTextBytes int
}

// refusalCodes are the SQLSTATEs of refused access, audited at warn level:
// insufficient privilege, invalid password, invalid authorization, too many
// connections.
var refusalCodes = map[string]bool{"42501": true, "28P01": true, "28000": true, "53300": true}

// auditState is what a session's audit lines need between messages.
type auditState struct {
	log        *zap.Logger // the session's audit logger once authorized; nil otherwise
	accepted   time.Time
	statements int64
	endCode    string           // SQLSTATE of the FATAL error that ended the session
	since      time.Time        // when the statement now running began
	current    auditedStatement // the statement whose outcome comes next
	queue      []auditedStatement
}

// auditedStatement is a statement as the audit log names it.
type auditedStatement struct {
	kind string // the classifier's kind
	text string
}

// auditLevel is the level of a line reporting sqlstate.
func auditLevel(sqlstate string) zapcore.Level {
	if refusalCodes[sqlstate] {
		return zapcore.WarnLevel
	}
	return zapcore.InfoLevel
}

// auditConnection logs the outcome of the startup handshake: authorized,
// or refused with the SQLSTATE of the FATAL error sent. A client that left
// or sent no valid startup packet is logged at debug level; a CancelRequest
// is not a connection.
func (s *session) auditConnection(ok bool, startupErr error) {
	audit := s.srv.opt.Audit.Logger
	if audit == nil || (!ok && startupErr == nil) {
		return
	}
	isTLS := s.isTLS()
	fields := []zap.Field{
		zap.String("user", s.params.startup["user"]),
		zap.String("remote", s.nc.RemoteAddr().String()),
		zap.String("application_name", s.params.startup["application_name"]),
	}
	if ok {
		s.audit.log = audit.With(append(fields, zap.String("role", string(s.role)), zap.Uint32("session", s.cancel.pid))...)
		s.audit.accepted = time.Now()
		s.audit.log.Info("connection authorized", zap.Bool("tls", isTLS))
		return
	}
	fields = append(fields, zap.Bool("tls", isTLS))
	var pe *pgError
	if !errors.As(startupErr, &pe) {
		audit.Debug("connection failed", append(fields, zap.Error(startupErr))...)
		return
	}
	fields = append(fields, zap.String("sqlstate", pe.Code), zap.String("error", pe.Message))
	audit.Log(auditLevel(pe.Code), "connection refused", fields...)
}

// auditSessionEnd logs the end of an authorized session, with the SQLSTATE
// of the FATAL error that ended it ("00000" when the client left).
func (s *session) auditSessionEnd() {
	if s.audit.log == nil {
		return
	}
	code := cmp.Or(s.audit.endCode, "00000")
	s.audit.log.Log(auditLevel(code), "disconnection", zap.Duration("duration", time.Since(s.audit.accepted)),
		zap.Int64("statements", s.audit.statements), zap.String("sqlstate", code))
}

// auditReceived notes which statement a frontend message starts, and when.
// A Query's statements complete in turn; an extended-protocol message
// names its statement's text or its portal.
func (s *session) auditReceived(msg pgproto3.FrontendMessage) {
	if s.audit.log == nil {
		return
	}
	s.audit.since = time.Now()
	switch m := msg.(type) {
	case *pgproto3.Query:
		s.audit.queue = s.audit.queue[:0]
		for _, cs := range s.srv.classes.Classify(m.String) {
			s.audit.queue = append(s.audit.queue, auditedStatement{kind: cs.Kind.String(), text: cs.Text})
		}
		s.nextAuditedStatement()
	case *pgproto3.Parse:
		s.audit.current = s.auditedText(m.Query)
	case *pgproto3.Bind:
		if st, ok := s.stmts[m.PreparedStatement]; ok {
			s.audit.current = s.auditedText(st.errSQL())
		}
	case *pgproto3.Execute:
		if p, ok := s.portals[m.Portal]; ok {
			s.audit.current = s.auditedText(p.stmt.errSQL())
		}
	}
}

// nextAuditedStatement makes the next statement of a Query current.
func (s *session) nextAuditedStatement() {
	s.audit.current = auditedStatement{}
	if len(s.audit.queue) > 0 {
		s.audit.current = s.audit.queue[0]
		s.audit.queue = s.audit.queue[1:]
	}
}

// auditedText classifies a one-statement text for the audit log.
func (s *session) auditedText(text string) auditedStatement {
	stmts := s.srv.classes.Classify(text)
	switch len(stmts) {
	case 0:
		return auditedStatement{kind: "empty", text: text}
	case 1:
		return auditedStatement{kind: stmts[0].Kind.String(), text: text}
	}
	return auditedStatement{kind: "multiple", text: text}
}

// auditSent logs a statement's outcome when the message that reports it
// is sent: CommandComplete or ErrorResponse. A FATAL error ends the
// session rather than a statement (auditSessionEnd).
func (s *session) auditSent(msg pgproto3.BackendMessage) {
	if s.audit.log == nil {
		return
	}
	var tag, sqlstate string
	switch m := msg.(type) {
	case *pgproto3.CommandComplete:
		tag, sqlstate = string(m.CommandTag), "00000"
	case *pgproto3.ErrorResponse:
		if m.Severity == "FATAL" {
			s.audit.endCode = m.Code
			return
		}
		sqlstate = m.Code
	default:
		return
	}
	now := time.Now()
	s.audit.statements++
	fields := []zap.Field{
		zap.String("kind", s.audit.current.kind),
		zap.Duration("duration", now.Sub(s.audit.since)),
		zap.Int64("rows", tagRows(tag)),
		zap.String("tag", tag),
		zap.String("sqlstate", sqlstate),
	}
	if n := s.srv.opt.Audit.StatementTextBytes; n > 0 {
		fields = append(fields, zap.String("statement", oneLine(s.audit.current.text, n)))
	}
	s.audit.log.Log(auditLevel(sqlstate), "statement", fields...)
	s.audit.since = now
	s.nextAuditedStatement()
}

// tagRows is the row count a command tag reports ("SELECT 5", "INSERT 0 5"),
// or 0.
func tagRows(tag string) int64 {
	i := strings.LastIndexByte(tag, ' ')
	if i < 0 {
		return 0
	}
	n, err := strconv.ParseInt(tag[i+1:], 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// oneLine collapses runs of whitespace in text into single spaces and cuts
// the result to at most max bytes, at a character boundary, marking a cut
// with "…".
func oneLine(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= max {
		return text
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "…"
}
