package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/tpserver/tpserver/catalog"
	"github.com/tpserver/tpserver/collector"
	"github.com/tpserver/tpserver/pgwire"
)

func newServeCommand(g *globals) *cobra.Command {
	var refresh time.Duration
	var auth serveAuth
	var network serveNetwork
	var audit auditFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the lake over the PostgreSQL wire protocol",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			auditOpt, err := audit.options()
			if err != nil {
				return usageError(err)
			}
			// openWorkspace, with the network checked before the demo
			// data is collected.
			log, err := g.logger()
			if err != nil {
				return usageError(err)
			}
			ws, err := g.workspace(ctx, log)
			if err != nil {
				return err
			}
			srvOpt, err := network.serverOptions(cmd, len(ws.users) > 0)
			if err != nil {
				return usageError(err)
			}
			if err := ws.collectDemo(ctx); err != nil {
				return err
			}
			defer log.Sync()
			catOpt := ws.catalogOptions()
			catOpt.MemoryLimit, catOpt.Threads = network.memoryLimit, network.threads
			cat, err := catalog.Open(ctx, catOpt)
			if err != nil {
				return err
			}
			defer cat.Close()
			ln, err := listenTCP(network.listen)
			if err != nil {
				return err
			}
			log.Info("serving the PostgreSQL protocol", zap.String("listen", ln.Addr().String()),
				zap.String("data_dir", ws.dataDir), zap.Duration("refresh_interval", refresh),
				zap.Bool("tls", srvOpt.TLS != nil), zap.Bool("require_tls", srvOpt.RequireTLS),
				zap.Int("max_connections", srvOpt.MaxConnections))

			// Keep the partitions current in the background; readers switch
			// to new files at each commit.
			c := ws.collector()
			c.OnCommit = func() {
				if err := cat.Refresh(ctx); err != nil && ctx.Err() == nil {
					log.Error("refresh lake views", zap.Error(err))
				}
			}
			sched := &collector.Scheduler{
				Collector: c, Partitions: ws.partitions, Interval: refresh, Logger: log,
				OnStatus: func(st []collector.Status) {
					if err := cat.SetPartitionStatus(ctx, partitionStatus(st)); err != nil && ctx.Err() == nil {
						log.Error("update tpserver.partitions", zap.Error(err))
					}
				},
			}
			var bg sync.WaitGroup
			bg.Add(1)
			go func() {
				defer bg.Done()
				sched.Run(ctx)
			}()
			defer bg.Wait()

			srvOpt.Logger, srvOpt.Audit = log, auditOpt
			auth.apply(&srvOpt, ws.users, log)
			srv := pgwire.NewServer(cat, srvOpt)
			err = srv.Serve(ctx, ln)
			if errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
				log.Info("server stopped")
				return nil
			}
			return err
		},
	}
	network.addFlags(cmd)
	cmd.Flags().DurationVar(&refresh, "refresh-interval", envDuration("TPSERVER_REFRESH_INTERVAL", collector.DefaultRefreshInterval),
		"how often to collect every partition in the background (env TPSERVER_REFRESH_INTERVAL)")
	auth.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&audit.level, "audit-level", envOr("TPSERVER_AUDIT_LEVEL", "info"),
		"audit log level (connections and statements, logger \"audit\"): debug, info, warn (refusals only), off (env TPSERVER_AUDIT_LEVEL)")
	cmd.Flags().IntVar(&audit.textBytes, "audit-statement-text", envParse(&audit.envErrs, "TPSERVER_AUDIT_STATEMENT_TEXT", 0, strconv.Atoi),
		"log each statement's text, on one line and cut to this many bytes (0: never; the text holds literal values) (env TPSERVER_AUDIT_STATEMENT_TEXT)")
	return cmd
}

// auditFlags are serve's audit log settings.
type auditFlags struct {
	level     string
	textBytes int
	envErrs   []error
}

// options builds the server's audit options: a logger named "audit" on
// stderr at its own level, independent of --log-level.
func (a auditFlags) options() (pgwire.AuditOptions, error) {
	if err := errors.Join(a.envErrs...); err != nil {
		return pgwire.AuditOptions{}, err
	}
	if a.level == "off" {
		return pgwire.AuditOptions{}, nil
	}
	log, err := stderrLogger(a.level, "--audit-level")
	if err != nil {
		return pgwire.AuditOptions{}, err
	}
	return pgwire.AuditOptions{Logger: log.Named("audit"), StatementTextBytes: a.textBytes}, nil
}

