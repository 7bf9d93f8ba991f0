package pgwire

import (
	"context"
	"fmt"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"
)

func TestExecuteMaxRows(t *testing.T) {
	ts := startServer(t)
	rc := dialRaw(t, ts)
	rc.send(
		&pgproto3.Parse{Query: "SELECT i FROM range(7) t(i) ORDER BY i"},
		&pgproto3.Bind{},
		&pgproto3.Describe{ObjectType: 'P'},
		&pgproto3.Execute{MaxRows: 3},
		&pgproto3.Flush{},
	)
	got := rc.until("PortalSuspended")
	want := []string{"ParseComplete", "BindComplete", "RowDescription i:20", "DataRow 0", "DataRow 1", "DataRow 2", "PortalSuspended"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("first page:\n got %q\nwant %q", got, want)
	}
	rc.send(&pgproto3.Execute{MaxRows: 3}, &pgproto3.Flush{})
	got = rc.until("PortalSuspended")
	if want := []string{"DataRow 3", "DataRow 4", "DataRow 5", "PortalSuspended"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("second page: %q", got)
	}
	rc.send(&pgproto3.Execute{MaxRows: 3}, &pgproto3.Sync{})
	got = rc.until("ReadyForQuery")
	if want := []string{"DataRow 6", "CommandComplete SELECT 7", "ReadyForQuery I"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("last page: %q", got)
	}
	// The unnamed portal is gone after Sync.
	rc.send(&pgproto3.Execute{}, &pgproto3.Sync{})
	if got := rc.until("ReadyForQuery"); !reflect.DeepEqual(got, []string{"ErrorResponse 34000", "ReadyForQuery I"}) {
		t.Fatalf("after sync: %q", got)
	}
}

func TestPipelineWithError(t *testing.T) {
	ts := startServer(t)
	rc := dialRaw(t, ts)
	rc.send(
		&pgproto3.Parse{Name: "ok", Query: "SELECT $1::INTEGER * 2 AS x"},
		&pgproto3.Bind{PreparedStatement: "ok", Parameters: [][]byte{[]byte("21")}},
		&pgproto3.Execute{},
		&pgproto3.Parse{Name: "bad", Query: "SELECT nocolumn"},
		&pgproto3.Bind{PreparedStatement: "bad"},
		&pgproto3.Execute{},
		&pgproto3.Sync{},
	)
	got := rc.until("ReadyForQuery")
	want := []string{"ParseComplete", "BindComplete", "DataRow 42", "CommandComplete SELECT 1", "ErrorResponse 42703", "ReadyForQuery I"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("pipeline:\n got %q\nwant %q", got, want)
	}
	// The named statement survives and the connection keeps working.
	rc.send(
		&pgproto3.Bind{PreparedStatement: "ok", Parameters: [][]byte{[]byte("5")}},
		&pgproto3.Execute{},
		&pgproto3.Sync{},
	)
	if got := rc.until("ReadyForQuery"); !reflect.DeepEqual(got, []string{"BindComplete", "DataRow 10", "CommandComplete SELECT 1", "ReadyForQuery I"}) {
		t.Fatalf("after error: %q", got)
	}
	// Describe statement: parameter and row description without executing.
	rc.send(&pgproto3.Describe{ObjectType: 'S', Name: "ok"}, &pgproto3.Close{ObjectType: 'S', Name: "ok"}, &pgproto3.Sync{})
	if got := rc.until("ReadyForQuery"); !reflect.DeepEqual(got, []string{"ParameterDescription [23]", "RowDescription x:23", "CloseComplete", "ReadyForQuery I"}) {
		t.Fatalf("describe: %q", got)
	}
	// DDL has no row description.
	rc.send(&pgproto3.Parse{Query: "CREATE TABLE pt(a INTEGER)"}, &pgproto3.Describe{ObjectType: 'S'}, &pgproto3.Sync{})
	if got := rc.until("ReadyForQuery"); !reflect.DeepEqual(got, []string{"ParseComplete", "ParameterDescription []", "NoData", "ReadyForQuery I"}) {
		t.Fatalf("describe ddl: %q", got)
	}
}

