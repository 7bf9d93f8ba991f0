package wirescript

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Connect opens a session on a server: it sends the startup message with
// params (user, database…) and reads up to the first ReadyForQuery,
// accepting only trust authentication.
func Connect(addr string, params map[string]string) (net.Conn, *pgproto3.Frontend, error) {
	nc, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, nil, err
	}
	fe := pgproto3.NewFrontend(nc, nc)
	_ = nc.SetDeadline(time.Now().Add(30 * time.Second))
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: params})
	if err := fe.Flush(); err != nil {
		nc.Close()
		return nil, nil, err
	}
	for {
		msg, err := fe.Receive()
		if err != nil {
			nc.Close()
			return nil, nil, fmt.Errorf("startup: %w", err)
		}
		switch m := msg.(type) {
		case *pgproto3.ReadyForQuery:
			_ = nc.SetDeadline(time.Time{})
			return nc, fe, nil
		case *pgproto3.ErrorResponse:
			nc.Close()
			return nil, nil, fmt.Errorf("startup: %s %s", m.Code, m.Message)
		case *pgproto3.AuthenticationOk, *pgproto3.ParameterStatus, *pgproto3.BackendKeyData, *pgproto3.NoticeResponse:
		default:
			nc.Close()
			return nil, nil, fmt.Errorf("startup: unexpected %T (only trust authentication is supported)", msg)
		}
	}
}

// Run runs the script's steps for server over a session opened with
// Connect, and ends the session. Each message must arrive within timeout.
// The error names the first line whose message differs and shows the
// exchange so far.
func (s *Script) Run(nc net.Conn, fe *pgproto3.Frontend, server string, timeout time.Duration) error {
	defer nc.Close()
	var transcript []string
	unflushed := false
	fail := func(step Step, format string, args ...any) error {
		from := max(0, len(transcript)-30)
		return fmt.Errorf("%s:%d: %s: %s\nexchange so far (last %d lines):\n%s",
			s.Name, step.Line, server, fmt.Sprintf(format, args...), len(transcript)-from, strings.Join(transcript[from:], "\n"))
	}
	for _, step := range s.Steps {
		if step.Server != "" && step.Server != server {
			continue
		}
		if step.Send != nil {
			fe.Send(step.Send)
			unflushed = true
			transcript = append(transcript, fmt.Sprintf("%-4d%s", step.Line, strings.TrimSpace(step.Text)))
			continue
		}
		if unflushed {
			if err := fe.Flush(); err != nil {
				return fail(step, "send: %v", err)
			}
			unflushed = false
		}
		_ = nc.SetReadDeadline(time.Now().Add(timeout))
		msg, err := fe.Receive()
		if err != nil {
			return fail(step, "expected %s, got %v", step.Expect, err)
		}
		got := Render(msg)
		if !got.Equal(*step.Expect) {
			return fail(step, "expected %s\n got %s%s\nthen:\n%s", step.Expect, got, detail(msg), strings.Join(rest(nc, fe, msg), "\n"))
		}
		transcript = append(transcript, fmt.Sprintf("%-4d< %s%s", step.Line, got, detail(msg)))
	}
	if unflushed {
		if err := fe.Flush(); err != nil {
			return fmt.Errorf("%s: %s: send: %v", s.Name, server, err)
		}
	}
	// Nothing may be left unread: a message the script did not expect is a
	// difference too.
	_ = nc.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if msg, err := fe.Receive(); err == nil {
		return fmt.Errorf("%s: %s: unexpected %s%s after the last line, then:\n%s", s.Name, server, Render(msg), detail(msg), strings.Join(rest(nc, fe, msg), "\n"))
	}
	return nil
}

// rest reads what follows a differing message, up to the next ReadyForQuery
// (at most 50 messages), to show the whole answer.
func rest(nc net.Conn, fe *pgproto3.Frontend, last pgproto3.BackendMessage) []string {
	var out []string
	for len(out) < 50 {
		if _, ok := last.(*pgproto3.ReadyForQuery); ok {
			break
		}
		_ = nc.SetReadDeadline(time.Now().Add(time.Second))
		msg, err := fe.Receive()
		if err != nil {
			out = append(out, "    ("+err.Error()+")")
			break
		}
		out = append(out, "    < "+Render(msg).String()+detail(msg))
		last = msg
	}
	return out
}