// partitionStatus converts the scheduler's status into tpserver.partitions rows.
func partitionStatus(st []collector.Status) []catalog.PartitionStatus {
	out := make([]catalog.PartitionStatus, len(st))
	for i, s := range st {
		state := "idle"
		switch {
		case s.Running:
			state = "running"
		case s.LastError != "":
			state = "failed"
		}
		out[i] = catalog.PartitionStatus{
			Partition: s.Partition, Table: s.Table, Name: s.Name, SourceType: s.SourceType, State: state,
			Runs: int64(s.Runs), LastStart: s.LastStart, LastEnd: s.LastEnd, NextRun: s.NextRun,
			Files: int64(s.Files), FailedFiles: int64(s.FailedFiles), Rows: s.Rows, RowErrors: s.RowErrors,
			LastError: s.LastError, RowWarnings: s.RowWarnings, FailingFiles: int64(s.FailingFiles),
			LastFailureFile: s.LastFailure.Location, LastFailureReason: s.LastFailure.Reason, LastFailureTime: s.LastFailure.Last,
		}
	}
	return out
}

// envDuration reads a duration from the environment, or returns def.
func envDuration(name string, def time.Duration) time.Duration {
	if v := os.Getenv(name); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

// serveNetwork is how serve meets the network: the address, TLS and the
// server's limits.
type serveNetwork struct {
	listen             string
	tlsCert, tlsKey    string
	requireTLS         bool
	maxConnections     int
	maxActive          int
	maxMessageSize     string
	memoryLimit        string
	threads            int
	fetchAhead         bool
	idleSessionTimeout time.Duration
	readerTimeout      time.Duration
	analystTimeout     time.Duration
	// envErrs are environment variables that could not be read.
	envErrs []error
}

// addFlags declares serve's network flags; each takes its default from
// an environment variable.
func (n *serveNetwork) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&n.listen, "listen", envOr("TPSERVER_LISTEN", "127.0.0.1:5433"), "address to listen on (env TPSERVER_LISTEN)")
	f.StringVar(&n.tlsCert, "tls-cert", envOr("TPSERVER_TLS_CERT", ""), "PEM certificate chain for TLS (env TPSERVER_TLS_CERT)")
	f.StringVar(&n.tlsKey, "tls-key", envOr("TPSERVER_TLS_KEY", ""), "PEM private key of --tls-cert (env TPSERVER_TLS_KEY)")
	f.BoolVar(&n.requireTLS, "require-tls", envParse(&n.envErrs, "TPSERVER_REQUIRE_TLS", false, strconv.ParseBool),
		"refuse clients that do not use TLS; on by default when --listen is not a loopback address (env TPSERVER_REQUIRE_TLS)")
	f.IntVar(&n.maxConnections, "max-connections", envParse(&n.envErrs, "TPSERVER_MAX_CONNECTIONS", pgwire.DefaultMaxConnections, strconv.Atoi),
		"sessions open at once; beyond it clients get \"too many clients\" (env TPSERVER_MAX_CONNECTIONS)")
	f.IntVar(&n.maxActive, "max-active-statements", envParse(&n.envErrs, "TPSERVER_MAX_ACTIVE_STATEMENTS", 0, strconv.Atoi),
		"statements working inside DuckDB at once, others waiting their turn; 0 no bound (env TPSERVER_MAX_ACTIVE_STATEMENTS)")
	f.StringVar(&n.maxMessageSize, "max-message-size", envOr("TPSERVER_MAX_MESSAGE_SIZE", "64MiB"),
		"largest protocol message a client may send, such as 1MiB; a longer one ends its session (env TPSERVER_MAX_MESSAGE_SIZE)")
	f.StringVar(&n.memoryLimit, "memory-limit", envOr("TPSERVER_MEMORY_LIMIT", ""),
		"DuckDB's memory limit for all queries, such as 4GB (default DuckDB's, 80% of RAM) (env TPSERVER_MEMORY_LIMIT)")
	f.IntVar(&n.threads, "threads", envParse(&n.envErrs, "TPSERVER_THREADS", 0, strconv.Atoi),
		"DuckDB's worker threads (default one per core) (env TPSERVER_THREADS)")
	f.BoolVar(&n.fetchAhead, "fetch-ahead", envParse(&n.envErrs, "TPSERVER_FETCH_AHEAD", false, strconv.ParseBool),
		"fetch a large result's next chunk from DuckDB while the current one is sent, using a second core (env TPSERVER_FETCH_AHEAD)")
	f.DurationVar(&n.idleSessionTimeout, "idle-session-timeout", envParse(&n.envErrs, "TPSERVER_IDLE_SESSION_TIMEOUT", 0, time.ParseDuration),
		"end sessions idle this long outside a transaction; 0 never; sessions may change idle_session_timeout (env TPSERVER_IDLE_SESSION_TIMEOUT)")
	f.DurationVar(&n.readerTimeout, "reader-statement-timeout", envParse(&n.envErrs, "TPSERVER_READER_STATEMENT_TIMEOUT", 0, time.ParseDuration),
		"default statement_timeout of reader sessions; 0 none (env TPSERVER_READER_STATEMENT_TIMEOUT)")
	f.DurationVar(&n.analystTimeout, "analyst-statement-timeout", envParse(&n.envErrs, "TPSERVER_ANALYST_STATEMENT_TIMEOUT", 0, time.ParseDuration),
		"default statement_timeout of analyst sessions; 0 none (env TPSERVER_ANALYST_STATEMENT_TIMEOUT)")
}

