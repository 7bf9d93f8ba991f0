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
	var out strings.Builder
	out.Grow(len(orig) + 64)
	p.marks = append(p.marks, mark{0, 0})
	setMark := func(origOff int) { p.marks = append(p.marks, mark{out.Len(), origOff}) }

	s := orig
	n := len(s)
	// depth of open braces inside template interpolations; stack of
	// "in string" frames: a string frame is resumed when its interpolation
	// closes.
	type frame struct {
		escapePct bool
		braces    int // brace depth inside the interpolation
	}
	var interps []frame // open interpolations inside strings
	lastIdent, attr := "", ""
	i := 0
	// lexString copies a double-quoted string starting after its opening
	// quote; it returns true when it stopped at an interpolation.
	var lexString func(escapePct bool) bool
	lexString = func(escapePct bool) bool {
		for i < n {
			c := s[i]
			switch {
			case c == '\\' && i+1 < n:
				out.WriteByte(c)
				out.WriteByte(s[i+1])
				i += 2
			case c == '"':
				out.WriteByte(c)
				i++
				return false
			case c == '\n':
				return false // unterminated: let HCL report it
			case (c == '$' || c == '%') && i+1 < n && s[i+1] == c && i+2 < n && s[i+2] == '{':
				out.Write(s[i : i+3]) // already escaped
				i += 3
			case c == '%' && i+1 < n && s[i+1] == '{' && escapePct:
				out.WriteString("%%{")
				i += 2
				setMark(i)
			case (c == '$' || c == '%') && i+1 < n && s[i+1] == '{':
				out.Write(s[i : i+2])
				i += 2
				interps = append(interps, frame{escapePct: escapePct})
				return true
			default:
				out.WriteByte(c)
				i++
			}
		}
		return false
	}
	for i < n {
		c := s[i]
		switch {
		case c == '#' || (c == '/' && i+1 < n && s[i+1] == '/'):
			j := i
			for j < n && s[j] != '\n' {
				j++
			}
			out.Write(s[i:j])
			i = j
		case c == '/' && i+1 < n && s[i+1] == '*':
			j := strings.Index(string(s[i+2:]), "*/")
			if j < 0 {
				j = n
			} else {
				j = i + 2 + j + 2
			}
			out.Write(s[i:j])
			i = j
		case c == '<' && i+1 < n && s[i+1] == '<' && heredocStart(s[i:]) > 0:
			j := i + heredocStart(s[i:])
			marker := strings.TrimSpace(strings.TrimLeft(string(s[i+2:j]), "-"))
			// copy lines until one whose trimmed text is the marker
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
			out.Write(s[i:j])
			i = j
			lastIdent, attr = "", ""
		case c == '"':
			out.WriteByte(c)
			i++
			lexString(rawGrokAttributes[attr])
		case c == '`':
			start := i
			j := i + 1
			for j < n && s[j] != '`' {
				j++
			}
			if j >= n {
				p.errs = append(p.errs, preError{start, "unterminated backtick string: a raw string opened with ` must be closed with `"})
				out.Write(s[i:])
				i = n
				break
			}
			content := s[i+1 : j]
			newlines := strings.Count(string(content), "\n")
			if newlines > 0 {
				out.WriteByte('(')
			}
			out.WriteString(quoteRaw(content))
			if newlines > 0 {
				out.WriteString(strings.Repeat("\n", newlines))
				out.WriteByte(')')
			}
			i = j + 1
			setMark(i)
		case c == '{' && len(interps) > 0:
			interps[len(interps)-1].braces++
			out.WriteByte(c)
			i++
		case c == '}' && len(interps) > 0:
			out.WriteByte(c)
			i++
			top := &interps[len(interps)-1]
			if top.braces > 0 {
				top.braces--
				break
			}
			f := *top
			interps = interps[:len(interps)-1]
			lexString(f.escapePct) // resume the enclosing string
		case c == '\n':
			out.WriteByte(c)
			i++
			if len(interps) == 0 {
				lastIdent, attr = "", ""
			}
		case c == '=':
			out.WriteByte(c)
			i++
			if i < n && s[i] == '=' { // ==
				out.WriteByte('=')
				i++
			} else if lastIdent != "" {
				attr = lastIdent
			}
		case isIdentStart(c):
			j := i
			for j < n && isIdentPart(s[j]) {
				j++
			}
			lastIdent = string(s[i:j])
			out.Write(s[i:j])
			i = j
		default:
			if c != ' ' && c != '\t' && c != '\r' {
				lastIdent = ""
			}
			out.WriteByte(c)
			i++
		}
	}
	p.src = []byte(out.String())
	return p
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
