package pgwire

import (
	"strconv"
	"strings"
)

// utilKind is a statement pgwire answers itself instead of DuckDB.
type utilKind int

const (
	utilSet          utilKind = iota + 1
	utilReset                 // RESET name | ALL
	utilShow                  // SHOW name | ALL
	utilDiscard               // DISCARD ALL | PLANS | SEQUENCES | TEMP
	utilBegin                 // BEGIN / START TRANSACTION
	utilCommit                // COMMIT / END
	utilRollback              // ROLLBACK / ABORT
	utilSetTx                 // SET TRANSACTION ...
	utilSessionChars          // SET SESSION CHARACTERISTICS AS TRANSACTION ...
	utilDeclare               // DECLARE name CURSOR FOR query
	utilFetch                 // FETCH [n] name
	utilMove                  // MOVE [n] name
	utilClose                 // CLOSE name | ALL
	utilCopyOut               // COPY ... TO STDOUT
	utilCopyIn                // COPY ... FROM STDIN
	utilUnsupported           // recognised but not supported (0A000)
)

// txOptions are BEGIN / SET TRANSACTION options.
type txOptions struct {
	isolation string // "" if not given
	readOnly  string // "on", "off" or "" if not given
}

// utility is a parsed pgwire-handled statement.
type utility struct {
	kind      utilKind
	tag       string // command tag
	name      string // parameter name (as written) or cursor name
	value     string // SET value
	isDefault bool   // SET x TO DEFAULT
	local     bool   // SET LOCAL
	tx        txOptions
	binary    bool   // DECLARE ... BINARY
	hold      bool   // DECLARE ... WITH HOLD
	query     string // DECLARE / COPY query
	count     int64  // FETCH / MOVE count; -1 = ALL
	copy      copyOptions
	msg       string // utilUnsupported message
}

// stoken is a token with its upper-cased text for keyword matching.
type stoken struct {
	token
	up string
}

func tokenize(q string) []stoken {
	var out []stoken
	scanSQL(q, func(t token) { out = append(out, stoken{t, strings.ToUpper(t.text)}) }, nil)
	return out
}

// identName returns an identifier token's name: quoted names keep case,
// others are lower-cased.
func identName(t string) string {
	if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
		return strings.ReplaceAll(t[1:len(t)-1], `""`, `"`)
	}
	return strings.ToLower(t)
}

