package pgwire

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/xdg-go/scram"
	"go.uber.org/zap"
)

// The SASL mechanisms: SCRAM-SHA-256 (RFC 7677), and over TLS its variant
// bound to the TLS channel by the server certificate's hash
// (tls-server-end-point, RFC 5929), which defeats a man in the middle
// holding another certificate.
const (
	scramMechanism     = "SCRAM-SHA-256"
	scramPlusMechanism = "SCRAM-SHA-256-PLUS"
)

// channelBinding is the tls-server-end-point binding of a TLS session: the
// hash of the certificate the server presents. A plaintext session, or a
// server with several certificates to choose from, has none.
func (s *session) channelBinding() scram.ChannelBinding {
	if _, ok := s.nc.(*tls.Conn); !ok || s.srv.opt.TLS == nil || len(s.srv.opt.TLS.Certificates) != 1 {
		return scram.ChannelBinding{}
	}
	cert := s.srv.opt.TLS.Certificates[0]
	leaf := cert.Leaf
	if leaf == nil && len(cert.Certificate) > 0 {
		var err error
		if leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return scram.ChannelBinding{}
		}
	}
	if leaf == nil {
		return scram.ChannelBinding{}
	}
	// The library hashes "the peer's" certificate of a connection state;
	// from the server's side, the certificate to bind is its own.
	cb, err := scram.NewTLSServerEndpointBinding(&tls.ConnectionState{PeerCertificates: []*x509.Certificate{leaf}})
	if err != nil {
		s.log.Debug("no channel binding for the server certificate", zap.Error(err))
		return scram.ChannelBinding{}
	}
	return cb
}

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

	conv := server.NewConversation()
	cb := s.channelBinding()
	if cb.IsSupported() {
		conv = server.NewConversationWithChannelBinding(cb)
	}
	final, err := s.scramExchange(conv, cb.IsSupported())
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
func (s *session) scramExchange(conv *scram.ServerConversation, plus bool) (string, error) {
	mechanisms := []string{scramMechanism}
	if plus {
		mechanisms = []string{scramPlusMechanism, scramMechanism}
	}
	if err := s.send(&pgproto3.AuthenticationSASL{AuthMechanisms: mechanisms}); err != nil {
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
	// The GS2 header says whether the client binds the channel ("p=…");
	// it must agree with the mechanism chosen. The conversation checks the
	// binding's data, and that a client able to bind does not settle for
	// plain SCRAM where PLUS was offered.
	binds := strings.HasPrefix(string(initial.Data), "p=")
	switch {
	case !slices.Contains(mechanisms, initial.AuthMechanism):
		return "", fmt.Errorf("client chose SASL mechanism %q, want one of %v", initial.AuthMechanism, mechanisms)
	case initial.AuthMechanism == scramPlusMechanism && !binds:
		return "", errors.New("client chose SCRAM-SHA-256-PLUS without channel binding")
	case initial.AuthMechanism == scramMechanism && binds:
		return "", errors.New("client chose SCRAM-SHA-256 with channel binding")
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
