package pgwire

import "go.uber.org/zap"

// authenticate decides who the client is and what it may do, before any of
// its SQL runs. While no users are configured, only clients on the local
// machine are accepted, and they may do what an analyst may.
func (s *session) authenticate(user string) (Role, error) {
	if !isLoopback(s.nc.RemoteAddr()) {
		s.log.Warn("rejected non-loopback client", zap.String("user", user))
		return "", s.fatal(codeInvalidAuth, "no users are configured: only connections from 127.0.0.1 are accepted")
	}
	return RoleAnalyst, nil
}
