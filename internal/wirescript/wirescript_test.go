package wirescript

import (
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

func TestFrontendMessages(t *testing.T) {
	cases := map[string]pgproto3.FrontendMessage{
		`Query select 'a b';  select 2`:  &pgproto3.Query{String: `select 'a b';  select 2`},
		`Query`:                          &pgproto3.Query{},
		`Query "  ;\n"`:                  &pgproto3.Query{String: "  ;\n"},
		`Query "x" from t`:               &pgproto3.Query{String: `"x" from t`},
		`Parse s1 select $1`:             &pgproto3.Parse{Name: "s1", Query: "select $1"},
		`Parse "" types=23,25 select $1`: &pgproto3.Parse{Query: "select $1", ParameterOIDs: []uint32{23, 25}},
		`Bind p s 1 "a b" NULL "NULL"`:   &pgproto3.Bind{DestinationPortal: "p", PreparedStatement: "s", Parameters: [][]byte{[]byte("1"), []byte("a b"), nil, []byte("NULL")}},
		`Bind "" "" results=1,0`:         &pgproto3.Bind{ResultFormatCodes: []int16{1, 0}},
		`Describe S s1`:                  &pgproto3.Describe{ObjectType: 'S', Name: "s1"},
		`Describe P ""`:                  &pgproto3.Describe{ObjectType: 'P'},
		`Close P p1`:                     &pgproto3.Close{ObjectType: 'P', Name: "p1"},
		`Execute p1 3`:                   &pgproto3.Execute{Portal: "p1", MaxRows: 3},
		`Execute ""`:                     &pgproto3.Execute{},
		`CopyData "1\t2\n"`:              &pgproto3.CopyData{Data: []byte("1\t2\n")},
		`CopyFail no more`:               &pgproto3.CopyFail{Message: "no more"},
		`Sync`:                           &pgproto3.Sync{},
		`Flush`:                          &pgproto3.Flush{},
		`CopyDone`:                       &pgproto3.CopyDone{},
		`Terminate`:                      &pgproto3.Terminate{},
	}
	for text, want := range cases {
		got, err := Frontend(text)
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", text, got, want)
		}
	}
	for _, bad := range []string{"Describe X s", "Execute p many", "Sync now", "Bind p", `Bind "unterminated`, "Parse s types=x select 1", "Hello"} {
		if _, err := Frontend(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestRenderAndParseMessageAgree(t *testing.T) {
	cases := []struct {
		msg  pgproto3.BackendMessage
		text string
	}{
		{&pgproto3.RowDescription{Fields: []pgproto3.FieldDescription{{Name: []byte("a"), DataTypeOID: 23}, {Name: []byte("b c"), DataTypeOID: 25, Format: 1}}}, `RowDescription a:23 "b c:25:b"`},
		{&pgproto3.DataRow{Values: [][]byte{[]byte("1"), nil, []byte(""), []byte("NULL"), []byte("x\ty")}}, `DataRow 1 NULL "" "NULL" "x\ty"`},
		{&pgproto3.CommandComplete{CommandTag: []byte("INSERT 0 3")}, "CommandComplete INSERT 0 3"},
		{&pgproto3.ErrorResponse{Severity: "ERROR", Code: "42P01", Message: "nope"}, "ErrorResponse 42P01"},
		{&pgproto3.NoticeResponse{Severity: "WARNING", Code: "25P01"}, "NoticeResponse 25P01"},
		{&pgproto3.ReadyForQuery{TxStatus: 'E'}, "ReadyForQuery E"},
		{&pgproto3.ParameterStatus{Name: "application_name", Value: ""}, `ParameterStatus application_name ""`},
		{&pgproto3.ParameterDescription{ParameterOIDs: []uint32{23, 25}}, "ParameterDescription 23 25"},
		{&pgproto3.CopyOutResponse{ColumnFormatCodes: []uint16{0, 0}}, "CopyOutResponse 0 0 0"},
		{&pgproto3.CopyData{Data: []byte("a\\b\n")}, `CopyData "a\\b\n"`},
		{&pgproto3.PortalSuspended{}, "PortalSuspended"},
		{&pgproto3.EmptyQueryResponse{}, "EmptyQueryResponse"},
	}
	for _, c := range cases {
		got := Render(c.msg)
		if got.String() != c.text {
			t.Errorf("Render(%T) = %s, want %s", c.msg, got, c.text)
		}
		parsed, err := ParseMessage(c.text)
		if err != nil {
			t.Errorf("%s: %v", c.text, err)
		} else if !parsed.Equal(got) {
			t.Errorf("%s parses as %#v, renders as %#v", c.text, parsed, got)
		}
	}
	if _, err := ParseMessage("RowDescriptions a:23"); err == nil {
		t.Error("an unknown message type parsed")
	}
}

func TestParseChecksDifferences(t *testing.T) {
	s, err := Parse("ok", strings.NewReader(`
# comment
> Query select 1
differs: PostgreSQL says more
postgres< NoticeResponse 01000
tpserver< NoticeResponse 01001
< ReadyForQuery I
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range s.Steps {
		got = append(got, st.Server+"|"+st.Reason)
	}
	want := []string{"|", "postgres|PostgreSQL says more", "tpserver|PostgreSQL says more", "|"}
	if !reflect.DeepEqual(got, want) || s.Steps[1].Line != 5 {
		t.Fatalf("steps %q (line %d), want %q", got, s.Steps[1].Line, want)
	}
	bad := map[string]string{
		"no reason":        "postgres< ReadyForQuery I",
		"reason used up":   "differs: x\npostgres< ReadyForQuery I\n< ReadyForQuery I\ntpserver< ReadyForQuery I",
		"empty reason":     "differs:\npostgres< ReadyForQuery I",
		"unknown server":   "mysql< ReadyForQuery I",
		"unknown message":  "< Ready",
		"bad quoted value": `< DataRow "abc`,
	}
	for name, text := range bad {
		if _, err := Parse(name, strings.NewReader(text)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// fakeServer answers one session: trust startup, then for every Query a
// fixed answer.
func fakeServer(t *testing.T, answer func(q string) []pgproto3.BackendMessage) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		be := pgproto3.NewBackend(nc, nc)
		if _, err := be.ReceiveStartupMessage(); err != nil {
			return
		}
		be.Send(&pgproto3.AuthenticationOk{})
		be.Send(&pgproto3.ParameterStatus{Name: "server_version", Value: "15.0"})
		be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
		_ = be.Flush()
		for {
			msg, err := be.Receive()
			if err != nil {
				return
			}
			switch m := msg.(type) {
			case *pgproto3.Query:
				for _, a := range answer(m.String) {
					be.Send(a)
				}
				_ = be.Flush()
			case *pgproto3.Terminate:
				return
			}
		}
	}()
	return ln.Addr().String()
}

func runAgainstFake(t *testing.T, script, server string) error {
	t.Helper()
	s, err := Parse("fake", strings.NewReader(script))
	if err != nil {
		t.Fatal(err)
	}
	addr := fakeServer(t, func(q string) []pgproto3.BackendMessage {
		return []pgproto3.BackendMessage{
			&pgproto3.RowDescription{Fields: []pgproto3.FieldDescription{{Name: []byte("q"), DataTypeOID: 25}}},
			&pgproto3.DataRow{Values: [][]byte{[]byte(q)}},
			&pgproto3.CommandComplete{CommandTag: []byte("SELECT 1")},
			&pgproto3.ReadyForQuery{TxStatus: 'I'},
		}
	})
	nc, fe, err := Connect(addr, map[string]string{"user": "u"})
	if err != nil {
		t.Fatal(err)
	}
	return s.Run(nc, fe, server, 5*time.Second)
}

func TestRunComparesEveryMessage(t *testing.T) {
	ok := `
> Query hello world
< RowDescription q:25
< DataRow "hello world"
< CommandComplete SELECT 1
< ReadyForQuery I
differs: the fake's "postgres" is asked twice
postgres> Query again
postgres< RowDescription q:25
postgres< DataRow again
postgres< CommandComplete SELECT 1
postgres< ReadyForQuery I
> Terminate
`
	for _, server := range []string{"tpserver", "postgres"} {
		if err := runAgainstFake(t, ok, server); err != nil {
			t.Errorf("%s: %v", server, err)
		}
	}

	err := runAgainstFake(t, "> Query hi\n< RowDescription q:25\n< DataRow bye\n", "tpserver")
	if err == nil || !strings.Contains(err.Error(), "fake:3: tpserver: expected DataRow bye\n got DataRow hi") ||
		!strings.Contains(err.Error(), "< ReadyForQuery I") {
		t.Errorf("wrong value: %v", err)
	}
	err = runAgainstFake(t, "> Query hi\n< RowDescription q:25\n< DataRow hi\n< CommandComplete SELECT 1\n", "tpserver")
	if err == nil || !strings.Contains(err.Error(), "unexpected ReadyForQuery I after the last line") {
		t.Errorf("unread message: %v", err)
	}
}