// serverOptions checks the network flags and returns the server's options
// (without a logger or users). A non-loopback address needs users.
func (n *serveNetwork) serverOptions(cmd *cobra.Command, usersConfigured bool) (pgwire.Options, error) {
	if len(n.envErrs) > 0 {
		return pgwire.Options{}, errors.Join(n.envErrs...)
	}
	loopback, err := isLoopbackAddress(n.listen)
	if err != nil {
		return pgwire.Options{}, err
	}
	if !loopback && !usersConfigured {
		return pgwire.Options{}, fmt.Errorf("refusing to listen on %s: it accepts clients from the network, but no users are configured, "+
			"and without users any client may connect without a password; configure users with passwords "+
			"(see \"Running on a network\" in README.md), or listen on a loopback address such as 127.0.0.1:5433", n.listen)
	}
	opt := pgwire.Options{
		RequireTLS: n.requireTLS, FetchAhead: n.fetchAhead, MaxConnections: n.maxConnections, MaxActiveStatements: n.maxActive, IdleSessionTimeout: n.idleSessionTimeout,
		RoleStatementTimeout: map[pgwire.Role]time.Duration{pgwire.RoleReader: n.readerTimeout, pgwire.RoleAnalyst: n.analystTimeout},
	}
	if !cmd.Flags().Changed("require-tls") && os.Getenv("TPSERVER_REQUIRE_TLS") == "" {
		opt.RequireTLS = !loopback
	}
	if opt.MaxMessageSize, err = parseByteSize(n.maxMessageSize); err != nil {
		return pgwire.Options{}, fmt.Errorf("--max-message-size: %w", err)
	}
	if opt.MaxConnections < 1 || n.threads < 0 || n.idleSessionTimeout < 0 || n.readerTimeout < 0 || n.analystTimeout < 0 {
		return pgwire.Options{}, errors.New("--max-connections must be at least 1, and --threads and the timeouts may not be negative")
	}
	switch {
	case n.tlsCert != "" && n.tlsKey != "":
		if opt.TLS, err = pgwire.LoadTLSConfig(n.tlsCert, n.tlsKey); err != nil {
			return pgwire.Options{}, err
		}
	case n.tlsCert != "" || n.tlsKey != "":
		return pgwire.Options{}, errors.New("TLS needs both --tls-cert and --tls-key (env TPSERVER_TLS_CERT, TPSERVER_TLS_KEY)")
	case opt.RequireTLS:
		return pgwire.Options{}, fmt.Errorf("TLS is required (--require-tls, on by default when listening on %s, not a loopback address): "+
			"give a certificate with --tls-cert and --tls-key (env TPSERVER_TLS_CERT, TPSERVER_TLS_KEY)", n.listen)
	}
	return opt, nil
}

// isLoopbackAddress reports whether a listen address only accepts clients
// from the local machine: a loopback IP or localhost.
func isLoopbackAddress(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("--listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

// listenTCP listens on addr.
func listenTCP(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// parseByteSize reads a size in bytes: a number with an optional unit, B,
// kB, MB or GB (of 1024, as PostgreSQL counts) or KiB, MiB, GiB; from 1 KiB
// to 1 GiB.
func parseByteSize(v string) (int, error) {
	num := strings.TrimRight(v, "BbKkMmGgIi ")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil {
		return 0, fmt.Errorf("%q is not a size such as 64MiB", v)
	}
	units := map[string]int{"": 1, "B": 1, "kB": 1 << 10, "KB": 1 << 10, "KiB": 1 << 10, "MB": 1 << 20, "MiB": 1 << 20, "GB": 1 << 30, "GiB": 1 << 30}
	unit, ok := units[strings.TrimSpace(v[len(num):])]
	if !ok {
		return 0, fmt.Errorf("%q: unknown unit (B, kB, MB, GB, KiB, MiB, GiB)", v)
	}
	if n < 1 || n > (1<<30)/unit || n*unit < 1<<10 {
		return 0, fmt.Errorf("%q is outside 1KiB to 1GiB", v)
	}
	return n * unit, nil
}

// envParse reads a default from the environment with parse, or returns
// def; an unreadable value is recorded in errs.
func envParse[T any](errs *[]error, name string, def T, parse func(string) (T, error)) T {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	x, err := parse(v)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("env %s=%q: %w", name, v, err))
		return def
	}
	return x
}
