package pgwire

import (
	"database/sql"
	"net"
)

// Test helpers for the external tests (package pgwire_test), which serve
// backends from packages that import pgwire, such as catalog.

// TestServer is a server the tests run until they end.
type TestServer = testServer

// NewTestServer describes a server listening on addr over db.
func NewTestServer(addr *net.TCPAddr, db *sql.DB, srv *Server) *TestServer {
	return &testServer{addr: addr, db: db, srv: srv}
}

// Addr is the host:port the server listens on.
func (ts *testServer) Addr() string { return ts.addr.String() }

// ConnectPgx and TestCtx are connectPgx and testCtx.
var (
	ConnectPgx = connectPgx
	TestCtx    = testCtx
)
