package pgwire

import (
	"crypto/tls"
	"fmt"
)

// LoadTLSConfig reads a PEM certificate chain and its private key into a
// server TLS configuration (see ServerTLSConfig).
func LoadTLSConfig(certFile, keyFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load TLS certificate %s and key %s: %w", certFile, keyFile, err)
	}
	return ServerTLSConfig(&tls.Config{Certificates: []tls.Certificate{cert}}), nil
}

// ServerTLSConfig returns a copy of c that accepts TLS 1.2 or later, with
// Go's default (modern) cipher suites and curves.
func ServerTLSConfig(c *tls.Config) *tls.Config {
	c = c.Clone()
	if c.MinVersion < tls.VersionTLS12 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

// isTLS reports whether the client connection was upgraded to TLS.
func (s *session) isTLS() bool {
	_, ok := s.nc.(*tls.Conn)
	return ok
}

// answerSSLRequest answers an SSLRequest: 'N' when the server has no TLS
// configuration, else 'S' and the TLS handshake, after which s.nc is the
// *tls.Conn and every message goes through it. Nothing was buffered from
// the plaintext connection (startup packets are read unbuffered), so no
// plaintext sent before the handshake can be taken as encrypted.
func (s *session) answerSSLRequest() error {
	if s.isTLS() {
		return s.fatal(codeProtocolViolation, "SSLRequest received on an encrypted connection")
	}
	cfg := s.srv.opt.TLS
	if cfg == nil {
		if _, err := s.nc.Write([]byte{'N'}); err != nil {
			return fmt.Errorf("answer SSLRequest: %w", err)
		}
		return nil
	}
	if _, err := s.nc.Write([]byte{'S'}); err != nil {
		return fmt.Errorf("answer SSLRequest: %w", err)
	}
	tc := tls.Server(s.nc, cfg)
	if err := tc.HandshakeContext(s.ctx); err != nil {
		return fmt.Errorf("TLS handshake: %w", err)
	}
	s.nc = tc
	s.out.w.Reset(tc)
	s.setBackend(tc)
	return nil
}

// refusePlaintext ends a session that sent its StartupMessage unencrypted
// to a server that requires TLS.
func (s *session) refusePlaintext() error {
	return s.fatal(codeInvalidAuth, "connection without TLS refused: this server requires an encrypted connection (connect with sslmode=verify-full or sslmode=require)")
}
