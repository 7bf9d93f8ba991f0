package wirescript

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Frontend reads a frontend message line (without its ">"):
//
//	Query <sql>                             (nothing after Query: the empty query)
//	Parse <statement> [types=<oid>,...] <sql>
//	Bind <portal> <statement> [<parameter>...] [results=<format>,...]
//	Describe S|P <name>
//	Execute <portal> [<max rows>]
//	Close S|P <name>
//	Sync | Flush | Terminate | CopyDone
//	CopyData <data>
//	CopyFail <message to the end of the line>
//
// <sql> is the rest of the line, or the string it holds when it is a single
// Go-quoted string ("", "  ;  ", "select 1\nfrom t"). Parameters are sent in
// text; NULL is a null parameter.
func Frontend(text string) (pgproto3.FrontendMessage, error) {
	typ, rest, _ := strings.Cut(text, " ")
	switch typ {
	case "Query":
		return &pgproto3.Query{String: sqlText(rest)}, nil
	case "CopyFail":
		return &pgproto3.CopyFail{Message: rest}, nil
	case "Parse":
		name, sql, err := firstArg(rest)
		if err != nil {
			return nil, err
		}
		p := &pgproto3.Parse{Name: name}
		if spec, after, ok := strings.Cut(strings.TrimLeft(sql, " "), " "); ok && strings.HasPrefix(spec, "types=") {
			for _, o := range strings.Split(strings.TrimPrefix(spec, "types="), ",") {
				oid, err := strconv.ParseUint(o, 10, 32)
				if err != nil {
					return nil, fmt.Errorf("bad parameter type %q", o)
				}
				p.ParameterOIDs = append(p.ParameterOIDs, uint32(oid))
			}
			sql = after
		}
		p.Query = sqlText(strings.TrimLeft(sql, " "))
		return p, nil
	}
	args, err := splitArgs(rest)
	if err != nil {
		return nil, err
	}
	want := func(min, max int) error {
		if len(args) < min || len(args) > max {
			return fmt.Errorf("%s takes %d to %d arguments, not %d", typ, min, max, len(args))
		}
		return nil
	}
	switch typ {
	case "Bind":
		if err := want(2, 1<<16); err != nil {
			return nil, err
		}
		b := &pgproto3.Bind{DestinationPortal: args[0].Value, PreparedStatement: args[1].Value}
		params := args[2:]
		if n := len(params); n > 0 && !params[n-1].Null && strings.HasPrefix(params[n-1].Value, "results=") {
			for _, f := range strings.Split(strings.TrimPrefix(params[n-1].Value, "results="), ",") {
				code, err := strconv.ParseInt(f, 10, 16)
				if err != nil {
					return nil, fmt.Errorf("bad result format %q", f)
				}
				b.ResultFormatCodes = append(b.ResultFormatCodes, int16(code))
			}
			params = params[:n-1]
		}
		for _, p := range params {
			if p.Null {
				b.Parameters = append(b.Parameters, nil)
			} else {
				b.Parameters = append(b.Parameters, []byte(p.Value))
			}
		}
		return b, nil
	case "Describe", "Close":
		if err := want(2, 2); err != nil {
			return nil, err
		}
		kind := args[0].Value
		if kind != "S" && kind != "P" {
			return nil, fmt.Errorf("%s takes S (statement) or P (portal), not %q", typ, kind)
		}
		if typ == "Close" {
			return &pgproto3.Close{ObjectType: kind[0], Name: args[1].Value}, nil
		}
		return &pgproto3.Describe{ObjectType: kind[0], Name: args[1].Value}, nil
	case "Execute":
		if err := want(1, 2); err != nil {
			return nil, err
		}
		e := &pgproto3.Execute{Portal: args[0].Value}
		if len(args) == 2 {
			n, err := strconv.ParseUint(args[1].Value, 10, 32)
			if err != nil {
				return nil, fmt.Errorf("bad max rows %q", args[1].Value)
			}
			e.MaxRows = uint32(n)
		}
		return e, nil
	case "CopyData":
		if err := want(1, 1); err != nil {
			return nil, err
		}
		return &pgproto3.CopyData{Data: []byte(args[0].Value)}, nil
	case "Sync", "Flush", "Terminate", "CopyDone":
		if err := want(0, 0); err != nil {
			return nil, err
		}
		return map[string]pgproto3.FrontendMessage{
			"Sync": &pgproto3.Sync{}, "Flush": &pgproto3.Flush{}, "Terminate": &pgproto3.Terminate{}, "CopyDone": &pgproto3.CopyDone{},
		}[typ], nil
	}
	return nil, fmt.Errorf("unknown frontend message %q", typ)
}

