package pgwire

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/xdg-go/scram"
	"go.uber.org/zap"
)

// scramMechanism is the SASL mechanism of SCRAM-SHA-256 (RFC 7677).
const scramMechanism = "SCRAM-SHA-256"

// codeInvalidPassword is FATAL's SQLSTATE for every failed login.
const codeInvalidPassword = "28P01"

// errClientLeftAuth is a client that closed the connection instead of
// answering the password challenge (libpq does so when it has no password).
var errClientLeftAuth = errors.New("client ended the connection during authentication")

// mockSCRAM makes stable, unguessable SCRAM credentials for user names that
// are not configured, so that a client cannot tell an unknown user from a
// wrong password: the exchange runs the same way (with a salt that does not
// change from one attempt to the next) and fails at the proof.
type mockSCRAM struct {
	secret [32]byte
}

func newMockSCRAM() *mockSCRAM {
	m := &mockSCRAM{}
	_, _ = rand.Read(m.secret[:]) // crypto/rand.Read never fails
	return m
}

// credentials are the mock credentials of user.
func (m *mockSCRAM) credentials(user string) SCRAMCredentials {
	derive := func(purpose string) []byte {
		h := hmac.New(sha256.New, m.secret[:])
		h.Write([]byte(purpose))
		h.Write([]byte{0})
		h.Write([]byte(user))
		return h.Sum(nil)
	}
	return SCRAMCredentials{
		Iterations: 4096,
		Salt:       derive("salt")[:16],
		StoredKey:  derive("stored key"),
		ServerKey:  derive("server key"),
	}
}

// authenticateSCRAM runs a SCRAM-SHA-256 exchange (AuthenticationSASL,
// SASLContinue, SASLFinal) with the client for user, whose name the
// startup packet gave (the SCRAM messages' own user name is ignored, as
// PostgreSQL does). A failed login, whatever its cause, is answered after
// the client address's delay with FATAL 28P01.
func (s *session) authenticateSCRAM(user string) (Role, error) {
	u, known := s.srv.opt.Users[user]
	creds := u.Credentials
	if !known {
		creds = s.srv.auth.mock.credentials(user)
	}
	lookup := func(string) (scram.StoredCredentials, error) {
		return scram.StoredCredentials{
			KeyFactors: scram.KeyFactors{Salt: string(creds.Salt), Iters: creds.Iterations},
			StoredKey:  creds.StoredKey, ServerKey: creds.ServerKey,
		}, nil
	}
	server, err := scram.SHA256.NewServer(lookup)
	if err != nil {
		return "", fmt.Errorf("scram server: %w", err)
	}
	_ = s.nc.SetReadDeadline(time.Now().Add(s.srv.opt.StartupTimeout))
	defer func() { _ = s.nc.SetReadDeadline(time.Time{}) }()

	final, err := s.scramExchange(server.NewConversation())
	host := clientHost(s.nc.RemoteAddr())
	switch {
	case errors.Is(err, errClientLeftAuth):
		s.log.Info("client left during authentication", zap.String("user", user), zap.String("address", host))
		return "", err
	case err != nil || !known:
		reason := "unknown user"
		if err != nil && known {
			reason = err.Error()
		}
		delay := s.srv.auth.throttle.failed(host, time.Now())
		s.log.Warn("authentication failed", zap.String("user", user), zap.String("address", host),
			zap.String("reason", reason), zap.Duration("delay", delay))
		sleepCtx(s.ctx, delay)
		return "", s.fatal(codeInvalidPassword, "password authentication failed for user %q", user)
	}
	if err := s.send(&pgproto3.AuthenticationSASLFinal{Data: []byte(final)}); err != nil {
		return "", err
	}
	s.srv.auth.throttle.succeeded(host)
	s.log.Debug("authenticated", zap.String("role", string(u.Role)))
	return u.Role, nil
}

// scramExchange runs the SASL messages of a SCRAM conversation up to the
// server's final message, which it returns when the client's proof is
// valid.
func (s *session) scramExchange(conv *scram.ServerConversation) (string, error) {
	if err := s.send(&pgproto3.AuthenticationSASL{AuthMechanisms: []string{scramMechanism}}); err != nil {
		return "", err
	}
	first, err := s.receiveSASL(pgproto3.AuthTypeSASL)
	if err != nil {
		return "", err
	}
	initial, ok := first.(*pgproto3.SASLInitialResponse)
	if !ok {
		return "", fmt.Errorf("client sent %T, want SASLInitialResponse", first)
	}
	if initial.AuthMechanism != scramMechanism {
		return "", fmt.Errorf("client chose SASL mechanism %q, want %s", initial.AuthMechanism, scramMechanism)
	}
	challenge, err := conv.Step(string(initial.Data))
	if err != nil {
		return "", fmt.Errorf("scram client-first-message: %w", err)
	}
	if err := s.send(&pgproto3.AuthenticationSASLContinue{Data: []byte(challenge)}); err != nil {
		return "", err
	}
	second, err := s.receiveSASL(pgproto3.AuthTypeSASLContinue)
	if err != nil {
		return "", err
	}
	response, ok := second.(*pgproto3.SASLResponse)
	if !ok {
		return "", fmt.Errorf("client sent %T, want SASLResponse", second)
	}
	final, err := conv.Step(string(response.Data))
	if err != nil {
		return "", fmt.Errorf("scram client-final-message: %w", err)
	}
	if !conv.Valid() {
		return "", errors.New("scram proof invalid")
	}
	return final, nil
}

// receiveSASL flushes what was sent and reads the client's answer to an
// authentication request of authType.
func (s *session) receiveSASL(authType uint32) (pgproto3.FrontendMessage, error) {
	if err := s.flush(); err != nil {
		return nil, err
	}
	if err := s.be.SetAuthType(authType); err != nil {
		return nil, fmt.Errorf("sasl auth type: %w", err)
	}
	msg, err := s.be.Receive()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errClientLeftAuth, err)
	}
	return msg, nil
}
