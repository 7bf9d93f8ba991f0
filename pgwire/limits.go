package pgwire

import (
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"
)

// SQLSTATEs of the server's limits.
const (
	codeTooManyConnections   = "53300"
	codeProgramLimitExceeded = "54000"
	codeIdleSessionTimeout   = "57P05"
	codeIdleInTxTimeout      = "25P03"
)

// Defaults of the limits in Options.
const (
	DefaultMaxConnections = 100
	DefaultMaxMessageSize = 64 << 20
)

// Errors an inbox read returns when the client stayed idle too long.
var (
	errIdleSession = errors.New("terminating connection due to idle-session timeout")
	errIdleInTx    = errors.New("terminating connection due to idle-in-transaction timeout")
)

// admit counts a new connection as a session, unless MaxConnections are
// already open; admitted sessions call release when they close.
func (s *Server) admit() bool {
	if s.sessions.Add(1) > int64(s.opt.MaxConnections) {
		s.sessions.Add(-1)
		return false
	}
	return true
}

// release ends the count of an admitted session.
func (s *Server) release() { s.sessions.Add(-1) }

// refuseOverLimit answers a client beyond MaxConnections, before anything
// of a backend session is opened.
func (s *session) refuseOverLimit() error {
	s.log.Warn("refused client: too many connections", zap.Int("max_connections", s.srv.opt.MaxConnections))
	return s.fatal(codeTooManyConnections, "sorry, too many clients already")
}

// applyServerDefaults sets the session defaults the server configures:
// idle_session_timeout and the role's statement_timeout. Startup
// parameters may still override them.
func (s *session) applyServerDefaults() error {
	if d := s.srv.opt.IdleSessionTimeout; d > 0 {
		if err := s.setParam("idle_session_timeout", strconv.FormatInt(d.Milliseconds(), 10), false, false); err != nil {
			return err
		}
	}
	if d := s.srv.opt.RoleStatementTimeout[s.role]; d > 0 {
		if err := s.setParam("statement_timeout", strconv.FormatInt(d.Milliseconds(), 10), false, false); err != nil {
			return err
		}
	}
	return nil
}

// receive reads the next frontend message. Waiting for a command after
// ReadyForQuery, it ends the session once idle_session_timeout (outside a
// transaction block) or idle_in_transaction_session_timeout (inside one)
// passes; a message longer than MaxMessageSize ends the session too.
func (s *session) receive() (pgproto3.FrontendMessage, error) {
	if s.awaitingCommand {
		s.awaitingCommand = false
		name, idleErr := "idle_session_timeout", errIdleSession
		if s.tx.status != txIdle {
			name, idleErr = "idle_in_transaction_session_timeout", errIdleInTx
		}
		if ms, _ := parseMillis(s.params.guc.get(name)); ms > 0 {
			s.in.setDeadline(time.Now().Add(time.Duration(ms)*time.Millisecond), idleErr)
			defer s.in.setDeadline(time.Time{}, nil)
		}
	}
	msg, err := s.be.Receive()
	var tooLong *pgproto3.ExceededMaxBodyLenErr
	switch {
	case errors.Is(err, errIdleSession):
		return nil, s.fatal(codeIdleSessionTimeout, "%s", errIdleSession)
	case errors.Is(err, errIdleInTx):
		return nil, s.fatal(codeIdleInTxTimeout, "%s", errIdleInTx)
	case errors.As(err, &tooLong):
		s.log.Warn("message too long", zap.Int("size", tooLong.ActualBodyLen), zap.Int("max_message_size", tooLong.MaxExpectedBodyLen))
		return nil, s.fatal(codeProgramLimitExceeded, "message of %d bytes exceeds the server's maximum message size of %d bytes", tooLong.ActualBodyLen+4, tooLong.MaxExpectedBodyLen+4)
	}
	return msg, err
}

// setBackend makes the protocol reader and writer read s.r and write w,
// with the server's maximum message size.
func (s *session) setBackend(w io.Writer) {
	s.be = pgproto3.NewBackend(s.r, w)
	s.be.SetMaxBodyLen(s.srv.opt.MaxMessageSize - 4) // the size counts the length word
}
