package pgwire

import (
	"encoding/binary"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
)

// copyOptions are the options of COPY ... TO STDOUT.
type copyOptions struct {
	format        string // text, csv or binary
	header        bool
	delim         string
	null          string
	quote         string
	escape        string
	forceQuoteAll bool
	forceQuote    map[string]bool
}

// parseCopy recognises COPY (query) | table [(cols)] TO STDOUT [options] and
// COPY ... FROM STDIN; other COPY forms (files) are left to DuckDB.
func parseCopy(q string, toks []stoken) (*utility, error) {
	i := 1
	var query string
	if i < len(toks) && toks[i].text == "(" {
		depth := 0
		j := i
		for ; j < len(toks); j++ {
			switch toks[j].text {
			case "(":
				depth++
			case ")":
				depth--
			}
			if depth == 0 {
				break
			}
		}
		if j >= len(toks) {
			return nil, newError(codeSyntaxError, "syntax error at end of input")
		}
		query = strings.TrimSpace(q[toks[i].pos+1 : toks[j].pos])
		i = j + 1
	} else {
		start := i
		for i < len(toks) && (isWordToken(toks[i].text) || toks[i].text == ".") && toks[i].up != "TO" && toks[i].up != "FROM" {
			i++
		}
		if i == start {
			return nil, nil
		}
		table := strings.TrimSpace(q[toks[start].pos : toks[i-1].pos+len(toks[i-1].text)])
		cols := "*"
		if i < len(toks) && toks[i].text == "(" {
			j := i
			for j < len(toks) && toks[j].text != ")" {
				j++
			}
			if j >= len(toks) {
				return nil, newError(codeSyntaxError, "syntax error at end of input")
			}
			cols = strings.TrimSpace(q[toks[i].pos+1 : toks[j].pos])
			i = j + 1
		}
		query = "SELECT " + cols + " FROM " + table
	}
	if i+1 >= len(toks) {
		return nil, nil
	}
	switch {
	case toks[i].up == "FROM" && toks[i+1].up == "STDIN":
		return &utility{kind: utilCopyIn, tag: "COPY"}, nil
	case toks[i].up == "TO" && toks[i+1].up == "STDOUT":
	default:
		return nil, nil // COPY to or from a file: DuckDB's own COPY
	}
	u := &utility{kind: utilCopyOut, tag: "COPY", query: query}
	o := &u.copy
	o.format = "text"
	var explicit copyCharOptions
	opts := toks[i+2:]
	if len(opts) > 0 && opts[0].up == "WITH" {
		opts = opts[1:]
	}
	val := func(t stoken) string { return unquoteValue(t.text, false) }
	if len(opts) > 0 && opts[0].text == "(" {
		// New syntax: ( name [value] [, ...] )
		for k := 1; k < len(opts) && opts[k].text != ")"; k++ {
			if opts[k].text == "," {
				continue
			}
			name := opts[k].up
			var v *stoken
			if k+1 < len(opts) && opts[k+1].text != "," && opts[k+1].text != ")" {
				v = &opts[k+1]
				k++
			}
			switch name {
			case "FORMAT":
				if v == nil {
					return nil, newError(codeSyntaxError, "COPY format requires a value")
				}
				o.format = strings.ToLower(val(*v))
			case "HEADER":
				o.header = true
				if v != nil {
					b, err := boolNorm("header", val(*v))
					if err != nil {
						return nil, err
					}
					o.header = b == "on"
				}
			case "DELIMITER", "NULL", "QUOTE", "ESCAPE", "ENCODING":
				if v == nil {
					return nil, newError(codeSyntaxError, "COPY %s requires a value", strings.ToLower(name))
				}
				s := val(*v)
				explicit.set(name, s)
				switch name {
				case "ENCODING":
					if _, err := encodingNorm("encoding", s); err != nil {
						return nil, err
					}
				}
			case "FORCE_QUOTE":
				if v != nil && v.text == "*" {
					o.forceQuoteAll = true
				} else if v != nil && v.text == "(" {
					o.forceQuote = map[string]bool{}
					for k++; k < len(opts) && opts[k].text != ")"; k++ {
						if opts[k].text != "," {
							o.forceQuote[identName(opts[k].text)] = true
						}
					}
				}
			default:
				return nil, newError(codeSyntaxError, "option %q not recognized", strings.ToLower(name))
			}
		}
	} else {
		// Old syntax: BINARY | CSV | HEADER | DELIMITER [AS] 'x' | NULL [AS] 'x' | QUOTE ... | FORCE QUOTE ...
		for k := 0; k < len(opts); k++ {
			next := func() (string, error) {
				if k+1 < len(opts) && opts[k+1].up == "AS" {
					k++
				}
				if k+1 >= len(opts) {
					return "", newError(codeSyntaxError, "syntax error at end of input")
				}
				k++
				return val(opts[k]), nil
			}
			switch opts[k].up {
			case "BINARY":
				o.format = "binary"
			case "CSV":
				o.format = "csv"
			case "HEADER":
				o.header = true
			case "DELIMITER", "NULL", "QUOTE", "ESCAPE", "ENCODING":
				name := opts[k].up
				s, err := next()
				if err != nil {
					return nil, err
				}
				explicit.set(name, s)
			case "FORCE":
				if k+1 < len(opts) && opts[k+1].up == "QUOTE" {
					k++
				}
				o.forceQuote = map[string]bool{}
				for k+1 < len(opts) {
					k++
					if opts[k].text == "*" {
						o.forceQuoteAll = true
					} else if opts[k].text != "," {
						o.forceQuote[identName(opts[k].text)] = true
					}
					if k+1 >= len(opts) || opts[k+1].text != "," {
						break
					}
				}
			default:
				return nil, newError(codeSyntaxError, "syntax error at or near %q", opts[k].text)
			}
		}
	}
	switch o.format {
	case "text":
		o.delim, o.null = "\t", `\N`
	case "csv":
		o.delim, o.null, o.quote = ",", "", `"`
	case "binary":
	default:
		return nil, newError(codeInvalidParamValue, "COPY format %q not recognized", o.format)
	}
	if explicit.delim != nil {
		o.delim = *explicit.delim
	}
	if explicit.null != nil {
		o.null = *explicit.null
	}
	if explicit.quote != nil {
		if o.format != "csv" {
			return nil, newError(codeFeatureNotSupported, "COPY quote available only in CSV mode")
		}
		o.quote = *explicit.quote
	}
	o.escape = o.quote
	if explicit.escape != nil {
		if o.format != "csv" {
			return nil, newError(codeFeatureNotSupported, "COPY escape available only in CSV mode")
		}
		o.escape = *explicit.escape
	}
	if o.format != "binary" && len(o.delim) != 1 {
		return nil, newError(codeFeatureNotSupported, "COPY delimiter must be a single one-byte character")
	}
	if o.format == "csv" && (len(o.quote) != 1 || len(o.escape) != 1) {
		return nil, newError(codeFeatureNotSupported, "COPY quote and escape must be single one-byte characters")
	}
	if o.format == "binary" && (explicit.delim != nil || explicit.null != nil) {
		return nil, newError(codeSyntaxError, "cannot specify DELIMITER or NULL in BINARY mode")
	}
	if o.format != "csv" && (o.forceQuoteAll || o.forceQuote != nil) {
		return nil, newError(codeFeatureNotSupported, "COPY force quote available only in CSV mode")
	}
	return u, nil
}

