package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func formatPos(p Pos) string {
	if p.File == "" {
		return "<unknown>"
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Error is one configuration problem. Load returns all of them joined with
// errors.Join, one per line; use errors.As on the individual errors (via
// the Unwrap() []error of the joined error) to inspect them.
type Error struct {
	Pos Pos
	Msg string
}

// Error formats the problem as "file:line:column: message".
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Load reads every *.tpc file directly in dir, in name order, and returns
// the validated configuration. A missing dir, or one without .tpc files, is
// an empty configuration. The implicit connection aws.default is always
// present unless the files define it. Every problem found in every file is
// reported, each as "file:line:column: message", joined with errors.Join.
func Load(dir string) (*Config, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		entries, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading config directory %s: %w", dir, err)
	}
	var files []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".tpc") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if fi, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("reading config file %s: %w", path, err)
		} else if fi.IsDir() {
			continue
		}
		files = append(files, path)
	}
	sort.Strings(files)

	l := &loader{
		cfg:        &Config{Connections: map[string]*Connection{}},
		partitions: map[string]Pos{},
		users:      map[string]Pos{},
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading config file %s: %w", path, err)
		}
		l.loadFile(path, src)
	}
	l.finish()
	sortErrors(l.errs)
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return l.cfg, nil
}

// sortErrors orders errors by file, line and column (stable).
func sortErrors(errs []error) {
	key := func(e error) Pos {
		var ce *Error
		if errors.As(e, &ce) {
			return ce.Pos
		}
		return Pos{}
	}
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := key(errs[i]), key(errs[j])
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// loader accumulates the configuration and its problems across files.
type loader struct {
	cfg        *Config
	errs       []error
	file       *fileCtx
	partitions map[string]Pos // full name -> declaration
	users      map[string]Pos // user name -> declaration
	refs       []connRef
}

// connRef is a source's reference to a connection, checked once every file
// has been read.
type connRef struct {
	name string
	pos  Pos
}

// fileCtx is the file being decoded.
type fileCtx struct {
	name string
	pre  *preprocessed
}

// pos converts a position of the rewritten source to the original file.
func (f *fileCtx) pos(p hcl.Pos) Pos {
	line, col := f.pre.position(f.pre.origOffset(p.Byte))
	return Pos{File: f.name, Line: line, Column: col}
}

func (l *loader) errorf(p hcl.Pos, format string, args ...any) {
	l.errs = append(l.errs, &Error{Pos: l.file.pos(p), Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) errorAt(p Pos, format string, args ...any) {
	l.errs = append(l.errs, &Error{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// diags records HCL error diagnostics; it reports whether there were any.
func (l *loader) diags(ds hcl.Diagnostics) bool {
	bad := false
	for _, d := range ds {
		if d.Severity != hcl.DiagError {
			continue
		}
		bad = true
		var p hcl.Pos
		switch {
		case d.Subject != nil:
			p = d.Subject.Start
		case d.Context != nil:
			p = d.Context.Start
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		l.errorf(p, "%s", msg)
	}
	return bad
}

func (l *loader) loadFile(name string, src []byte) {
	pre := preprocess(src)
	l.file = &fileCtx{name: name, pre: pre}
	for _, e := range pre.errs {
		line, col := pre.position(e.offset)
		l.errorAt(Pos{File: name, Line: line, Column: col}, "%s", e.msg)
	}
	f, ds := hclsyntax.ParseConfig(pre.src, name, hcl.InitialPos)
	l.diags(ds)
	if f == nil {
		return
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return
	}
	for _, a := range sortedAttrs(body.Attributes) {
		l.errorf(a.NameRange.Start, "unexpected top-level argument %q: a config file holds only connection, partition and user blocks", a.Name)
	}
	for _, b := range body.Blocks {
		switch b.Type {
		case "connection":
			l.connection(b)
		case "partition":
			l.partition(b)
		case "user":
			l.user(b)
		case "format", "table", "workspace", "plugin":
			l.errorf(b.TypeRange.Start, "%s blocks are not supported yet: tpserver currently supports only connection, partition and user blocks", b.Type)
		default:
			l.errorf(b.TypeRange.Start, "unknown block type %q: expected connection, partition or user", b.Type)
		}
	}
}

// sortedAttrs returns a body's attributes in source order.
func sortedAttrs(m hclsyntax.Attributes) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(m))
	for _, a := range m {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NameRange.Start.Byte < out[j].NameRange.Start.Byte })
	return out
}

// labels checks a block's label count.
func (l *loader) labels(b *hclsyntax.Block, want int, usage string) bool {
	if len(b.Labels) == want {
		return true
	}
	l.errorf(b.TypeRange.Start, "%s block has %d label(s), want %d: expected %s", b.Type, len(b.Labels), want, usage)
	return false
}

// noBlocks reports nested blocks of a block that takes none.
func (l *loader) noBlocks(b *hclsyntax.Block) {
	for _, nb := range b.Body.Blocks {
		l.errorf(nb.TypeRange.Start, "unexpected %q block inside %s block", nb.Type, b.Type)
	}
}

func (l *loader) connection(b *hclsyntax.Block) {
	if !l.labels(b, 2, `connection "aws" "NAME" { ... }`) {
		return
	}
	c := &Connection{Type: b.Labels[0], Name: b.Labels[1], Pos: l.file.pos(b.TypeRange.Start)}
	ok := true
	if c.Type != "aws" {
		l.errorf(b.LabelRanges[0].Start, "unsupported connection type %q: only \"aws\" connections are supported", c.Type)
		ok = false
	}
	if !hclsyntax.ValidIdentifier(c.Name) {
		l.errorf(b.LabelRanges[1].Start, "invalid connection name %q: names must start with a letter or _ and contain only letters, digits, _ and -", c.Name)
		ok = false
	}
	l.noBlocks(b)
	for _, a := range sortedAttrs(b.Body.Attributes) {
		switch a.Name {
		case "profile":
			l.decode(a, &c.Profile)
		case "access_key":
			l.decode(a, &c.AccessKey)
		case "secret_key":
			l.decode(a, &c.SecretKey)
		case "session_token":
			l.decode(a, &c.SessionToken)
		case "region":
			l.decode(a, &c.Region)
		case "endpoint_url":
			l.decode(a, &c.EndpointURL)
		case "s3_force_path_style":
			l.decode(a, &c.S3ForcePathStyle)
		case "max_error_retry_attempts":
			if l.decode(a, &c.MaxErrorRetryAttempts) && c.MaxErrorRetryAttempts < 0 {
				l.errorf(a.Expr.Range().Start, "max_error_retry_attempts must not be negative, got %d", c.MaxErrorRetryAttempts)
			}
		case "min_error_retry_delay":
			if l.decode(a, &c.MinErrorRetryDelay) && c.MinErrorRetryDelay < 0 {
				l.errorf(a.Expr.Range().Start, "min_error_retry_delay must not be negative, got %d", c.MinErrorRetryDelay)
			}
		default:
			l.errorf(a.NameRange.Start, "unsupported argument %q in aws connection: supported arguments are profile, access_key, secret_key, session_token, region, endpoint_url, s3_force_path_style, max_error_retry_attempts, min_error_retry_delay", a.Name)
		}
	}
	if !ok {
		return
	}
	if prev, dup := l.cfg.Connections[c.FullName()]; dup {
		l.errorf(b.TypeRange.Start, "duplicate connection %s: already defined at %s", c.FullName(), prev.Pos)
		return
	}
	l.cfg.Connections[c.FullName()] = c
}

// decode decodes an attribute's constant value into target.
func (l *loader) decode(a *hclsyntax.Attribute, target any) bool {
	ds, ok := decodeExpr(a.Expr, target)
	l.diags(ds)
	return ok
}