func TestSimpleQueryStatements(t *testing.T) {
	ts := startServer(t)
	rc := dialRaw(t, ts)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"", []string{"EmptyQueryResponse", "ReadyForQuery I"}},
		{";", []string{"EmptyQueryResponse", "ReadyForQuery I"}},
		{"-- ping", []string{"EmptyQueryResponse", "ReadyForQuery I"}},
		{" /* a /* nested */ comment */ ; ", []string{"EmptyQueryResponse", "ReadyForQuery I"}},
		{"select 1 as a; select 'x;y' as b", []string{
			"RowDescription a:23", "DataRow 1", "CommandComplete SELECT 1",
			"RowDescription b:25", "DataRow x;y", "CommandComplete SELECT 1", "ReadyForQuery I"}},
		{"select $$a;'b$$ as c; select $t$x$$;y$t$ as d -- c;o;m\n; /* ; */ select E'it\\'s;' as e, 'o''k;' as f",
			[]string{
				"RowDescription c:25", "DataRow a;'b", "CommandComplete SELECT 1",
				"RowDescription d:25", "DataRow x$$;y", "CommandComplete SELECT 1",
				"RowDescription e:25 f:25", "DataRow it's; o'k;", "CommandComplete SELECT 1", "ReadyForQuery I"}},
		{`select 1 as "semi;colon"; select 2 as x`, []string{
			"RowDescription semi;colon:23", "DataRow 1", "CommandComplete SELECT 1",
			"RowDescription x:23", "DataRow 2", "CommandComplete SELECT 1", "ReadyForQuery I"}},
		{"select 1 as a; select nocolumn; select 3", []string{
			"RowDescription a:23", "DataRow 1", "CommandComplete SELECT 1", "ErrorResponse 42703", "ReadyForQuery I"}},
		{"create table s(a int); insert into s values (1), (2); select count(*) as n from s; drop table s", []string{
			"CommandComplete CREATE TABLE", "CommandComplete INSERT 0 2",
			"RowDescription n:20", "DataRow 2", "CommandComplete SELECT 1", "CommandComplete DROP TABLE", "ReadyForQuery I"}},
		{"SET TimeZone = 'UTC'; SELECT 42 AS v", []string{"CommandComplete SET", "RowDescription v:23", "DataRow 42", "CommandComplete SELECT 1", "ReadyForQuery I"}},
		{"begin; select 1 as a", []string{"CommandComplete BEGIN", "RowDescription a:23", "DataRow 1", "CommandComplete SELECT 1", "ReadyForQuery T"}},
		{"commit", []string{"CommandComplete COMMIT", "ReadyForQuery I"}},
	} {
		rc.send(&pgproto3.Query{String: tc.q})
		if got := rc.until("ReadyForQuery"); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.q, got, tc.want)
		}
	}
}

