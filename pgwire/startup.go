package pgwire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
)

// Startup packet request codes.
const (
	sslRequestCode    = 80877103
	gssEncRequestCode = 80877104
	cancelRequestCode = 80877102
	maxStartupLen     = 10000
)

// readStartupPacket reads one length-prefixed startup-phase packet straight
// from the connection, unbuffered: what follows an SSLRequest must be the
// TLS handshake.
func (s *session) readStartupPacket() (code uint32, body []byte, err error) {
	var hdr [4]byte
	if _, err := io.ReadFull(s.nc, hdr[:]); err != nil {
		return 0, nil, fmt.Errorf("read startup length: %w", err)
	}
	n := int(binary.BigEndian.Uint32(hdr[:]))
	if n < 8 || n > maxStartupLen {
		return 0, nil, fmt.Errorf("invalid startup packet length %d", n)
	}
	buf := make([]byte, n-4)
	if _, err := io.ReadFull(s.nc, buf); err != nil {
		return 0, nil, fmt.Errorf("read startup packet: %w", err)
	}
	return binary.BigEndian.Uint32(buf[:4]), buf[4:], nil
}

// negotiate reads startup packets up to the StartupMessage, answering
// SSLRequest (the TLS upgrade) and GSSENCRequest on the way, and handles a
// CancelRequest. It refuses a plaintext client when TLS is required and a
// client beyond MaxConnections, then starts reading messages. It returns
// false when the connection must be closed.
func (s *session) negotiate() (body []byte, minor uint32, ok bool, err error) {
	_ = s.nc.SetReadDeadline(time.Now().Add(s.srv.opt.StartupTimeout))
	for {
		code, b, err := s.readStartupPacket()
		if err != nil {
			return nil, 0, false, err
		}
		switch code {
		case sslRequestCode:
			if err := s.answerSSLRequest(); err != nil {
				return nil, 0, false, err
			}
			continue
		case gssEncRequestCode:
			// No GSS encryption: refuse and wait for the next packet.
			if _, err := s.nc.Write([]byte{'N'}); err != nil {
				return nil, 0, false, fmt.Errorf("answer GSSENCRequest: %w", err)
			}
			continue
		case cancelRequestCode:
			if len(b) == 8 {
				ok := s.srv.registry.cancel(binary.BigEndian.Uint32(b[:4]), b[4:8])
				s.log.Debug("cancel request", zap.Bool("matched", ok))
			}
			return nil, 0, false, nil
		}
		major := code >> 16
		minor = code & 0xffff
		if major != 3 {
			return nil, 0, false, s.fatal(codeFeatureNotSupported, "unsupported frontend protocol %d.%d: server supports 3.0 to 3.0", major, minor)
		}
		body = b
		break
	}
	_ = s.nc.SetReadDeadline(time.Time{})
	if s.srv.opt.RequireTLS && !s.isTLS() {
		return nil, 0, false, s.refusePlaintext()
	}
	if !s.admitted {
		return nil, 0, false, s.refuseOverLimit()
	}
	s.startReading()
	return body, minor, true, nil
}

// startup handles SSL/GSSENC negotiation, the StartupMessage and
// authentication. It returns false when the connection must be closed.
func (s *session) startup() (bool, error) {
	body, minor, ok, err := s.negotiate()
	if !ok || err != nil {
		return false, err
	}

	s.params.startup = map[string]string{}
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
		s.params.startup[parts[i]] = parts[i+1]
	}
	if minor > 0 || len(unknownOpts) > 0 {
		if err := s.send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: 0, UnrecognizedOptions: unknownOpts}); err != nil {
			return false, err
		}
	}
	user := s.params.startup["user"]
	if user == "" {
		return false, s.fatal(codeInvalidAuth, "no PostgreSQL user name specified in startup packet")
	}
	s.log = s.log.With(zap.String("user", user), zap.String("application_name", s.params.startup["application_name"]))

	role, err := s.authenticate(user)
	if err != nil {
		return false, err
	}
	s.role = role

	conn, err := s.srv.backend.OpenSession(s.ctx)
	if err != nil {
		s.log.Error("open backend session", zap.Error(err))
		return false, s.fatal("08006", "could not open a database session: %v", err)
	}
	s.conn = conn
	s.cancel.interrupter = duckdbx.NewInterrupter(conn)
	s.params.guc = newGUCs(s.srv.opt.ServerVersion, user)
	if _, err := conn.ExecContext(s.ctx, "SET TimeZone = 'UTC'"); err != nil {
		s.log.Warn("set session TimeZone", zap.Error(err))
	}
	err = s.applyServerDefaults()
	if err == nil {
		err = s.applyStartupParams()
	}
	if err != nil {
		var pe *pgError
		if errors.As(err, &pe) {
			return false, s.fatal(pe.Code, "%s", pe.Message)
		}
		return false, err
	}
	s.params.guc.defaults = s.params.guc.snapshot()

	if err := s.send(&pgproto3.AuthenticationOk{}); err != nil {
		return false, err
	}
	if err := s.reportParams(); err != nil {
		return false, err
	}
	s.srv.registry.register(s)
	if err := s.send(&pgproto3.BackendKeyData{ProcessID: s.cancel.pid, SecretKey: s.cancel.secret[:]}); err != nil {
		return false, err
	}
	s.log.Debug("session started")
	return true, s.readyForQuery()
}

// isLoopback reports whether a client connects from the local machine:
// over loopback TCP, a Unix socket, or a net.Pipe of this process.
func isLoopback(a net.Addr) bool {
	switch v := a.(type) {
	case *net.TCPAddr:
		return v.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	}
	return a != nil && a.Network() == "pipe"
}

// applyStartupParams applies parameters given in the startup packet (and
// -c name=value in "options"); they become the session defaults.
func (s *session) applyStartupParams() error {
	set := func(name, value string) error {
		key := strings.ToLower(name)
		def, known := knownParams[key]
		switch {
		case key == "user" || key == "database" || key == "replication" || key == "options":
			return nil
		case known && def.flags&paramReadOnly != 0:
			return nil
		case !known && !strings.Contains(key, "."):
			s.log.Debug("ignored unknown startup parameter", zap.String("name", name))
			return nil
		}
		return s.setParam(name, value, false, false)
	}
	for k, v := range s.params.startup {
		if err := set(k, v); err != nil {
			return err
		}
	}
	if opts := s.params.startup["options"]; opts != "" {
		f := strings.Fields(opts)
		for i := 0; i < len(f); i++ {
			kv := f[i]
			if kv == "-c" && i+1 < len(f) {
				i++
				kv = f[i]
			} else if strings.HasPrefix(kv, "--") {
				kv = kv[2:]
			} else if strings.HasPrefix(kv, "-c") {
				kv = kv[2:]
			} else {
				continue
			}
			if name, value, ok := strings.Cut(kv, "="); ok {
				if err := set(strings.ReplaceAll(name, "-", "_"), value); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