// sqlText is the SQL of a Query or Parse line: the rest of the line, or the
// string it holds when it is one Go-quoted string (for SQL that is empty,
// ends in blanks or spans lines).
func sqlText(s string) string {
	if q, err := strconv.QuotedPrefix(s); err == nil && q == s {
		v, _ := strconv.Unquote(q)
		return v
	}
	return s
}

// firstArg splits off the first argument of s (a word or a quoted string).
func firstArg(s string) (string, string, error) {
	s = strings.TrimLeft(s, " ")
	if strings.HasPrefix(s, `"`) {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return "", "", fmt.Errorf("bad quoted string at %q", s)
		}
		v, _ := strconv.Unquote(q)
		return v, s[len(q):], nil
	}
	word, rest, _ := strings.Cut(s, " ")
	return word, rest, nil
}

// knownBackend are the backend messages Render describes.
var knownBackend = map[string]bool{
	"RowDescription": true, "DataRow": true, "CommandComplete": true, "ErrorResponse": true, "NoticeResponse": true,
	"ReadyForQuery": true, "ParameterStatus": true, "ParameterDescription": true, "ParseComplete": true,
	"BindComplete": true, "CloseComplete": true, "NoData": true, "PortalSuspended": true, "EmptyQueryResponse": true,
	"CopyOutResponse": true, "CopyInResponse": true, "CopyData": true, "CopyDone": true,
}

// Render reduces a backend message to what scripts compare:
//
//	RowDescription <name>:<type oid>...     (":b" appended to binary columns)
//	DataRow <value>...                       (NULL for a null)
//	CommandComplete <tag words>
//	ErrorResponse <SQLSTATE>                 (NoticeResponse likewise)
//	ReadyForQuery I|T|E
//	ParameterStatus <name> <value>
//	ParameterDescription <type oid>...
//	CopyOutResponse <overall format> <column format>...   (CopyInResponse likewise)
//	CopyData <data>
//
// and the bare type name for the others (ParseComplete, BindComplete,
// CloseComplete, NoData, PortalSuspended, EmptyQueryResponse, CopyDone).
func Render(msg pgproto3.BackendMessage) Message {
	words := func(ss ...string) []Arg {
		out := make([]Arg, 0, len(ss))
		for _, s := range ss {
			out = append(out, Arg{Value: s})
		}
		return out
	}
	switch m := msg.(type) {
	case *pgproto3.RowDescription:
		var args []string
		for _, f := range m.Fields {
			a := fmt.Sprintf("%s:%d", f.Name, f.DataTypeOID)
			if f.Format == 1 {
				a += ":b"
			}
			args = append(args, a)
		}
		return Message{"RowDescription", words(args...)}
	case *pgproto3.DataRow:
		out := Message{Type: "DataRow"}
		for _, v := range m.Values {
			if v == nil {
				out.Args = append(out.Args, Arg{Null: true})
			} else {
				out.Args = append(out.Args, Arg{Value: string(v)})
			}
		}
		return out
	case *pgproto3.CommandComplete:
		return Message{"CommandComplete", words(strings.Fields(string(m.CommandTag))...)}
	case *pgproto3.ErrorResponse:
		return Message{"ErrorResponse", words(m.Code)}
	case *pgproto3.NoticeResponse:
		return Message{"NoticeResponse", words(m.Code)}
	case *pgproto3.ReadyForQuery:
		return Message{"ReadyForQuery", words(string(m.TxStatus))}
	case *pgproto3.ParameterStatus:
		return Message{"ParameterStatus", words(m.Name, m.Value)}
	case *pgproto3.ParameterDescription:
		var oids []string
		for _, o := range m.ParameterOIDs {
			oids = append(oids, strconv.FormatUint(uint64(o), 10))
		}
		return Message{"ParameterDescription", words(oids...)}
	case *pgproto3.CopyOutResponse:
		return Message{"CopyOutResponse", copyFormats(m.OverallFormat, m.ColumnFormatCodes)}
	case *pgproto3.CopyInResponse:
		return Message{"CopyInResponse", copyFormats(m.OverallFormat, m.ColumnFormatCodes)}
	case *pgproto3.CopyData:
		return Message{"CopyData", words(string(m.Data))}
	}
	return Message{Type: strings.TrimPrefix(fmt.Sprintf("%T", msg), "*pgproto3.")}
}

func copyFormats(overall byte, columns []uint16) []Arg {
	out := []Arg{{Value: strconv.Itoa(int(overall))}}
	for _, c := range columns {
		out = append(out, Arg{Value: strconv.Itoa(int(c))})
	}
	return out
}

// detail describes an error or notice for a failure message.
func detail(msg pgproto3.BackendMessage) string {
	switch m := msg.(type) {
	case *pgproto3.ErrorResponse:
		return fmt.Sprintf(" (%s: %s)", m.Severity, m.Message)
	case *pgproto3.NoticeResponse:
		return fmt.Sprintf(" (%s: %s)", m.Severity, m.Message)
	}
	return ""
}
