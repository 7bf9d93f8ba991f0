// Package wirescript reads and runs protocol test scripts: the PostgreSQL
// frontend messages to send and the backend messages expected back, one
// message per line, run over a raw connection against any server that speaks
// the protocol (tpserver's pgwire and a real PostgreSQL alike).
//
// A script is a text file:
//
//	# a comment; blank lines are ignored
//	> Query select 1 as a; select 2 as b
//	< RowDescription a:23
//	< DataRow 1
//	< CommandComplete SELECT 1
//	...
//	< ReadyForQuery I
//
// Lines starting with ">" send a frontend message; lines starting with "<"
// read one backend message and compare it with the line. Sent messages are
// buffered and flushed before the next line that reads. Arguments are
// separated by spaces; an argument may be a Go double-quoted string ("" is
// the empty string, used for the unnamed statement and portal), and the bare
// word NULL is a null value. See [Frontend] and [Render] for each message's
// arguments.
//
// A line prefixed with a server name (tpserver< or postgres>) runs only
// against that server. Such lines mark a known difference between the two
// servers and must follow a "differs: <reason>" line, which covers the
// server-specific lines up to the next line that runs against both.
package wirescript

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Servers are the names a line may be restricted to.
var servers = []string{"tpserver", "postgres"}

// Script is a parsed script.
type Script struct {
	Name  string
	Steps []Step
}

// Step is one line that sends or expects a message.
type Step struct {
	Line   int
	Text   string // the line as written
	Server string // "" for every server, else the only server it runs against
	Reason string // why a server-specific step differs
	Send   pgproto3.FrontendMessage
	Expect *Message // when the step reads a message
}

// Message is a backend message reduced to what scripts compare: its type
// name and its arguments.
type Message struct {
	Type string
	Args []Arg
}

// Arg is one argument of a message: a string or NULL.
type Arg struct {
	Value string
	Null  bool
}

// String renders m as a script line body ("DataRow 1 NULL").
func (m Message) String() string {
	var b strings.Builder
	b.WriteString(m.Type)
	for _, a := range m.Args {
		b.WriteByte(' ')
		b.WriteString(a.String())
	}
	return b.String()
}

// String renders a as a script argument, quoted when it would not read back
// as itself.
func (a Arg) String() string {
	if a.Null {
		return "NULL"
	}
	if a.Value == "" || a.Value == "NULL" || strings.ContainsAny(a.Value, " \t\"\\#") || strconv.Quote(a.Value) != `"`+a.Value+`"` {
		return strconv.Quote(a.Value)
	}
	return a.Value
}

// Equal reports whether m and o have the same type and arguments.
func (m Message) Equal(o Message) bool {
	if m.Type != o.Type || len(m.Args) != len(o.Args) {
		return false
	}
	for i := range m.Args {
		if m.Args[i] != o.Args[i] {
			return false
		}
	}
	return true
}

// ParseFile reads the script at path; its name is the file name without
// its extension.
func ParseFile(path string) (*Script, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), f)
}

// Parse reads a script.
func Parse(name string, r io.Reader) (*Script, error) {
	s := &Script{Name: name}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	reason := ""
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if r, ok := strings.CutPrefix(trimmed, "differs:"); ok {
			if reason = strings.TrimSpace(r); reason == "" {
				return nil, fmt.Errorf("%s:%d: differs: needs a reason", name, n)
			}
			continue
		}
		step := Step{Line: n, Text: line}
		rest := line
		for _, srv := range servers {
			if r, ok := strings.CutPrefix(line, srv); ok && (strings.HasPrefix(r, ">") || strings.HasPrefix(r, "<")) {
				step.Server, rest = srv, r
			}
		}
		if step.Server == "" {
			reason = ""
		} else if reason == "" {
			return nil, fmt.Errorf("%s:%d: a %s-only line must follow a \"differs: <reason>\" line", name, n, step.Server)
		}
		step.Reason = reason
		var err error
		switch {
		case strings.HasPrefix(rest, ">"):
			step.Send, err = Frontend(strings.TrimSpace(rest[1:]))
		case strings.HasPrefix(rest, "<"):
			var m Message
			m, err = ParseMessage(strings.TrimSpace(rest[1:]))
			step.Expect = &m
		default:
			err = fmt.Errorf("a line must start with >, <, #, differs: or a server name (%s) and > or <", strings.Join(servers, ", "))
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		s.Steps = append(s.Steps, step)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// ParseMessage reads an expected backend message: its type name and
// arguments, as Render writes them.
func ParseMessage(text string) (Message, error) {
	typ, rest, _ := strings.Cut(text, " ")
	if !knownBackend[typ] {
		return Message{}, fmt.Errorf("unknown backend message %q", typ)
	}
	args, err := splitArgs(rest)
	if err != nil {
		return Message{}, err
	}
	return Message{Type: typ, Args: args}, nil
}

// splitArgs splits space-separated arguments; Go-quoted strings may hold
// spaces and the bare word NULL is a null.
func splitArgs(s string) ([]Arg, error) {
	var out []Arg
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out, nil
		}
		if s[0] == '"' {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, fmt.Errorf("bad quoted string at %q", s)
			}
			v, _ := strconv.Unquote(q)
			out = append(out, Arg{Value: v})
			s = s[len(q):]
			if s != "" && s[0] != ' ' && s[0] != '\t' {
				return nil, fmt.Errorf("missing space after %s", q)
			}
			continue
		}
		word, rest, _ := strings.Cut(s, " ")
		if word == "NULL" {
			out = append(out, Arg{Null: true})
		} else {
			out = append(out, Arg{Value: word})
		}
		s = rest
	}
}
