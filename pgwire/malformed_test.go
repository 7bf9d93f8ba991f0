package pgwire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// wireMsg frames a frontend message: its type byte (none for startup-phase
// packets, type 0), then its length and body.
func wireMsg(typ byte, body ...[]byte) []byte {
	var b []byte
	if typ != 0 {
		b = append(b, typ)
	}
	n := 4
	for _, p := range body {
		n += len(p)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(n))
	for _, p := range body {
		b = append(b, p...)
	}
	return b
}

// withLength frames a message with a length that does not match its body.
func withLength(typ byte, length uint32, body string) []byte {
	return append(binary.BigEndian.AppendUint32([]byte{typ}, length), body...)
}

func cstr(s string) []byte { return append([]byte(s), 0) }

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// malformedCase is a byte sequence a client sends, and what the server
// must answer before Sync (non-fatal) or before it closes the connection
// (fatal).
type malformedCase struct {
	name       string
	preStartup bool // sent instead of the startup packet
	bytes      []byte
	fatal      bool
	want       []string
}

var parseInt4 = wireMsg('P', cstr("int4"), cstr("select $1::int"), u16(0))

var malformedCases = []malformedCase{
	// Non-fatal: an ErrorResponse, then the session answers after Sync.
	{name: "bind missing statement", bytes: wireMsg('B', cstr(""), cstr("nope"), u16(0), u16(0), u16(0)),
		want: []string{"ErrorResponse 26000"}},
	{name: "execute without bind", bytes: wireMsg('E', cstr("nope"), u32(0)),
		want: []string{"ErrorResponse 34000"}},
	{name: "describe missing portal", bytes: wireMsg('D', []byte{'P'}, cstr("nope")),
		want: []string{"ErrorResponse 34000"}},
	{name: "describe bad subtype", bytes: wireMsg('D', []byte{'X'}, cstr("")),
		want: []string{"ErrorResponse 08P01"}},
	{name: "close bad subtype", bytes: wireMsg('C', []byte{'X'}, cstr("")),
		want: []string{"ErrorResponse 08P01"}},
	{name: "copy data outside copy", bytes: wireMsg('d', []byte("1\t2\n"))},
	{name: "copy done outside copy", bytes: wireMsg('c')},
	{name: "copy fail outside copy", bytes: wireMsg('f', cstr("stop"))},
	{name: "function call", bytes: wireMsg('F', u32(1234), u16(0), u16(0), u16(0)),
		want: []string{"ErrorResponse 08P01"}},
	{name: "parameter count mismatch", bytes: append(slices.Clone(parseInt4),
		wireMsg('B', cstr(""), cstr("int4"), u16(0), u16(0), u16(0))...),
		want: []string{"ParseComplete", "ErrorResponse 08P01"}},
	{name: "parameter format count mismatch", bytes: append(slices.Clone(parseInt4),
		wireMsg('B', cstr(""), cstr("int4"), u16(2), u16(0), u16(0), u16(1), u32(1), []byte("1"), u16(0))...),
		want: []string{"ParseComplete", "ErrorResponse 08P01"}},
	{name: "binary parameter too short", bytes: append(slices.Clone(parseInt4),
		wireMsg('B', cstr(""), cstr("int4"), u16(1), u16(1), u16(1), u32(2), []byte{0, 1}, u16(0))...),
		want: []string{"ParseComplete", "ErrorResponse 22P02"}},
	{name: "parse duplicate name", bytes: append(slices.Clone(parseInt4), parseInt4...),
		want: []string{"ParseComplete", "ErrorResponse 42P05"}},

	// Fatal: a FATAL 08P01, then the connection closes.
	{name: "unknown message type", bytes: wireMsg('Z', []byte("x")), fatal: true, want: []string{"ErrorResponse 08P01"}},
	{name: "negative length", bytes: withLength('Q', 0xFFFFFFFF, "select 1\x00"), fatal: true, want: []string{"ErrorResponse 08P01"}},
	{name: "length below 4", bytes: withLength('Q', 2, "select 1\x00"), fatal: true, want: []string{"ErrorResponse 08P01"}},
	{name: "huge length", bytes: withLength('Q', 0x7FFFFFF0, "select 1\x00"), fatal: true, want: []string{"ErrorResponse 54000"}},
	{name: "query without terminator", bytes: wireMsg('Q', []byte("select 1")), fatal: true, want: []string{"ErrorResponse 08P01"}},
	{name: "bind truncated body", bytes: wireMsg('B', cstr(""), cstr(""), u16(0), u16(5)), fatal: true, want: []string{"ErrorResponse 08P01"}},
	{name: "bind negative parameter length", bytes: wireMsg('B', cstr(""), cstr(""), u16(0), u16(1), u32(0xFFFFFFF0)), fatal: true, want: []string{"ErrorResponse 08P01"}},
	{name: "startup packet after startup", bytes: wireMsg(0, u32(196608), cstr("user"), cstr("x"), cstr("")), fatal: true, want: []string{"ErrorResponse 08P01"}},
	{name: "truncated message then close", bytes: withLength('Q', 100, "select"), fatal: true},

	// Before startup: the server answers or closes, and keeps serving.
	{name: "startup negative length", preStartup: true, bytes: u32(0xFFFFFFFF), fatal: true},
	{name: "startup length below 8", preStartup: true, bytes: u32(3), fatal: true},
	{name: "startup huge length", preStartup: true, bytes: u32(0x7FFFFFFF), fatal: true},
	{name: "startup truncated", preStartup: true, bytes: append(u32(100), 0, 3, 0, 0), fatal: true},
	{name: "startup protocol 2", preStartup: true, bytes: wireMsg(0, u32(2<<16), cstr("user"), cstr("x"), cstr("")),
		fatal: true, want: []string{"ErrorResponse 0A000"}},
	{name: "startup without terminators", preStartup: true, bytes: wireMsg(0, u32(196608), []byte("user")),
		fatal: true, want: []string{"ErrorResponse 28000"}},
	{name: "ssl request then garbage", preStartup: true, bytes: append(wireMsg(0, u32(sslRequestCode)), "GET / HTTP/1.1\r\n\r\n"...),
		fatal: true, want: []string{"'N'"}},
	{name: "cancel request of nobody", preStartup: true, bytes: wireMsg(0, u32(cancelRequestCode), u32(1), u32(2)), fatal: true},
}

