package pgwire

import (
	"context"
	"net"
	"sync"
	"time"

	"go.uber.org/zap"
)

// authenticate decides who the client is and what it may do, before any of
// its SQL runs. While no users are configured, only clients on the local
// machine are accepted, and they may do what an analyst may. Once users are
// configured, every client proves with SCRAM-SHA-256 that it is one of them
// and gets its role (scram.go).
func (s *session) authenticate(user string) (Role, error) {
	if len(s.srv.opt.Users) > 0 {
		return s.authenticateSCRAM(user)
	}
	if !isLoopback(s.nc.RemoteAddr()) {
		s.log.Warn("rejected non-loopback client", zap.String("user", user))
		return "", s.fatal(codeInvalidAuth, "no users are configured: only connections from 127.0.0.1 are accepted")
	}
	return RoleAnalyst, nil
}

// serverAuth is the server's authentication state shared by its sessions.
type serverAuth struct {
	throttle *loginThrottle
	mock     *mockSCRAM
}

func newServerAuth(opt Options) serverAuth {
	return serverAuth{throttle: newLoginThrottle(opt.AuthFailDelay, opt.AuthFailMaxDelay), mock: newMockSCRAM()}
}

// Defaults of the delays before a failed login is answered.
const (
	defaultAuthFailDelay    = 100 * time.Millisecond
	defaultAuthFailMaxDelay = 5 * time.Second
	// forgetLoginFailuresAfter is how long an address's failures count
	// after its last one.
	forgetLoginFailuresAfter = 15 * time.Minute
	// maxThrottledAddrs bounds the addresses whose failures are counted.
	maxThrottledAddrs = 10000
)

// loginThrottle slows password guessing: the answer to a failed login
// comes after a delay that doubles with each failure from the same client
// address, from base up to max; a successful login from the address resets
// it. It remembers at most maxThrottledAddrs addresses, forgetting the
// stalest first.
type loginThrottle struct {
	base, max time.Duration
	mu        sync.Mutex
	failures  map[string]loginFailures // by client address (host only)
}

// loginFailures are an address's failed logins.
type loginFailures struct {
	count int
	last  time.Time
}

func newLoginThrottle(base, ceiling time.Duration) *loginThrottle {
	if base <= 0 {
		base = defaultAuthFailDelay
	}
	if ceiling <= 0 {
		ceiling = defaultAuthFailMaxDelay
	}
	return &loginThrottle{base: base, max: max(ceiling, base), failures: map[string]loginFailures{}}
}

// failed records a failed login from addr and returns how long to wait
// before answering it.
func (t *loginThrottle) failed(addr string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, known := t.failures[addr]
	if known && now.Sub(f.last) > forgetLoginFailuresAfter {
		f = loginFailures{}
	}
	if !known && len(t.failures) >= maxThrottledAddrs {
		t.evict(now)
	}
	f.count++
	f.last = now
	t.failures[addr] = f
	delay := t.base
	for i := 1; i < f.count && delay < t.max; i++ {
		delay *= 2
	}
	return min(delay, t.max)
}

// succeeded forgets addr's failures.
func (t *loginThrottle) succeeded(addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, addr)
}

// evict makes room for one more address: it forgets the addresses whose
// failures are stale, or else the one that failed longest ago.
func (t *loginThrottle) evict(now time.Time) {
	var oldest string
	var oldestAt time.Time
	for addr, f := range t.failures {
		if now.Sub(f.last) > forgetLoginFailuresAfter {
			delete(t.failures, addr)
			continue
		}
		if oldest == "" || f.last.Before(oldestAt) {
			oldest, oldestAt = addr, f.last
		}
	}
	if len(t.failures) >= maxThrottledAddrs {
		delete(t.failures, oldest)
	}
}

// clientHost is the address a client's failed logins are counted under:
// its IP address without the port, or "local" for a Unix socket.
func clientHost(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	if host, _, err := net.SplitHostPort(a.String()); err == nil {
		return host
	}
	return "local"
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
