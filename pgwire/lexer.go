package pgwire

import (
	"strings"
)

// sqlPiece is one statement of a query string.
type sqlPiece struct {
	text   string // statement text without the terminating ';'
	offset int    // byte offset of text in the original query string
}

// token is a word or symbol outside strings and comments.
type token struct {
	text string
	pos  int
}

// scanSQL walks query, calling onToken for every word/symbol outside quotes
// and comments and onSemicolon for every top-level ';'. It understands
// '...' strings (a doubled quote escapes), E'...' (backslash escapes), "..."
// identifiers, $tag$...$tag$ dollar quotes, -- line comments and nested /* */
// comments.
func scanSQL(q string, onToken func(token), onSemicolon func(pos int)) {
	n := len(q)
	isIdent := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
	}
	i := 0
	for i < n {
		c := q[i]
		switch {
		case c == '-' && i+1 < n && q[i+1] == '-':
			for i < n && q[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < n && q[i+1] == '*':
			depth := 0
			for i < n {
				if q[i] == '/' && i+1 < n && q[i+1] == '*' {
					depth++
					i += 2
					continue
				}
				if q[i] == '*' && i+1 < n && q[i+1] == '/' {
					depth--
					i += 2
					if depth == 0 {
						break
					}
					continue
				}
				i++
			}
		case c == '\'':
			start := i
			i = skipQuoted(q, i+1, '\'', false)
			if onToken != nil {
				onToken(token{q[start:i], start})
			}
		case c == '"':
			start := i
			i = skipQuoted(q, i+1, '"', false)
			if onToken != nil {
				onToken(token{q[start:i], start})
			}
		case (c == 'E' || c == 'e') && i+1 < n && q[i+1] == '\'' && (i == 0 || !isIdent(q[i-1])):
			start := i
			i = skipQuoted(q, i+2, '\'', true)
			if onToken != nil {
				onToken(token{q[start:i], start})
			}
		case c == '$' && (i == 0 || !isIdent(q[i-1])) && i+1 < n && !(q[i+1] >= '0' && q[i+1] <= '9'):
			// Possible dollar quote: $tag$ with tag an identifier without digits first.
			j := i + 1
			for j < n && isIdent(q[j]) && q[j] != '$' {
				j++
			}
			if j < n && q[j] == '$' {
				tag := q[i : j+1]
				end := strings.Index(q[j+1:], tag)
				start := i
				if end < 0 {
					i = n
				} else {
					i = j + 1 + end + len(tag)
				}
				if onToken != nil {
					onToken(token{q[start:i], start})
				}
				continue
			}
			if onToken != nil {
				onToken(token{"$", i})
			}
			i++
		case c == ';':
			if onSemicolon != nil {
				onSemicolon(i)
			}
			i++
		case isIdent(c) || c == '$':
			start := i
			for i < n && (isIdent(q[i]) || q[i] == '$') {
				i++
			}
			if onToken != nil {
				onToken(token{q[start:i], start})
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		default:
			if onToken != nil {
				onToken(token{q[i : i+1], i})
			}
			i++
		}
	}
}

// skipQuoted returns the index just past the closing quote of a quoted
// literal whose body starts at i. Doubled quotes are escapes; with
// backslashes set, a backslash escapes the next byte.
func skipQuoted(q string, i int, quote byte, backslashes bool) int {
	for i < len(q) {
		switch q[i] {
		case '\\':
			if backslashes {
				i += 2
				continue
			}
		case quote:
			if i+1 < len(q) && q[i+1] == quote {
				i += 2
				continue
			}
			return i + 1
		}
		i++
	}
	return len(q)
}

// splitStatements splits a simple-query string into statements. Pieces that
// contain only whitespace and comments are dropped; the result is empty for
// an empty query.
func splitStatements(q string) []sqlPiece {
	var pieces []sqlPiece
	start := 0
	hasToken := false
	scanSQL(q, func(token) { hasToken = true }, func(pos int) {
		if hasToken {
			pieces = append(pieces, sqlPiece{text: q[start:pos], offset: start})
		}
		start, hasToken = pos+1, false
	})
	if hasToken {
		pieces = append(pieces, sqlPiece{text: q[start:], offset: start})
	}
	return pieces
}

// leadingKeywords returns up to n upper-cased leading words of a statement,
// skipping comments and opening parentheses.
func leadingKeywords(q string, n int) []string {
	var out []string
	stop := false
	scanSQL(q, func(t token) {
		if stop || len(out) >= n {
			return
		}
		if t.text == "(" && len(out) == 0 {
			return
		}
		c := t.text[0]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			stop = true
			return
		}
		out = append(out, strings.ToUpper(t.text))
	}, func(int) { stop = true })
	return out
}

// hasKeyword reports whether the statement contains word as a bare keyword
// (outside strings, identifiers in double quotes and comments).
func hasKeyword(q, word string) bool {
	found := false
	scanSQL(q, func(t token) {
		if !found && strings.EqualFold(t.text, word) {
			found = true
		}
	}, nil)
	return found
}
