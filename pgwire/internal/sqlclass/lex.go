package sqlclass

import "strings"

// TokenKind says what sort of token a Token is.
type TokenKind uint8

// Token kinds.
const (
	Word        TokenKind = iota + 1 // keyword or bare identifier (may contain $)
	String                           // '...' or E'...' literal
	QuotedIdent                      // "..." identifier
	DollarQuote                      // $tag$...$tag$ literal
	Number                           // numeric literal
	Param                            // $n parameter
	Symbol                           // any other single byte
	Semicolon                        // a statement separator
)

// Token is one word, literal or symbol of SQL text, outside comments.
type Token struct {
	Kind TokenKind
	Text string // the token as written
	Pos  int    // byte offset in the scanned text
}

// Lexer walks SQL text token by token. It knows PostgreSQL's and DuckDB's
// shared lexical rules: '...' strings (a doubled quote escapes), E'...'
// (backslash escapes), "..." identifiers, $tag$...$tag$ dollar quotes,
// -- line comments and nested /* */ comments.
type Lexer struct {
	src string
	pos int
}

// NewLexer returns a Lexer at the start of src.
func NewLexer(src string) *Lexer { return &Lexer{src: src} }

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Next returns the next token, or false at the end of the text.
func (l *Lexer) Next() (Token, bool) {
	q, n := l.src, len(l.src)
	for l.pos < n {
		i := l.pos
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
		case c == '-' && i+1 < n && q[i+1] == '-':
			l.skipLineComment()
		case c == '/' && i+1 < n && q[i+1] == '*':
			l.skipBlockComment()
		case c == '\'':
			return l.emit(String, skipQuoted(q, i+1, '\'', false)), true
		case c == '"':
			return l.emit(QuotedIdent, skipQuoted(q, i+1, '"', false)), true
		case (c == 'E' || c == 'e') && i+1 < n && q[i+1] == '\'':
			return l.emit(String, skipQuoted(q, i+2, '\'', true)), true
		case c == '$':
			return l.dollar(), true
		case c == ';':
			return l.emit(Semicolon, i+1), true
		case isDigit(c) || c == '.' && i+1 < n && isDigit(q[i+1]):
			return l.emit(Number, l.numberEnd(i)), true
		case isIdentByte(c):
			j := i
			for j < n && (isIdentByte(q[j]) || q[j] == '$') {
				j++
			}
			return l.emit(Word, j), true
		default:
			return l.emit(Symbol, i+1), true
		}
	}
	return Token{}, false
}

// emit returns the token from the current position to end and moves past it.
func (l *Lexer) emit(kind TokenKind, end int) Token {
	t := Token{Kind: kind, Text: l.src[l.pos:end], Pos: l.pos}
	l.pos = end
	return t
}

func (l *Lexer) skipLineComment() {
	for l.pos < len(l.src) && l.src[l.pos] != '\n' {
		l.pos++
	}
}

func (l *Lexer) skipBlockComment() {
	q, depth := l.src, 0
	for l.pos < len(q) {
		switch {
		case q[l.pos] == '/' && l.pos+1 < len(q) && q[l.pos+1] == '*':
			depth++
			l.pos += 2
		case q[l.pos] == '*' && l.pos+1 < len(q) && q[l.pos+1] == '/':
			depth--
			l.pos += 2
			if depth == 0 {
				return
			}
		default:
			l.pos++
		}
	}
}

// numberEnd returns the end of the numeric literal starting at i.
func (l *Lexer) numberEnd(i int) int {
	q := l.src
	for i < len(q) && (isIdentByte(q[i]) || q[i] == '.') {
		if (q[i] == 'e' || q[i] == 'E') && i+1 < len(q) && (q[i+1] == '+' || q[i+1] == '-') {
			i++
		}
		i++
	}
	return i
}

// dollar reads a $n parameter, a $tag$ dollar quote or a lone $.
func (l *Lexer) dollar() Token {
	q, i := l.src, l.pos
	if i+1 < len(q) && isDigit(q[i+1]) {
		j := i + 1
		for j < len(q) && isDigit(q[j]) {
			j++
		}
		return l.emit(Param, j)
	}
	j := i + 1
	for j < len(q) && isIdentByte(q[j]) {
		j++
	}
	if j < len(q) && q[j] == '$' {
		tag := q[i : j+1]
		if end := strings.Index(q[j+1:], tag); end >= 0 {
			return l.emit(DollarQuote, j+1+end+len(tag))
		}
		return l.emit(DollarQuote, len(q))
	}
	return l.emit(Symbol, i+1)
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

// Span is one statement of a query string.
type Span struct {
	Text   string // statement text without its terminating ';'
	Offset int    // byte offset of Text in the query string
}

// Split splits a query string into statements at top-level semicolons.
// Statements holding only whitespace and comments are dropped: the result
// is empty for an empty query.
func Split(q string) []Span {
	var spans []Span
	start, seen := 0, false
	lx := NewLexer(q)
	for t, ok := lx.Next(); ok; t, ok = lx.Next() {
		if t.Kind != Semicolon {
			seen = true
			continue
		}
		if seen {
			spans = append(spans, Span{Text: q[start:t.Pos], Offset: start})
		}
		start, seen = t.Pos+1, false
	}
	if seen {
		spans = append(spans, Span{Text: q[start:], Offset: start})
	}
	return spans
}

// LeadingWords returns up to n upper-cased leading words of a statement,
// skipping comments and opening parentheses; it stops at the first token
// that is not a word.
func LeadingWords(q string, n int) []string {
	var out []string
	lx := NewLexer(q)
	for t, ok := lx.Next(); ok && len(out) < n; t, ok = lx.Next() {
		if t.Text == "(" && len(out) == 0 {
			continue
		}
		if t.Kind != Word || isDigit(t.Text[0]) {
			break
		}
		out = append(out, strings.ToUpper(t.Text))
	}
	return out
}

// HasWord reports whether the statement holds word as a bare word (outside
// literals, quoted identifiers and comments), in any case.
func HasWord(q, word string) bool {
	lx := NewLexer(q)
	for t, ok := lx.Next(); ok; t, ok = lx.Next() {
		if t.Kind == Word && strings.EqualFold(t.Text, word) {
			return true
		}
	}
	return false
}
