package pgwire

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/tpserver/tpserver/pgwire/internal/duckdbx"
	"github.com/tpserver/tpserver/pgwire/internal/sqlclass"
)

// Options configures a Server.
type Options struct {
	// ServerVersion is reported as server_version, e.g. "15.0 (tpserver)".
	ServerVersion string
	// Logger receives connection and protocol logs; nil disables logging.
	Logger *zap.Logger
	// FlushBytes is the size of the per-connection write buffer; buffered
	// result rows are flushed whenever it fills. Default 64 KiB.
	FlushBytes int
	// StartupTimeout bounds the time a client may take to send its startup
	// packet. Default 30s.
	StartupTimeout time.Duration
	// FetchAhead fetches a large result's next chunk on another goroutine
	// while the current one is encoded, so that DuckDB and the encoder can
	// use two cores. Off by default: on a busy 2-core machine it was not
	// measurably faster (BenchmarkStreamSelectStar compares the two).
	FetchAhead bool

	// Users who may connect, by name. With none, only clients on the local
	// machine are accepted, without a password, as analysts. With some,
	// every client logs in as one of them with SCRAM-SHA-256 and has its
	// role.
	Users map[string]User
	// AuthFailDelay is how long a failed login waits before it is answered
	// (default 100ms); it doubles with each further failure from the same
	// client address, up to AuthFailMaxDelay (default 5s), until a login
	// from the address succeeds.
	AuthFailDelay, AuthFailMaxDelay time.Duration

	// TLS, when set, upgrades clients that send an SSLRequest (see
	// ServerTLSConfig); without it they are answered 'N'.
	TLS *tls.Config
	// RequireTLS refuses a StartupMessage sent without TLS (28000).
	RequireTLS bool
	// MaxConnections bounds the sessions open at once; beyond it a client
	// gets FATAL 53300 before any backend session is opened. Default 100.
	MaxConnections int
	// MaxMessageSize bounds a frontend message's size in bytes (length word
	// included); a longer one ends its session with FATAL 54000. Default
	// 64 MiB.
	MaxMessageSize int
	// IdleSessionTimeout is the default idle_session_timeout: a session
	// idle that long outside a transaction block ends with FATAL 57P05.
	// Zero disables it.
	IdleSessionTimeout time.Duration
	// RoleStatementTimeout is each role's default statement_timeout.
	RoleStatementTimeout map[Role]time.Duration
	// Audit configures the audit log (audit.go); off by default.
	Audit AuditOptions
	// MaxActiveStatements bounds the statements working inside DuckDB at
	// once, server wide (admit.go): further ones wait their turn, first
	// come first served, cancellable while they wait. A statement holds
	// its slot while DuckDB prepares or runs it or fetches a chunk of its
	// result, not while a client reads. Zero or negative: no bound (the
	// default: measured on the dashboard mix, DuckDB's CPU per statement
	// does not grow with concurrency, and a bound near the core count only
	// queues dashboards behind long statements; see README).
	MaxActiveStatements int
}

// DefaultServerVersion is reported when Options.ServerVersion is empty.
const DefaultServerVersion = "15.0 (tpserver)"

// Server accepts PostgreSQL wire protocol connections.
type Server struct {
	backend  Backend
	opt      Options
	log      *zap.Logger
	registry sessionRegistry // sessions by BackendKeyData, for CancelRequest
	stmts    stmtCache       // prepared statements' descriptions, by text
	classes  *sqlclass.Cache // classified query strings
	auth     serverAuth      // failed logins' delays, unknown users' credentials
	sessions atomic.Int64    // admitted sessions open now (MaxConnections)
	active   *admission      // statements working inside DuckDB (MaxActiveStatements)
	// valueRows makes sessions read results value by value through
	// database/sql instead of chunk by chunk (encode_chunkrows.go): the
	// tests and benchmarks compare the two.
	valueRows bool
}

// StreamResults makes every DuckDB query of the process stream its results
// chunk by chunk, as a Server's sessions do (NewServer calls it). An
// in-process reader of large results that runs without a server, such as
// the query command, calls it too.
func StreamResults() { duckdbx.EnableStreamingResults() }

// classCacheSize bounds the classified query strings a Server remembers.
const classCacheSize = 4096

// NewServer returns a server that opens one Backend session per client.
// It makes every DuckDB query of the process stream its results
// (duckdbx.EnableStreamingResults): sessions read rows as they send them,
// and keep suspended portals within DuckDB's one-live-result rule.
func NewServer(b Backend, opt Options) *Server {
	StreamResults()
	if opt.ServerVersion == "" {
		opt.ServerVersion = DefaultServerVersion
	}
	if opt.FlushBytes <= 0 {
		opt.FlushBytes = 64 << 10
	}
	if opt.StartupTimeout <= 0 {
		opt.StartupTimeout = 30 * time.Second
	}
	if opt.MaxConnections <= 0 {
		opt.MaxConnections = DefaultMaxConnections
	}
	if opt.MaxMessageSize <= 4 {
		opt.MaxMessageSize = DefaultMaxMessageSize
	}
	if opt.TLS != nil {
		opt.TLS = ServerTLSConfig(opt.TLS)
	}
	opt.RoleStatementTimeout = maps.Clone(opt.RoleStatementTimeout)
	log := opt.Logger
	if log == nil {
		log = zap.NewNop()
	}
	return &Server{backend: b, opt: opt, log: log, classes: sqlclass.NewCache(classCacheSize), auth: newServerAuth(opt),
		active: newAdmission(opt.MaxActiveStatements)}
}

// Serve accepts connections until ctx is cancelled or ln is closed; each
// connection runs in its own goroutine. It closes ln and waits for all
// sessions to end before returning. It returns nil after cancellation or
// when the listener was closed.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.opt.RequireTLS && s.opt.TLS == nil {
		_ = ln.Close()
		return errors.New("pgwire: RequireTLS needs a TLS configuration")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stop()

	var wg sync.WaitGroup
	defer wg.Wait()
	var tempDelay time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				cancel() // end running sessions
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				tempDelay = min(max(2*tempDelay, 5*time.Millisecond), time.Second)
				time.Sleep(tempDelay)
				continue
			}
			cancel()
			return fmt.Errorf("pgwire: accept: %w", err)
		}
		tempDelay = 0
		admitted := s.admit()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if admitted {
				defer s.release()
			}
			s.serveConn(ctx, c, admitted)
		}()
	}
}

// ServeConn runs one connection to completion and returns when its
// session ends or ctx is cancelled. It is for a client in this process,
// such as the query command reading a net.Pipe with pgconn: a pipe's
// client counts as local (trusted while no Users are configured).
func (s *Server) ServeConn(ctx context.Context, c net.Conn) {
	admitted := s.admit()
	if admitted {
		defer s.release()
	}
	s.serveConn(ctx, c, admitted)
}

// serveConn runs one client connection to completion; a client that was
// not admitted (MaxConnections) is only told so.
func (s *Server) serveConn(ctx context.Context, c net.Conn, admitted bool) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()
	defer c.Close()
	log := s.log.With(zap.String("remote", c.RemoteAddr().String()))
	defer func() {
		if r := recover(); r != nil {
			log.Error("session panic", zap.Any("panic", r), zap.Stack("stack"))
		}
	}()
	sess := newSession(ctx, s, c, log)
	sess.admitted = admitted
	if err := sess.run(); err != nil {
		log.Debug("session ended with error", zap.Error(err))
	}
}