// unquoteValue turns a SET value item into its string: 'x' and E'x'
// literals are unquoted, "x" identifiers too unless keepIdentQuotes.
func unquoteValue(v string, keepIdentQuotes bool) string {
	v = strings.TrimSpace(v)
	switch {
	case len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'':
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	case len(v) >= 3 && (v[0] == 'E' || v[0] == 'e') && v[1] == '\'' && v[len(v)-1] == '\'':
		s := strings.ReplaceAll(v[2:len(v)-1], "''", "'")
		return strings.ReplaceAll(s, `\\`, `\`)
	case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && !keepIdentQuotes:
		return strings.ReplaceAll(v[1:len(v)-1], `""`, `"`)
	}
	return v
}

// splitValues splits the raw SET value text at top-level commas.
func splitValues(raw string) []string {
	var out []string
	start := 0
	scanSQL(raw, func(t token) {
		if t.text == "," {
			out = append(out, raw[start:t.pos])
			start = t.pos + 1
		}
	}, nil)
	return append(out, raw[start:])
}

// parseUtility recognises statements pgwire handles itself; it returns nil
// for everything DuckDB should run.
func parseUtility(q string) (*utility, error) {
	toks := tokenize(q)
	if len(toks) == 0 {
		return nil, nil
	}
	word := func(i int) string {
		if i < len(toks) {
			return toks[i].up
		}
		return ""
	}
	rest := func(i int) string {
		if i < len(toks) {
			return strings.TrimSpace(q[toks[i].pos:])
		}
		return ""
	}
	switch word(0) {
	case "SET", "RESET":
		switch word(1) {
		case "VARIABLE":
			return nil, nil // DuckDB's SET VARIABLE: a variable of the connection
		case "GLOBAL":
			return nil, newError(codeCantChangeRuntimeParam, "%s GLOBAL is not allowed: it would change the engine for every session", word(0))
		}
		if word(0) == "SET" {
			return parseSet(q, toks, word, rest)
		}
		return parseReset(toks, word), nil
	case "SHOW":
		u := &utility{kind: utilShow, tag: "SHOW"}
		switch {
		case len(toks) < 2:
			return nil, newError(codeSyntaxError, "syntax error at end of input")
		case word(1) == "ALL" && len(toks) == 2:
			u.name = "all"
		case word(1) == "TIME" && word(2) == "ZONE":
			u.name = "timezone"
		case word(1) == "TRANSACTION" && word(2) == "ISOLATION":
			u.name = "transaction_isolation"
		case word(1) == "SESSION" && word(2) == "AUTHORIZATION":
			u.name = "session_authorization"
		case word(1) == "TABLES" || word(1) == "DATABASES" || word(1) == "ALL":
			return nil, nil // DuckDB's own SHOW TABLES etc.
		default:
			name := dottedName(toks[1:])
			if name == "" {
				return nil, nil
			}
			u.name = name
		}
		return u, nil
	case "DISCARD":
		switch word(1) {
		case "ALL", "PLANS", "SEQUENCES", "TEMP", "TEMPORARY":
			return &utility{kind: utilDiscard, name: word(1), tag: "DISCARD " + word(1)}, nil
		}
		return nil, newError(codeSyntaxError, "syntax error at or near %q", strings.ToLower(word(1)))
	case "BEGIN", "START":
		i := 1
		tag := "BEGIN"
		if word(0) == "START" {
			if word(1) != "TRANSACTION" {
				return nil, nil
			}
			tag = "START TRANSACTION"
			i = 2
		} else if word(1) == "WORK" || word(1) == "TRANSACTION" {
			i = 2
		}
		opts, err := parseTxOptions(toks[i:])
		if err != nil {
			return nil, err
		}
		return &utility{kind: utilBegin, tag: tag, tx: opts}, nil
	case "COMMIT", "END":
		if word(1) == "PREPARED" {
			return &utility{kind: utilUnsupported, msg: "COMMIT PREPARED is not supported"}, nil
		}
		return &utility{kind: utilCommit, tag: "COMMIT"}, nil
	case "ROLLBACK", "ABORT":
		if word(1) == "PREPARED" {
			return &utility{kind: utilUnsupported, msg: "ROLLBACK PREPARED is not supported"}, nil
		}
		for _, t := range toks[1:] {
			if t.up == "TO" {
				return &utility{kind: utilUnsupported, msg: "savepoints are not supported"}, nil
			}
		}
		return &utility{kind: utilRollback, tag: "ROLLBACK"}, nil
	case "SAVEPOINT", "RELEASE":
		return &utility{kind: utilUnsupported, msg: "savepoints are not supported"}, nil
	case "PREPARE":
		if word(1) == "TRANSACTION" {
			return &utility{kind: utilUnsupported, msg: "PREPARE TRANSACTION is not supported"}, nil
		}
	case "DECLARE":
		return parseDeclare(q, toks)
	case "FETCH", "MOVE":
		return parseFetch(toks)
	case "CLOSE":
		if len(toks) != 2 {
			return nil, newError(codeSyntaxError, "syntax error in CLOSE")
		}
		if toks[1].up == "ALL" {
			return &utility{kind: utilClose, tag: "CLOSE CURSOR ALL", name: ""}, nil
		}
		return &utility{kind: utilClose, tag: "CLOSE CURSOR", name: identName(toks[1].text)}, nil
	case "COPY":
		return parseCopy(q, toks)
	}
	return nil, nil
}

// dottedName reads name[.name...] from the start of toks (lower-cased).
func dottedName(toks []stoken) string {
	if len(toks) == 0 || !isWordToken(toks[0].text) {
		return ""
	}
	name := identName(toks[0].text)
	for i := 1; i+1 < len(toks) && toks[i].text == "."; i += 2 {
		name += "." + identName(toks[i+1].text)
	}
	return name
}

func isWordToken(t string) bool {
	if t == "" {
		return false
	}
	c := t[0]
	return c == '"' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func parseReset(toks []stoken, word func(int) string) *utility {
	u := &utility{kind: utilReset, tag: "RESET"}
	switch {
	case word(1) == "ALL" && len(toks) == 2:
		u.name = "all"
	case word(1) == "TIME" && word(2) == "ZONE":
		u.name = "timezone"
	case word(1) == "SESSION" && word(2) == "AUTHORIZATION":
		u.name = "session_authorization"
	case word(1) == "TRANSACTION" && word(2) == "ISOLATION":
		u.name = "transaction_isolation"
	default:
		u.name = dottedName(toks[1:])
	}
	return u
}

func parseSet(q string, toks []stoken, word func(int) string, rest func(int) string) (*utility, error) {
	u := &utility{kind: utilSet, tag: "SET"}
	i := 1
	switch word(1) {
	case "LOCAL":
		u.local = true
		i = 2
	case "SESSION":
		switch word(2) {
		case "CHARACTERISTICS":
			if word(3) != "AS" || word(4) != "TRANSACTION" {
				return nil, newError(codeSyntaxError, "syntax error at or near %q", strings.ToLower(word(3)))
			}
			opts, err := parseTxOptions(toks[5:])
			if err != nil {
				return nil, err
			}
			return &utility{kind: utilSessionChars, tag: "SET", tx: opts}, nil
		case "AUTHORIZATION":
			u.name = "session_authorization"
			u.value = unquoteValue(rest(3), false)
			u.isDefault = strings.EqualFold(u.value, "DEFAULT")
			return u, nil
		}
		i = 2
	}
	switch word(i) {
	case "TRANSACTION":
		if word(i+1) == "SNAPSHOT" {
			return &utility{kind: utilUnsupported, msg: "SET TRANSACTION SNAPSHOT is not supported"}, nil
		}
		opts, err := parseTxOptions(toks[i+1:])
		if err != nil {
			return nil, err
		}
		return &utility{kind: utilSetTx, tag: "SET", tx: opts}, nil
	case "TIME":
		if word(i+1) != "ZONE" {
			return nil, newError(codeSyntaxError, "syntax error at or near %q", strings.ToLower(word(i+1)))
		}
		u.name = "TimeZone"
		v := rest(i + 2)
		switch strings.ToUpper(v) {
		case "LOCAL", "DEFAULT":
			u.isDefault = true
			return u, nil
		}
		if strings.HasPrefix(strings.ToUpper(v), "INTERVAL") {
			return &utility{kind: utilUnsupported, msg: "SET TIME ZONE INTERVAL is not supported"}, nil
		}
		if n, err := strconv.ParseFloat(v, 64); err == nil && n == float64(int(n)) {
			// A numeric offset in hours east of UTC (POSIX Etc/GMT signs are inverted).
			h := int(n)
			switch {
			case h == 0:
				v = "UTC"
			case h > 0:
				v = "Etc/GMT-" + strconv.Itoa(h)
			default:
				v = "Etc/GMT+" + strconv.Itoa(-h)
			}
		}
		u.value = unquoteValue(v, false)
		return u, nil
	case "NAMES":
		u.name = "client_encoding"
		u.value = unquoteValue(rest(i+1), false)
		return u, nil
	case "SCHEMA":
		u.name = "search_path"
		u.value = unquoteValue(rest(i+1), false)
		return u, nil
	case "ROLE":
		u.name = "role"
		u.value = unquoteValue(rest(i+1), false)
		return u, nil
	}
	j := i
	if j >= len(toks) || !isWordToken(toks[j].text) {
		return nil, newError(codeSyntaxError, "syntax error at or near %q", rest(j))
	}
	u.name = identName(toks[j].text)
	j++
	for j+1 < len(toks) && toks[j].text == "." {
		u.name += "." + identName(toks[j+1].text)
		j += 2
	}
	if word(j) != "TO" && word(j) != "=" {
		return nil, newError(codeSyntaxError, "syntax error at or near %q", rest(j))
	}
	raw := rest(j + 1)
	if raw == "" {
		return nil, newError(codeSyntaxError, "syntax error at end of input")
	}
	if strings.EqualFold(raw, "DEFAULT") {
		u.isDefault = true
		return u, nil
	}
	keep := strings.EqualFold(u.name, "search_path")
	var items []string
	for _, it := range splitValues(raw) {
		items = append(items, unquoteValue(it, keep))
	}
	u.value = strings.Join(items, ", ")
	return u, nil
}

// parseTxOptions parses ISOLATION LEVEL x, READ ONLY/WRITE, [NOT] DEFERRABLE.
func parseTxOptions(toks []stoken) (txOptions, error) {
	var o txOptions
	for i := 0; i < len(toks); i++ {
		switch toks[i].up {
		case ",":
		case "ISOLATION":
			if i+2 >= len(toks) || toks[i+1].up != "LEVEL" {
				return o, newError(codeSyntaxError, "syntax error at or near \"ISOLATION\"")
			}
			switch toks[i+2].up {
			case "SERIALIZABLE":
				o.isolation = "serializable"
				i += 2
			case "REPEATABLE", "READ":
				if i+3 >= len(toks) {
					return o, newError(codeSyntaxError, "syntax error at end of input")
				}
				o.isolation = strings.ToLower(toks[i+2].up + " " + toks[i+3].up)
				if _, err := isolationNorm("transaction_isolation", o.isolation); err != nil {
					return o, newError(codeSyntaxError, "syntax error at or near %q", toks[i+3].text)
				}
				i += 3
			default:
				return o, newError(codeSyntaxError, "syntax error at or near %q", toks[i+2].text)
			}
		case "READ":
			if i+1 >= len(toks) {
				return o, newError(codeSyntaxError, "syntax error at end of input")
			}
			switch toks[i+1].up {
			case "ONLY":
				o.readOnly = "on"
			case "WRITE":
				o.readOnly = "off"
			default:
				return o, newError(codeSyntaxError, "syntax error at or near %q", toks[i+1].text)
			}
			i++
		case "NOT":
			if i+1 >= len(toks) || toks[i+1].up != "DEFERRABLE" {
				return o, newError(codeSyntaxError, "syntax error at or near \"NOT\"")
			}
			i++
		case "DEFERRABLE":
		default:
			return o, newError(codeSyntaxError, "syntax error at or near %q", toks[i].text)
		}
	}
	return o, nil
}

func parseDeclare(q string, toks []stoken) (*utility, error) {
	if len(toks) < 4 {
		return nil, newError(codeSyntaxError, "syntax error at end of input")
	}
	u := &utility{kind: utilDeclare, tag: "DECLARE CURSOR", name: identName(toks[1].text)}
	i := 2
	for ; i < len(toks); i++ {
		switch toks[i].up {
		case "BINARY":
			u.binary = true
		case "ASENSITIVE", "INSENSITIVE", "NO", "SCROLL":
		case "CURSOR":
			i++
			switch {
			case i+1 < len(toks) && toks[i].up == "WITH" && toks[i+1].up == "HOLD":
				u.hold = true
				i += 2
			case i+1 < len(toks) && toks[i].up == "WITHOUT" && toks[i+1].up == "HOLD":
				i += 2
			}
			if i >= len(toks) || toks[i].up != "FOR" || i+1 >= len(toks) {
				return nil, newError(codeSyntaxError, "syntax error in DECLARE: expected FOR query")
			}
			u.query = strings.TrimSpace(q[toks[i+1].pos:])
			return u, nil
		default:
			return nil, newError(codeSyntaxError, "syntax error at or near %q", toks[i].text)
		}
	}
	return nil, newError(codeSyntaxError, "syntax error at end of input")
}

func parseFetch(toks []stoken) (*utility, error) {
	u := &utility{kind: utilFetch, tag: "FETCH", count: 1}
	if toks[0].up == "MOVE" {
		u.kind, u.tag = utilMove, "MOVE"
	}
	if len(toks) < 2 {
		return nil, newError(codeSyntaxError, "syntax error at end of input")
	}
	nameTok := toks[len(toks)-1]
	dir := toks[1 : len(toks)-1]
	if len(dir) > 0 && (dir[len(dir)-1].up == "FROM" || dir[len(dir)-1].up == "IN") {
		dir = dir[:len(dir)-1]
	}
	backward := func() (*utility, error) {
		e := newError("55000", "cursor can only scan forward")
		return nil, e.withHint("Declare it with SCROLL option to enable backward scan.")
	}
	num := func(ts []stoken) (int64, bool) {
		s := ""
		for _, t := range ts {
			s += t.text
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	switch {
	case len(dir) == 0:
	case len(dir) == 1 && dir[0].up == "NEXT":
	case dir[0].up == "ALL" && len(dir) == 1:
		u.count = -1
	case dir[0].up == "FORWARD":
		switch {
		case len(dir) == 1:
		case len(dir) == 2 && dir[1].up == "ALL":
			u.count = -1
		default:
			n, ok := num(dir[1:])
			if !ok {
				return nil, newError(codeSyntaxError, "syntax error at or near %q", dir[1].text)
			}
			if n < 0 {
				return backward()
			}
			u.count = n
		}
	case dir[0].up == "PRIOR" || dir[0].up == "BACKWARD" || dir[0].up == "FIRST" || dir[0].up == "LAST" || dir[0].up == "ABSOLUTE":
		return backward()
	case dir[0].up == "RELATIVE":
		n, ok := num(dir[1:])
		if !ok {
			return nil, newError(codeSyntaxError, "syntax error in %s", u.tag)
		}
		if n < 1 {
			return backward()
		}
		// RELATIVE n skips n-1 rows and returns the n-th: not worth it.
		return &utility{kind: utilUnsupported, msg: "FETCH RELATIVE is not supported"}, nil
	default:
		n, ok := num(dir)
		if !ok {
			return nil, newError(codeSyntaxError, "syntax error at or near %q", dir[0].text)
		}
		if n < 0 {
			return backward()
		}
		u.count = n
	}
	if u.count == 0 {
		return &utility{kind: utilUnsupported, msg: "FETCH 0 (re-fetching the current row) is not supported"}, nil
	}
	u.name = identName(nameTok.text)
	return u, nil
}
