package pgwire

import (
	"context"
	"database/sql"
	"encoding/binary"
	"io"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

// The fuzz targets feed bytes to a session over net.Pipe, as a client
// would send them: FuzzStartup from the first byte, FuzzMessages after a
// valid startup. A session may refuse or end, never panic or hang. The
// fuzz input is completed first (completeStartup, completeMessages) so that
// every session ends by itself, without waiting for bytes that never come.

// fuzzServer is a server whose sessions the fuzz targets drive directly.
type fuzzServer struct {
	srv  *Server
	logs *observer.ObservedLogs
}

// newFuzzServer serves an in-memory DuckDB without file access: fuzzed
// statements must not write files.
func newFuzzServer(f *testing.F) *fuzzServer {
	db, err := sql.Open("duckdb", "?enable_external_access=false")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	core, logs := observer.New(zap.ErrorLevel)
	srv := NewServer(&testBackend{db: db}, Options{Logger: zap.New(core), StartupTimeout: time.Second})
	return &fuzzServer{srv: srv, logs: logs}
}

// loopbackConn is a net.Pipe end that comes from 127.0.0.1, as the
// sessions of local clients do.
type loopbackConn struct{ net.Conn }

func (loopbackConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
}

// run sends stream to a new session and waits for the session to end; a
// session still running 5 s later sees its client leave, and must then end.
func (fs *fuzzServer) run(t *testing.T, stream []byte) {
	client, server := net.Pipe()
	defer client.Close()
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		fs.srv.serveConn(context.Background(), loopbackConn{server}, true)
	}()
	go func() { _, _ = io.Copy(io.Discard, client) }()
	go func() { _, _ = client.Write(stream) }()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		client.Close()
		select {
		case <-ended:
		case <-time.After(10 * time.Second):
			t.Fatal("the session did not end after its client left")
		}
	}
	if panics := fs.logs.FilterMessage("session panic").TakeAll(); len(panics) > 0 {
		t.Fatalf("session panic: %v", panics[0].ContextMap())
	}
	fs.logs.TakeAll()
}

// maxFuzzPadding bounds the zeros added to complete a message.
const maxFuzzPadding = 1 << 20

// completeStartup completes the startup-phase packets of a fuzz input
// (zeros pad a packet cut short) up to the first that is not an encryption
// request; the rest is completed as messages.
func completeStartup(in []byte) []byte {
	out := slices.Clone(in)
	for i := 0; ; {
		if len(out)-i < 4 {
			return append(out, make([]byte, 4-(len(out)-i))...) // length 0: refused
		}
		n := int(binary.BigEndian.Uint32(out[i:]))
		if n < 8 || n > maxStartupLen {
			return out // refused here
		}
		if i+n > len(out) {
			out = append(out, make([]byte, i+n-len(out))...)
		}
		code := binary.BigEndian.Uint32(out[i+4:])
		i += n
		if code != sslRequestCode && code != gssEncRequestCode {
			return append(out[:i], completeMessages(out[i:])...)
		}
	}
}

// completeMessages completes the frontend messages of a fuzz input: zeros
// pad a message cut short (a long one is dropped), and Terminate follows.
// A message with an invalid length is kept: the session ends there.
func completeMessages(in []byte) []byte {
	out := slices.Clone(in)
	for i := 0; i < len(out); {
		if len(out)-i < 5 {
			out = append(out, make([]byte, 5-(len(out)-i))...)
		}
		n := int(int32(binary.BigEndian.Uint32(out[i+1:])))
		if n < 4 || n > DefaultMaxMessageSize {
			return out
		}
		end := i + 1 + n
		if end > len(out) {
			if end-len(out) > maxFuzzPadding {
				out = out[:i]
				break
			}
			out = append(out, make([]byte, end-len(out))...)
		}
		i = end
	}
	return append(out, 'X', 0, 0, 0, 4)
}

// encodeMessages encodes frontend messages as a client sends them.
func encodeMessages(t testing.TB, msgs ...pgproto3.FrontendMessage) []byte {
	var b []byte
	for _, m := range msgs {
		var err error
		if b, err = m.Encode(b); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// fuzzStartupMessage starts a session whose statements time out after 2 s.
var fuzzStartupMessage = &pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber,
	Parameters: map[string]string{"user": "fuzz", "database": "tpserver", "options": "-c statement_timeout=2000"}}

func FuzzStartup(f *testing.F) {
	fs := newFuzzServer(f)
	startup := encodeMessages(f, fuzzStartupMessage)
	f.Add(startup)
	f.Add(append(encodeMessages(f, &pgproto3.SSLRequest{}), startup...))
	f.Add(append(encodeMessages(f, &pgproto3.GSSEncRequest{}), startup...))
	f.Add(encodeMessages(f, &pgproto3.CancelRequest{ProcessID: 1, SecretKey: []byte{1, 2, 3, 4}}))
	f.Add(encodeMessages(f, &pgproto3.StartupMessage{ProtocolVersion: 3<<16 | 2,
		Parameters: map[string]string{"user": "u", "_pq_.x": "1", "options": "-c search_path=a --application-name=x", "TimeZone": "x"}}))
	f.Add(append(slices.Clone(startup), encodeMessages(f, &pgproto3.Query{String: "select 1"})...))
	for _, c := range malformedCases {
		if c.preStartup {
			f.Add(c.bytes)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		fs.run(t, completeStartup(in))
	})
}

func FuzzMessages(f *testing.F) {
	fs := newFuzzServer(f)
	startup := encodeMessages(f, fuzzStartupMessage)
	seeds := [][]pgproto3.FrontendMessage{
		{&pgproto3.Query{String: "select 1; select 'a', null::int"}},
		{&pgproto3.Query{String: "begin; set local work_mem = '1MB'; show work_mem; rollback"}},
		{&pgproto3.Query{String: "declare c cursor for select * from range(5); fetch 2 from c; close c"}},
		{&pgproto3.Query{String: "create temp table t(a int); copy t from stdin"}, &pgproto3.CopyData{Data: []byte("1\n")}, &pgproto3.CopyDone{}},
		{&pgproto3.Query{String: "copy (select 1) to stdout"}},
		{&pgproto3.Parse{Name: "s", Query: "select $1::int + 1", ParameterOIDs: []uint32{23}},
			&pgproto3.Describe{ObjectType: 'S', Name: "s"},
			&pgproto3.Bind{PreparedStatement: "s", ParameterFormatCodes: []int16{1}, Parameters: [][]byte{{0, 0, 0, 7}}, ResultFormatCodes: []int16{1}},
			&pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{MaxRows: 1}, &pgproto3.Execute{},
			&pgproto3.Close{ObjectType: 'S', Name: "s"}, &pgproto3.Sync{}},
		{&pgproto3.Parse{Query: "select * from range(10)"}, &pgproto3.Bind{}, &pgproto3.Execute{MaxRows: 3}, &pgproto3.Flush{},
			&pgproto3.Query{String: "select 2"}, &pgproto3.Execute{}, &pgproto3.Sync{}},
	}
	for _, msgs := range seeds {
		f.Add(encodeMessages(f, msgs...))
	}
	for _, c := range malformedCases {
		if !c.preStartup {
			f.Add(c.bytes)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		fs.run(t, append(slices.Clone(startup), completeMessages(in)...))
	})
}
