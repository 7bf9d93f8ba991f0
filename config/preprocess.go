package config

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// rawGrokAttributes are the attributes whose double-quoted string values keep
// grok's %{...} syntax: "%{" is escaped so HCL does not read a template
// directive (as Tailpipe does for the same attributes).
var rawGrokAttributes = map[string]bool{"file_layout": true, "log_format": true}

// preprocessed is a config file rewritten into plain HCL, with the means to
// map positions in the rewritten text back to the original.
type preprocessed struct {
	src   []byte // rewritten source, given to the HCL parser
	orig  []byte
	marks []mark // where the rewritten-to-original offset changes, by out
	lines []int  // byte offsets of the starts of the original lines
	errs  []preError
}

// mark maps rewritten offset out to original offset orig.
type mark struct{ out, orig int }

// preError is a lexical problem found while rewriting, at an original offset.
type preError struct {
	offset int
	msg    string
}

// preprocess rewrites Tailpipe's config dialect into HCL:
//
//   - a backtick-delimited raw string becomes a double-quoted HCL string
//     with `\`, `"`, "${" and "%{" escaped (no interpolation), newlines as
//     \n escapes; when it spanned several lines it is wrapped in
//     parentheses and the line breaks are re-inserted before the closing
//     parenthesis, so every later token keeps its line number;
//   - in double-quoted values of file_layout and log_format, "%{" becomes
//     "%%{" so grok references survive.
//
// Comments, heredocs and nested template expressions are skipped over.
func preprocess(orig []byte) *preprocessed {
	p := &preprocessed{orig: orig}
	p.lines = append(p.lines, 0)
	for i, c := range orig {
		if c == '\n' {
			p.lines = append(p.lines, i+1)
		}
	}
	r := &rewriter{p: p, s: orig, n: len(orig)}
	r.out.Grow(len(orig) + 64)
	p.marks = append(p.marks, mark{0, 0})
	for r.i < r.n {
		r.next()
	}
	p.src = []byte(r.out.String())
	return p
}

// rewriter is the state of preprocess while it goes through the source.
type rewriter struct {
	p   *preprocessed
	s   []byte // the original source
	n   int    // len(s)
	i   int    // the next byte of s to read
	out strings.Builder
	// interps is the stack of template interpolations open inside strings:
	// a string is resumed when its interpolation closes.
	interps []interpolation
	// lastIdent is the identifier just read, attr the attribute whose
	// value is being read.
	lastIdent, attr string
}

// interpolation is a ${...} or %{...} open inside a string.
type interpolation struct {
	escapePct bool // the enclosing string escapes %{
	braces    int  // brace depth inside the interpolation
}

// setMark records that the rewritten text so far maps to origOff.
func (r *rewriter) setMark(origOff int) {
	r.p.marks = append(r.p.marks, mark{r.out.Len(), origOff})
}

// copyTo copies the original text up to offset j.
func (r *rewriter) copyTo(j int) {
	r.out.Write(r.s[r.i:j])
	r.i = j
}

// next rewrites the token at r.i.
func (r *rewriter) next() {
	s, i, n := r.s, r.i, r.n
	c := s[i]
	switch {
	case c == '#' || (c == '/' && i+1 < n && s[i+1] == '/'):
		j := i
		for j < n && s[j] != '\n' {
			j++
		}
		r.copyTo(j)
	case c == '/' && i+1 < n && s[i+1] == '*':
		j := strings.Index(string(s[i+2:]), "*/")
		if j < 0 {
			j = n
		} else {
			j = i + 2 + j + 2
		}
		r.copyTo(j)
	case c == '<' && i+1 < n && s[i+1] == '<' && heredocStart(s[i:]) > 0:
		r.heredoc()
	case c == '"':
		r.out.WriteByte(c)
		r.i++
		r.lexString(rawGrokAttributes[r.attr])
	case c == '`':
		r.backtick()
	case c == '{' && len(r.interps) > 0:
		r.interps[len(r.interps)-1].braces++
		r.copyTo(i + 1)
	case c == '}' && len(r.interps) > 0:
		r.closeBrace()
	case c == '\n':
		r.copyTo(i + 1)
		if len(r.interps) == 0 {
			r.lastIdent, r.attr = "", ""
		}
	case c == '=':
		r.equals()
	case isIdentStart(c):
		j := i
		for j < n && isIdentPart(s[j]) {
			j++
		}
		r.lastIdent = string(s[i:j])
		r.copyTo(j)
	default:
		if c != ' ' && c != '\t' && c != '\r' {
			r.lastIdent = ""
		}
		r.copyTo(i + 1)
	}
}

// heredoc copies a heredoc, through the line whose trimmed text is its
// marker.
func (r *rewriter) heredoc() {
	s, n := r.s, r.n
	j := r.i + heredocStart(s[r.i:])
	marker := strings.TrimSpace(strings.TrimLeft(string(s[r.i+2:j]), "-"))
	for j < n {
		e := j
		for e < n && s[e] != '\n' {
			e++
		}
		line := strings.TrimSpace(string(s[j:e]))
		if e < n {
			e++
		}
		j = e
		if line == marker {
			break
		}
	}
	r.copyTo(j)
	r.lastIdent, r.attr = "", ""
}