// pgcopySignature starts a binary COPY stream.
var pgcopySignature = []byte("PGCOPY\n\xff\r\n\x00")

// runCopyOut executes COPY ... TO STDOUT.
func (s *session) runCopyOut(u *utility) error {
	st, err := s.prepareQuery(u.query)
	if err != nil {
		return err
	}
	if !st.returnsRows {
		return newError(codeFeatureNotSupported, "COPY query must have a RETURNING clause or return rows")
	}
	o := &u.copy
	bin := o.format == "binary"
	var overall int16
	colFmt := make([]uint16, len(st.cols))
	formats := make([]int16, len(st.cols))
	if bin {
		overall = 1
		for i, c := range st.cols {
			if !binarySupported(c.typ) {
				return newError(codeFeatureNotSupported, "binary COPY is not supported for column %q of type %s", c.name, c.typ.pg.name)
			}
			colFmt[i], formats[i] = 1, 1
		}
	}
	p := &portal{stmt: st, formats: formats}
	defer p.close()
	if err := s.startPortal(p); err != nil {
		return err
	}
	if err := s.send(&pgproto3.CopyOutResponse{OverallFormat: byte(overall), ColumnFormatCodes: colFmt}); err != nil {
		return err
	}
	var line []byte
	if bin {
		line = append(line, pgcopySignature...)
		line = binary.BigEndian.AppendUint32(line, 0)
		line = binary.BigEndian.AppendUint32(line, 0)
	} else if o.header {
		for i, c := range st.cols {
			if i > 0 {
				line = append(line, o.delim...)
			}
			line = o.appendField(line, []byte(c.name), false, len(st.cols) == 1)
		}
		line = append(line, '\n')
		if err := s.send(&pgproto3.CopyData{Data: line}); err != nil {
			return err
		}
		line = line[:0]
	}
	var val []byte
	emit := func(p *portal) error {
		if bin {
			line = binary.BigEndian.AppendUint16(line, uint16(len(st.cols)))
		}
		for i, v := range p.vals {
			ct := st.cols[i].typ
			if bin {
				if v == nil {
					line = binary.BigEndian.AppendUint32(line, 0xffffffff)
					continue
				}
				at := len(line)
				line = append(line, 0, 0, 0, 0)
				var err error
				if line, err = s.enc.appendBinary(line, ct, v); err != nil {
					return newError(codeInternal, "encode column %q: %v", st.cols[i].name, err)
				}
				binary.BigEndian.PutUint32(line[at:], uint32(len(line)-at-4))
				continue
			}
			if i > 0 {
				line = append(line, o.delim...)
			}
			if v == nil {
				line = append(line, o.null...)
				continue
			}
			var err error
			if val, err = s.enc.appendText(val[:0], ct, v); err != nil {
				return newError(codeInternal, "encode column %q: %v", st.cols[i].name, err)
			}
			force := o.forceQuoteAll || o.forceQuote[strings.ToLower(st.cols[i].name)]
			line = o.appendField(line, val, force, len(st.cols) == 1)
		}
		if !bin {
			line = append(line, '\n')
		}
		err := s.send(&pgproto3.CopyData{Data: line})
		line = line[:0]
		return err
	}
	n, err := s.pump(p, -1, false, emit)
	if err != nil {
		return err
	}
	if bin {
		line = binary.BigEndian.AppendUint16(line, 0xffff)
		if err := s.send(&pgproto3.CopyData{Data: line}); err != nil {
			return err
		}
	}
	if err := s.send(&pgproto3.CopyDone{}); err != nil {
		return err
	}
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte("COPY " + itoa(n))})
}

