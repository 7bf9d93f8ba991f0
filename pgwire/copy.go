package pgwire

import (
	"encoding/binary"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/tpserver/tpserver/pgwire/internal/sqlclass"
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

// copyUtility returns the utility of COPY (query) | table [(cols)] TO
// STDOUT [options] and COPY ... FROM STDIN; COPY to or from a file or a
// program is DuckDB's own COPY (nil).
func copyUtility(c *sqlclass.CopyStmt) (*utility, error) {
	switch {
	case !c.Stdio:
		return nil, nil
	case c.From:
		return &utility{kind: utilCopyIn, tag: "COPY"}, nil
	}
	u := &utility{kind: utilCopyOut, tag: "COPY", query: c.Query}
	if c.Relation != nil {
		u.query = copyRelationQuery(c.Relation, c.Columns)
	}
	if err := u.copy.read(c.Options); err != nil {
		return nil, err
	}
	return u, nil
}

// copyRelationQuery is the query of COPY table [(cols)].
func copyRelationQuery(rel *sqlclass.Name, cols []string) string {
	list := "*"
	if len(cols) > 0 {
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = quoteIdent(c)
		}
		list = strings.Join(quoted, ", ")
	}
	var parts []string
	for _, p := range []string{rel.Catalog, rel.Schema, rel.Name} {
		if p != "" {
			parts = append(parts, quoteIdent(p))
		}
	}
	return "SELECT " + list + " FROM " + strings.Join(parts, ".")
}

// read sets the options from COPY's option list (either syntax, as
// PostgreSQL's parser reads them) and checks them as PostgreSQL does.
func (o *copyOptions) read(opts []sqlclass.CopyOption) error {
	o.format = "text"
	var explicit copyCharOptions
	for _, opt := range opts {
		switch opt.Name {
		case "format":
			if !opt.HasValue {
				return newError(codeSyntaxError, "COPY format requires a value")
			}
			o.format = strings.ToLower(opt.Value)
		case "header":
			o.header = true
			if opt.HasValue {
				b, err := boolNorm("header", opt.Value)
				if err != nil {
					return err
				}
				o.header = b == "on"
			}
		case "delimiter", "null", "quote", "escape", "encoding":
			if !opt.HasValue || opt.IsList || opt.Star {
				return newError(codeSyntaxError, "COPY %s requires a value", opt.Name)
			}
			explicit.set(strings.ToUpper(opt.Name), opt.Value)
			if opt.Name == "encoding" {
				if _, err := encodingNorm("encoding", opt.Value); err != nil {
					return err
				}
			}
		case "force_quote":
			o.forceQuoteAll = opt.Star
			if opt.IsList {
				o.forceQuote = map[string]bool{}
				for _, c := range opt.List {
					o.forceQuote[c] = true
				}
			}
		default:
			return newError(codeSyntaxError, "option %q not recognized", opt.Name)
		}
	}
	return o.check(explicit)
}

// check applies the format's defaults and the explicit options, and
// rejects the combinations PostgreSQL rejects.
func (o *copyOptions) check(explicit copyCharOptions) error {
	switch o.format {
	case "text":
		o.delim, o.null = "\t", `\N`
	case "csv":
		o.delim, o.null, o.quote = ",", "", `"`
	case "binary":
	default:
		return newError(codeInvalidParamValue, "COPY format %q not recognized", o.format)
	}
	if explicit.delim != nil {
		o.delim = *explicit.delim
	}
	if explicit.null != nil {
		o.null = *explicit.null
	}
	if explicit.quote != nil {
		if o.format != "csv" {
			return newError(codeFeatureNotSupported, "COPY quote available only in CSV mode")
		}
		o.quote = *explicit.quote
	}
	o.escape = o.quote
	if explicit.escape != nil {
		if o.format != "csv" {
			return newError(codeFeatureNotSupported, "COPY escape available only in CSV mode")
		}
		o.escape = *explicit.escape
	}
	if o.format != "binary" && len(o.delim) != 1 {
		return newError(codeFeatureNotSupported, "COPY delimiter must be a single one-byte character")
	}
	if o.format == "csv" && (len(o.quote) != 1 || len(o.escape) != 1) {
		return newError(codeFeatureNotSupported, "COPY quote and escape must be single one-byte characters")
	}
	if o.format == "binary" && (explicit.delim != nil || explicit.null != nil) {
		return newError(codeSyntaxError, "cannot specify DELIMITER or NULL in BINARY mode")
	}
	if o.format != "csv" && (o.forceQuoteAll || o.forceQuote != nil) {
		return newError(codeFeatureNotSupported, "COPY force quote available only in CSV mode")
	}
	return nil
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
	p.encodeDirect = false // COPY formats the scanned values itself
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
