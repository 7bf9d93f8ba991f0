package pgwire

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
)

// testBackend opens sessions on one shared in-memory DuckDB database.
type testBackend struct{ db *sql.DB }

func (b *testBackend) OpenSession(ctx context.Context) (*sql.Conn, error) {
	return b.db.Conn(ctx)
}

type testServer struct {
	addr *net.TCPAddr
	db   *sql.DB
	srv  *Server
}

func (ts *testServer) port() string { return fmt.Sprint(ts.addr.Port) }

func (ts *testServer) dsn() string {
	return fmt.Sprintf("postgres://tester@127.0.0.1:%d/tpserver?sslmode=disable", ts.addr.Port)
}

// startServer runs a server on 127.0.0.1:0 until the test ends.
func startServer(t *testing.T) *testServer {
	t.Helper()
	return startServerWith(t, func(ln net.Listener) net.Listener { return ln })
}

func startServerWith(t *testing.T, wrap func(net.Listener) net.Listener) *testServer {
	t.Helper()
	return serveBackend(t, func(db *sql.DB) Backend { return &testBackend{db: db} }, wrap)
}

// serveBackend starts a server over a fresh in-memory DuckDB, with the
// backend newBackend builds on it, and stops both when the test ends.
func serveBackend(t *testing.T, newBackend func(*sql.DB) Backend, wrap func(net.Listener) net.Listener) *testServer {
	t.Helper()
	return serveBackendOptions(t, newBackend, wrap, Options{})
}

// startServerOptions runs a server with opt (its Logger set by the test).
func startServerOptions(t *testing.T, opt Options) *testServer {
	t.Helper()
	return serveBackendOptions(t, func(db *sql.DB) Backend { return &testBackend{db: db} }, nil, opt)
}

func serveBackendOptions(t *testing.T, newBackend func(*sql.DB) Backend, wrap func(net.Listener) net.Listener, opt Options) *testServer {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if wrap == nil {
		wrap = func(ln net.Listener) net.Listener { return ln }
	}
	if opt.Logger == nil {
		opt.Logger = zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	}
	srv := NewServer(newBackend(db), opt)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, wrap(ln)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve returned %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Serve did not return after cancel")
		}
		db.Close()
	})
	return &testServer{addr: ln.Addr().(*net.TCPAddr), db: db, srv: srv}
}

func connectPgx(t *testing.T, ts *testServer, mode pgx.QueryExecMode) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(ts.dsn())
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = mode
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// rawClient drives the protocol message by message.
type rawClient struct {
	t  *testing.T
	nc net.Conn
	fe *pgproto3.Frontend
}

func dialRaw(t *testing.T, ts *testServer) *rawClient {
	t.Helper()
	nc, err := net.Dial("tcp", ts.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	rc := &rawClient{t: t, nc: nc, fe: pgproto3.NewFrontend(nc, nc)}
	rc.send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "tester", "database": "tpserver"}})
	rc.until("ReadyForQuery")
	return rc
}

func (rc *rawClient) send(msgs ...pgproto3.FrontendMessage) {
	rc.t.Helper()
	for _, m := range msgs {
		rc.fe.Send(m)
	}
	if err := rc.fe.Flush(); err != nil {
		rc.t.Fatalf("send: %v", err)
	}
}

// recv returns the next message rendered as a short string.
func (rc *rawClient) recv() string {
	rc.t.Helper()
	msg, err := rc.fe.Receive()
	if err != nil {
		rc.t.Fatalf("receive: %v", err)
	}
	return describeMessage(msg)
}

// describeMessage renders a backend message as a short string.
func describeMessage(msg pgproto3.BackendMessage) string {
	switch m := msg.(type) {
	case *pgproto3.DataRow:
		s := "DataRow"
		for _, v := range m.Values {
			s += " " + string(v)
		}
		return s
	case *pgproto3.CommandComplete:
		return "CommandComplete " + string(m.CommandTag)
	case *pgproto3.ErrorResponse:
		return "ErrorResponse " + m.Code
	case *pgproto3.ReadyForQuery:
		return "ReadyForQuery " + string(m.TxStatus)
	case *pgproto3.RowDescription:
		s := "RowDescription"
		for _, f := range m.Fields {
			s += fmt.Sprintf(" %s:%d", f.Name, f.DataTypeOID)
		}
		return s
	case *pgproto3.ParameterDescription:
		return fmt.Sprintf("ParameterDescription %v", m.ParameterOIDs)
	}
	return fmt.Sprintf("%T", msg)[len("*pgproto3."):]
}

// until reads messages up to and including one starting with prefix.
func (rc *rawClient) until(prefix string) []string {
	rc.t.Helper()
	var out []string
	for {
		s := rc.recv()
		out = append(out, s)
		if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
			return out
		}
	}
}

func zapNop() *zap.Logger { return zap.NewNop() }