// appendField appends one text or CSV field with PostgreSQL's COPY escaping.
func (o *copyOptions) appendField(dst, v []byte, forceQuote, singleCol bool) []byte {
	if o.format == "csv" {
		d, q, e := o.delim[0], o.quote[0], o.escape[0]
		use := forceQuote || string(v) == o.null || (singleCol && string(v) == `\.`)
		if !use {
			for _, c := range v {
				if c == d || c == q || c == '\n' || c == '\r' {
					use = true
					break
				}
			}
		}
		if !use {
			return append(dst, v...)
		}
		dst = append(dst, q)
		for _, c := range v {
			if c == q || c == e {
				dst = append(dst, e)
			}
			dst = append(dst, c)
		}
		return append(dst, q)
	}
	d := o.delim[0]
	for _, c := range v {
		switch c {
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			if d == '\t' {
				dst = append(dst, '\\', 't')
			} else {
				dst = append(dst, c)
			}
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\v':
			dst = append(dst, '\\', 'v')
		default:
			if c == d {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
		}
	}
	return dst
}

// runCopyIn answers COPY FROM STDIN: the data the client sends is read and
// discarded, then the statement fails with 0A000.
func (s *session) runCopyIn() error {
	if err := s.send(&pgproto3.CopyInResponse{OverallFormat: 0}); err != nil {
		return err
	}
	if err := s.flush(); err != nil {
		return err
	}
	for {
		msg, err := s.be.Receive()
		if err != nil {
			return err
		}
		switch msg.(type) {
		case *pgproto3.CopyData:
			continue
		case *pgproto3.CopyDone, *pgproto3.CopyFail:
		case *pgproto3.Terminate:
			return errTerminated
		default:
			// Anything else ends COPY mode; PostgreSQL would report a protocol error.
		}
		return newError(codeFeatureNotSupported, "COPY FROM STDIN is not supported: this server is read-only for COPY")
	}
}

// copyCharOptions are the COPY options given explicitly, in either syntax.
type copyCharOptions struct{ delim, null, quote, escape *string }

// set records one option by its upper-case name; others are ignored.
func (c *copyCharOptions) set(name, value string) {
	switch name {
	case "DELIMITER":
		c.delim = &value
	case "NULL":
		c.null = &value
	case "QUOTE":
		c.quote = &value
	case "ESCAPE":
		c.escape = &value
	}
}