func TestStartupParameters(t *testing.T) {
	ts := startServer(t)
	conn := connectPgx(t, ts, pgx.QueryExecModeCacheStatement)
	pc := conn.PgConn()
	for k, want := range map[string]string{
		"server_version": DefaultServerVersion, "server_encoding": "UTF8", "client_encoding": "UTF8",
		"DateStyle": "ISO, MDY", "TimeZone": "UTC", "integer_datetimes": "on", "standard_conforming_strings": "on",
		"is_superuser": "on", "session_authorization": "tester", "IntervalStyle": "postgres",
	} {
		if got := pc.ParameterStatus(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if pc.PID() == 0 {
		t.Error("no backend pid")
	}
	var tz string
	if err := conn.QueryRow(context.Background(), "SELECT current_setting('TimeZone')").Scan(&tz); err != nil || tz != "UTC" {
		t.Errorf("DuckDB TimeZone %q %v", tz, err)
	}
}

func TestSSLAndProtocolVersion(t *testing.T) {
	ts := startServer(t)
	nc, err := net.Dial("tcp", ts.addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// SSLRequest then GSSENCRequest: both refused with 'N'.
	for _, code := range []uint32{sslRequestCode, gssEncRequestCode} {
		pkt := []byte{0, 0, 0, 8, byte(code >> 24), byte(code >> 16), byte(code >> 8), byte(code)}
		if _, err := nc.Write(pkt); err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 1)
		if _, err := nc.Read(b); err != nil || b[0] != 'N' {
			t.Fatalf("answer %q %v", b, err)
		}
	}
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: 2 << 16, Parameters: map[string]string{"user": "x"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	msg, err := fe.Receive()
	if err != nil {
		t.Fatal(err)
	}
	er, ok := msg.(*pgproto3.ErrorResponse)
	if !ok || er.Severity != "FATAL" || er.Code != "0A000" || !strings.Contains(er.Message, "unsupported frontend protocol") {
		t.Fatalf("got %#v", msg)
	}
}

// remoteAddrListener makes accepted connections look like they come from another host.
type remoteAddrListener struct{ net.Listener }

type fakeRemoteConn struct{ net.Conn }

func (fakeRemoteConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 5555}
}

func (l remoteAddrListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return fakeRemoteConn{c}, nil
}

func TestNonLoopbackRejected(t *testing.T) {
	ts := startServerWith(t, func(ln net.Listener) net.Listener { return remoteAddrListener{ln} })
	_, err := pgx.Connect(context.Background(), ts.dsn())
	if pgCode(err) != "28000" || !strings.Contains(err.Error(), "only connections from 127.0.0.1 are accepted") {
		t.Fatalf("got %v", err)
	}
}

func TestClientDisconnectMidResult(t *testing.T) {
	ts := startServer(t)
	rc := dialRaw(t, ts)
	rc.send(&pgproto3.Query{String: "SELECT i, repeat('x', 100) AS pad FROM range(500000) t(i)"})
	for range 100 {
		rc.recv()
	}
	rc.nc.Close()
	deadline := time.Now().Add(15 * time.Second)
	for ts.db.Stats().InUse > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("backend connection still in use after client disconnect: %+v", ts.db.Stats())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSuspendedPortalSurvivesOtherStatements pages a named portal while other
// statements run on the same connection in between: no row may be lost,
// although DuckDB streams one live result per connection.
func TestSuspendedPortalSurvivesOtherStatements(t *testing.T) {
	ts := startServer(t)
	rc := dialRaw(t, ts)
	const total = 5000
	rc.send(
		&pgproto3.Query{String: "BEGIN"},
	)
	rc.until("ReadyForQuery")
	rc.send(
		&pgproto3.Parse{Name: "big", Query: "SELECT i FROM range(5000) t(i) ORDER BY i"},
		&pgproto3.Bind{DestinationPortal: "c1", PreparedStatement: "big"},
		&pgproto3.Execute{Portal: "c1", MaxRows: 10},
		&pgproto3.Sync{},
	)
	got := rc.until("ReadyForQuery")
	if len(got) != 1+1+10+1+1 || got[len(got)-2] != "PortalSuspended" {
		t.Fatalf("first page: %q", got)
	}
	// Another statement, with its own result, in the middle.
	rc.send(
		&pgproto3.Parse{Query: "SELECT 42 AS x"},
		&pgproto3.Bind{},
		&pgproto3.Execute{},
		&pgproto3.Sync{},
	)
	if got := rc.until("ReadyForQuery"); !reflect.DeepEqual(got, []string{"ParseComplete", "BindComplete", "DataRow 42", "CommandComplete SELECT 1", "ReadyForQuery T"}) {
		t.Fatalf("interleaved statement: %q", got)
	}
	rc.send(&pgproto3.Execute{Portal: "c1"}, &pgproto3.Sync{})
	got = rc.until("ReadyForQuery")
	rows := 0
	for _, m := range got {
		if strings.HasPrefix(m, "DataRow") {
			rows++
		}
	}
	if rows != total-10 || got[len(got)-2] != "CommandComplete SELECT 5000" || got[0] != "DataRow 10" || got[len(got)-3] != "DataRow 4999" {
		t.Fatalf("rest of the portal: %d rows, tail %q", rows, got[len(got)-3:])
	}
}

// TestSuspendedPortalNestedColumn pages a portal of a STRUCT column
// rendered as JSON from DuckDB's vectors: the rows read into memory when
// another statement runs keep the same JSON text.
func TestSuspendedPortalNestedColumn(t *testing.T) {
	ts := startServer(t)
	rc := dialRaw(t, ts)
	rc.send(&pgproto3.Query{String: "BEGIN"})
	rc.until("ReadyForQuery")
	rc.send(
		&pgproto3.Parse{Name: "nested", Query: `SELECT {'i': i, 'j': '[1, 2]'::JSON, 's': 'x"y'} AS s FROM range(3000) t(i) ORDER BY i`},
		&pgproto3.Bind{DestinationPortal: "c1", PreparedStatement: "nested"},
		&pgproto3.Execute{Portal: "c1", MaxRows: 10},
		&pgproto3.Sync{},
	)
	got := rc.until("ReadyForQuery")
	if len(got) != 14 || got[2] != `DataRow {"i":0,"j":[1, 2],"s":"x\"y"}` {
		t.Fatalf("first page: %q", got)
	}
	rc.send(&pgproto3.Parse{Query: "SELECT 42 AS x"}, &pgproto3.Bind{}, &pgproto3.Execute{}, &pgproto3.Sync{})
	rc.until("ReadyForQuery")
	rc.send(&pgproto3.Execute{Portal: "c1"}, &pgproto3.Sync{})
	got = rc.until("ReadyForQuery")
	for k, m := range got[:len(got)-2] {
		if want := fmt.Sprintf(`DataRow {"i":%d,"j":[1, 2],"s":"x\"y"}`, k+10); m != want {
			t.Fatalf("row %d after another statement: %q, want %q", k+10, m, want)
		}
	}
	if len(got) != 3000-10+2 {
		t.Fatalf("rest of the portal: %d messages", len(got))
	}
}