// backtick rewrites a raw string as a quoted HCL string.
func (r *rewriter) backtick() {
	s, n, start := r.s, r.n, r.i
	j := start + 1
	for j < n && s[j] != '`' {
		j++
	}
	if j >= n {
		r.p.errs = append(r.p.errs, preError{start, "unterminated backtick string: a raw string opened with ` must be closed with `"})
		r.copyTo(n)
		return
	}
	content := s[start+1 : j]
	newlines := strings.Count(string(content), "\n")
	if newlines > 0 {
		r.out.WriteByte('(')
	}
	r.out.WriteString(quoteRaw(content))
	if newlines > 0 {
		r.out.WriteString(strings.Repeat("\n", newlines))
		r.out.WriteByte(')')
	}
	r.i = j + 1
	r.setMark(r.i)
}

// closeBrace closes a brace inside an interpolation, or the interpolation,
// resuming its enclosing string.
func (r *rewriter) closeBrace() {
	r.copyTo(r.i + 1)
	top := &r.interps[len(r.interps)-1]
	if top.braces > 0 {
		top.braces--
		return
	}
	f := *top
	r.interps = r.interps[:len(r.interps)-1]
	r.lexString(f.escapePct)
}

// equals copies = or ==; after an identifier, = starts its attribute value.
func (r *rewriter) equals() {
	r.copyTo(r.i + 1)
	if r.i < r.n && r.s[r.i] == '=' {
		r.copyTo(r.i + 1)
	} else if r.lastIdent != "" {
		r.attr = r.lastIdent
	}
}

// lexString copies a double-quoted string starting after its opening quote;
// it returns true when it stopped at an interpolation.
func (r *rewriter) lexString(escapePct bool) bool {
	s, n := r.s, r.n
	for r.i < n {
		i := r.i
		c := s[i]
		switch {
		case c == '\\' && i+1 < n:
			r.copyTo(i + 2)
		case c == '"':
			r.copyTo(i + 1)
			return false
		case c == '\n':
			return false // unterminated: let HCL report it
		case (c == '$' || c == '%') && i+1 < n && s[i+1] == c && i+2 < n && s[i+2] == '{':
			r.copyTo(i + 3) // already escaped
		case c == '%' && i+1 < n && s[i+1] == '{' && escapePct:
			r.out.WriteString("%%{")
			r.i += 2
			r.setMark(r.i)
		case (c == '$' || c == '%') && i+1 < n && s[i+1] == '{':
			r.copyTo(i + 2)
			r.interps = append(r.interps, interpolation{escapePct: escapePct})
			return true
		default:
			r.copyTo(i + 1)
		}
	}
	return false
}

// heredocStart returns the length of a heredoc introducer (<<ID or <<-ID
// and its newline) at the start of s, or 0.
func heredocStart(s []byte) int {
	j := 2
	if j < len(s) && s[j] == '-' {
		j++
	}
	k := j
	for k < len(s) && isIdentPart(s[k]) {
		k++
	}
	if k == j || !isIdentStart(s[j]) {
		return 0
	}
	if k < len(s) && s[k] == '\r' {
		k++
	}
	if k >= len(s) || s[k] != '\n' {
		return 0
	}
	return k + 1
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= utf8.RuneSelf
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c == '-' || (c >= '0' && c <= '9') }

// quoteRaw renders raw text as an HCL quoted string literal with no
// template sequences.
func quoteRaw(raw []byte) string {
	var b strings.Builder
	b.WriteByte('"')
	for k := 0; k < len(raw); k++ {
		c := raw[k]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '"':
			b.WriteString(`\"`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case (c == '$' || c == '%') && k+1 < len(raw) && raw[k+1] == '{':
			b.WriteByte(c)
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// origOffset maps a byte offset of the rewritten source to the original.
func (p *preprocessed) origOffset(off int) int {
	k := sort.Search(len(p.marks), func(k int) bool { return p.marks[k].out > off }) - 1
	if k < 0 {
		k = 0
	}
	m := p.marks[k]
	o := m.orig + (off - m.out)
	if k+1 < len(p.marks) && o > p.marks[k+1].orig {
		o = p.marks[k+1].orig
	}
	return min(max(o, 0), len(p.orig))
}

// position converts an original byte offset to a 1-based line and column
// (the column counts characters, as HCL does for ASCII text).
func (p *preprocessed) position(off int) (line, col int) {
	l := sort.Search(len(p.lines), func(k int) bool { return p.lines[k] > off }) - 1
	if l < 0 {
		l = 0
	}
	return l + 1, utf8.RuneCount(p.orig[p.lines[l]:off]) + 1
}