// TestMalformedMessages sends malformed, truncated, oversized and
// out-of-order messages: each ends its session or fails its exchange, and
// the server goes on serving.
func TestMalformedMessages(t *testing.T) {
	ts := startServer(t)
	for _, c := range malformedCases {
		t.Run(c.name, func(t *testing.T) {
			var nc net.Conn
			if c.preStartup {
				var err error
				if nc, err = net.Dial("tcp", ts.addr.String()); err != nil {
					t.Fatal(err)
				}
				defer nc.Close()
				_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
			} else {
				nc = dialRaw(t, ts).nc
			}
			if _, err := nc.Write(c.bytes); err != nil {
				t.Fatal(err)
			}
			if c.fatal {
				// The client sends nothing more: a server waiting for the
				// rest of a message reads end of file.
				_ = nc.(*net.TCPConn).CloseWrite()
				if got := answersUntilClose(t, nc, c.preStartup); !slices.Equal(got, c.want) {
					t.Errorf("answers %q, want %q", got, c.want)
				}
			} else {
				rc := &rawClient{t: t, nc: nc, fe: pgproto3.NewFrontend(nc, nc)}
				rc.send(&pgproto3.Sync{})
				want := append(slices.Clone(c.want), "ReadyForQuery I")
				if got := rc.until("ReadyForQuery"); !slices.Equal(got, want) {
					t.Errorf("answers %q, want %q", got, want)
				}
				rc.send(&pgproto3.Query{String: "select 41 + 1"})
				if got := rc.until("ReadyForQuery"); !slices.Contains(got, "DataRow 42") {
					t.Errorf("same session after Sync: %q", got)
				}
			}
			rc := dialRaw(t, ts)
			rc.send(&pgproto3.Query{String: "select 1"})
			if got := rc.until("ReadyForQuery"); !slices.Contains(got, "DataRow 1") {
				t.Errorf("fresh session: %q", got)
			}
		})
	}
}

// answersUntilClose reads what the server sends until it closes the
// connection: backend messages, or the one-byte answer to an SSLRequest
// (as 'N') before startup.
func answersUntilClose(t *testing.T, nc net.Conn, preStartup bool) []string {
	t.Helper()
	var got []string
	r := io.Reader(nc)
	if preStartup {
		var first [1]byte
		if _, err := io.ReadFull(nc, first[:]); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("read: %v", err)
			}
			return nil
		}
		if first[0] == 'N' || first[0] == 'S' {
			got = append(got, "'"+string(first[:])+"'")
		} else {
			r = io.MultiReader(bytes.NewReader(first[:]), nc)
		}
	}
	rc := &rawClient{t: t, nc: nc, fe: pgproto3.NewFrontend(r, nc)}
	for {
		msg, err := rc.fe.Receive()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatalf("the server did not close the connection (got %q)", got)
			}
			return got
		}
		got = append(got, describeMessage(msg))
	}
}
