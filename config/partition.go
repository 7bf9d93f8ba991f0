package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/tpserver/tpserver/config/layout"
	"github.com/tpserver/tpserver/lake"
)

// Source types supported by this version.
const (
	SourceFile     = "file"
	SourceS3Bucket = "aws_s3_bucket"
)

// DefaultConnection is the full name of the implicit AWS connection.
const DefaultConnection = "aws.default"

// sourceArgs lists the arguments of each supported source type.
var sourceArgs = map[string][]string{
	SourceFile:     {"paths", "file_layout", "patterns"},
	SourceS3Bucket: {"bucket", "prefix", "file_layout", "patterns", "connection"},
}

var tpIndexName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// forbiddenFilterWord matches SQL keywords a filter must not contain.
var forbiddenFilterWord = regexp.MustCompile(`(?i)\b(select|union|with|drop|insert|update|delete|create|alter|attach|copy)\b`)

// decodeExpr decodes a constant expression (no variables or functions)
// into target, a pointer to a Go value gocty can decode into. ok is false
// when target was not set: on error diagnostics, or when the expression is
// invalid (its syntax error is already reported by the parser).
func decodeExpr(expr hcl.Expression, target any) (diags hcl.Diagnostics, ok bool) {
	return decodeExprIn(expr, nil, target)
}

// decodeExprIn is decodeExpr with the functions and variables of ctx.
func decodeExprIn(expr hcl.Expression, ctx *hcl.EvalContext, target any) (diags hcl.Diagnostics, ok bool) {
	val, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return diags, false
	}
	if !val.IsWhollyKnown() {
		return diags, false
	}
	rng := expr.Range()
	bad := func(detail string) (hcl.Diagnostics, bool) {
		return append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsuitable value type", Detail: detail, Subject: &rng}), false
	}
	ty, err := gocty.ImpliedType(target)
	if err != nil {
		return bad(fmt.Sprintf("internal error: %v", err))
	}
	if val.IsNull() {
		return bad("a value is required, not null")
	}
	val, err = convert.Convert(val, ty)
	if err != nil {
		return bad(fmt.Sprintf("expected %s: %v", ty.FriendlyName(), err))
	}
	if err := gocty.FromCtyValue(val, target); err != nil {
		return bad(fmt.Sprintf("expected %s: %v", ty.FriendlyName(), err))
	}
	return diags, true
}

func (l *loader) partition(b *hclsyntax.Block) {
	if !l.labels(b, 2, `partition "TABLE" "NAME" { source "TYPE" { ... } }`) {
		return
	}
	p := &Partition{Table: b.Labels[0], Name: b.Labels[1], Pos: l.file.pos(b.TypeRange.Start)}
	ok := true
	if p.Table != lake.CloudTrailTableName {
		l.errorf(b.LabelRanges[0].Start, "unknown table %q: supported tables are %s", p.Table, lake.CloudTrailTableName)
		ok = false
	}
	if !hclsyntax.ValidIdentifier(p.Name) {
		l.errorf(b.LabelRanges[1].Start, "invalid partition name %q: names must start with a letter or _ and contain only letters, digits, _ and -", p.Name)
		ok = false
	}
	for _, a := range sortedAttrs(b.Body.Attributes) {
		switch a.Name {
		case "filter":
			if l.decode(a, &p.Filter) {
				if err := validateFilter(p.Filter); err != nil {
					l.errorf(a.Expr.Range().Start, "invalid filter: %v", err)
				}
			}
		case "tp_index":
			if l.decode(a, &p.TPIndex) {
				if err := validateTPIndex(p.TPIndex, lake.CloudTrailLog()); err != nil {
					l.errorf(a.Expr.Range().Start, "invalid tp_index: %v", err)
				}
			}
		default:
			l.errorf(a.NameRange.Start, "unsupported argument %q in partition: supported are filter, tp_index and one source block", a.Name)
		}
	}
	var first *hclsyntax.Block
	for _, sb := range b.Body.Blocks {
		if sb.Type != "source" {
			l.errorf(sb.TypeRange.Start, "unexpected %q block in partition: only a source block is allowed", sb.Type)
			continue
		}
		if first != nil {
			l.errorf(sb.TypeRange.Start, "partition %s has a second source block (the first is at %s, the second at %s): exactly one source is allowed per partition",
				p.FullName(), l.file.pos(first.TypeRange.Start), l.file.pos(sb.TypeRange.Start))
			continue
		}
		first = sb
		l.source(sb, &p.Source)
	}
	if first == nil {
		l.errorf(b.TypeRange.Start, "partition %s has no source block: a partition needs exactly one source", p.FullName())
		ok = false
	}
	if !ok {
		return
	}
	if prev, dup := l.partitions[p.FullName()]; dup {
		l.errorf(b.TypeRange.Start, "duplicate partition %s: already defined at %s", p.FullName(), prev)
		return
	}
	l.partitions[p.FullName()] = p.Pos
	l.cfg.Partitions = append(l.cfg.Partitions, p)
}

func (l *loader) source(b *hclsyntax.Block, s *Source) {
	s.Pos = l.file.pos(b.TypeRange.Start)
	if !l.labels(b, 1, `source "TYPE" { ... }`) {
		return
	}
	s.Type = b.Labels[0]
	allowed, known := sourceArgs[s.Type]
	if !known {
		l.errorf(b.LabelRanges[0].Start, "unsupported source type %q: supported types are %s and %s", s.Type, SourceFile, SourceS3Bucket)
		return
	}
	l.noBlocks(b)
	var layoutAttr, patternsAttr *hclsyntax.Attribute
	for _, a := range sortedAttrs(b.Body.Attributes) {
		if !contains(allowed, a.Name) {
			l.errorf(a.NameRange.Start, "unsupported argument %q in %s source: supported arguments are %s", a.Name, s.Type, strings.Join(allowed, ", "))
			continue
		}
		switch a.Name {
		case "paths":
			if l.decode(a, &s.Paths) {
				l.checkPaths(a, s)
			}
		case "file_layout":
			if l.decode(a, &s.FileLayout) {
				layoutAttr = a
			}
		case "patterns":
			if l.decode(a, &s.Patterns) {
				patternsAttr = a
			}
		case "bucket":
			if l.decode(a, &s.Bucket) && s.Bucket == "" {
				l.errorf(a.Expr.Range().Start, "bucket must not be empty")
			}
		case "prefix":
			l.decode(a, &s.Prefix)
		case "connection":
			l.connectionRef(a, s)
		}
	}
	switch s.Type {
	case SourceFile:
		if _, ok := b.Body.Attributes["paths"]; !ok {
			l.errorf(b.TypeRange.Start, "file source requires paths: the list of directories to collect from")
		}
	case SourceS3Bucket:
		if _, ok := b.Body.Attributes["bucket"]; !ok {
			l.errorf(b.TypeRange.Start, "aws_s3_bucket source requires bucket: the name of the S3 bucket to collect from")
		}
	}

	// Compile the effective layout: file_layout, else the table default for
	// S3; patterns are validated even when unused.
	text, at := s.FileLayout, layoutAttr
	if text == "" && s.Type == SourceS3Bucket {
		text, at = layout.DefaultCloudTrailLayout, patternsAttr
	}
	switch {
	case text != "":
		lay, err := layout.Compile(text, s.Patterns)
		if err != nil {
			if at == nil {
				at = patternsAttr
			}
			if at != nil {
				l.errorf(at.Expr.Range().Start, "invalid file_layout: %v", err)
			} else {
				l.errorf(b.TypeRange.Start, "invalid file_layout: %v", err)
			}
			return
		}
		s.Layout = lay
	case patternsAttr != nil:
		if _, err := layout.Compile(`%{DATA}`, s.Patterns); err != nil {
			l.errorf(patternsAttr.Expr.Range().Start, "invalid patterns: %v", err)
		}
	}
}

// checkPaths makes the paths of a file source absolute and checks that each
// is an existing directory.
func (l *loader) checkPaths(a *hclsyntax.Attribute, s *Source) {
	at := a.Expr.Range().Start
	if len(s.Paths) == 0 {
		l.errorf(at, "paths must list at least one directory")
		return
	}
	for i, p := range s.Paths {
		if p == "" {
			l.errorf(at, "paths[%d] is empty", i)
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			l.errorf(at, "paths[%d] %q: %v", i, p, err)
			continue
		}
		s.Paths[i] = abs
		fi, err := os.Stat(abs)
		switch {
		case err != nil && os.IsNotExist(err):
			l.errorf(at, "paths[%d] %q does not exist: each path must be an existing directory", i, abs)
		case err != nil:
			l.errorf(at, "paths[%d] %q: %v", i, abs, err)
		case !fi.IsDir():
			l.errorf(at, "paths[%d] %q is not a directory: each path must be an existing directory", i, abs)
		}
	}
}

// connectionRef decodes `connection = connection.aws.NAME` (or the string
// "aws.NAME") into s.Connection; existence is checked by finish.
func (l *loader) connectionRef(a *hclsyntax.Attribute, s *Source) {
	at := a.Expr.Range().Start
	var name string
	if trav, ds := hcl.AbsTraversalForExpr(a.Expr); !ds.HasErrors() {
		parts := make([]string, 0, len(trav))
		for _, step := range trav {
			switch t := step.(type) {
			case hcl.TraverseRoot:
				parts = append(parts, t.Name)
			case hcl.TraverseAttr:
				parts = append(parts, t.Name)
			default:
				parts = nil
			}
			if parts == nil {
				break
			}
		}
		if len(parts) != 3 || parts[0] != "connection" {
			l.errorf(at, "invalid connection reference: expected connection.aws.NAME")
			return
		}
		name = parts[1] + "." + parts[2]
	} else {
		var str string
		if _, ok := decodeExpr(a.Expr, &str); !ok {
			l.errorf(at, "invalid connection reference: expected connection.aws.NAME")
			return
		}
		str = strings.TrimPrefix(str, "connection.")
		typ, cname, ok := strings.Cut(str, ".")
		if !ok || typ == "" || !hclsyntax.ValidIdentifier(cname) {
			l.errorf(at, "invalid connection reference %q: expected connection.aws.NAME", str)
			return
		}
		name = typ + "." + cname
	}
	s.Connection = name
	l.refs = append(l.refs, connRef{name: name, pos: l.file.pos(at)})
}

// finish adds the implicit connection and checks cross-file references.
func (l *loader) finish() {
	if _, ok := l.cfg.Connections[DefaultConnection]; !ok {
		l.cfg.Connections[DefaultConnection] = &Connection{Type: "aws", Name: "default"}
	}
	for _, r := range l.refs {
		if !strings.HasPrefix(r.name, "aws.") {
			l.errorAt(r.pos, "connection %s cannot be used by an aws_s3_bucket source: an aws connection is required", r.name)
			continue
		}
		if _, ok := l.cfg.Connections[r.name]; !ok {
			l.errorAt(r.pos, "connection %s is not defined: add a connection %q %q block", r.name, "aws", strings.TrimPrefix(r.name, "aws."))
		}
	}
}

// validateTPIndex checks that col is a plain column name of table.
func validateTPIndex(col string, table lake.Table) error {
	if !tpIndexName.MatchString(col) {
		return fmt.Errorf("%q is not a plain column name (letters, digits and _, not starting with a digit); expressions are not supported", col)
	}
	if _, ok := table.Column(col); !ok {
		return fmt.Errorf("%q is not a column of %s", col, table.Name)
	}
	return nil
}

// validateFilter rejects filters that could be more than one boolean
// expression: statement separators, comments and statement keywords. Text
// inside single-quoted string literals and double-quoted identifiers is not
// inspected, so `event_name = 'DeleteBucket'` is fine.
func validateFilter(filter string) error {
	if strings.TrimSpace(filter) == "" {
		return fmt.Errorf("filter is empty; remove it to collect every row")
	}
	code, err := stripQuoted(filter)
	if err != nil {
		return err
	}
	for _, bad := range []string{";", "--", "/*"} {
		if strings.Contains(code, bad) {
			return fmt.Errorf("%q is not allowed: a filter is a single SQL boolean expression, without statement separators or comments", bad)
		}
	}
	if w := forbiddenFilterWord.FindString(code); w != "" {
		return fmt.Errorf("keyword %q is not allowed: a filter is a single SQL boolean expression over table columns, not a statement or subquery", strings.ToLower(w))
	}
	return nil
}

// stripQuoted blanks out '...' string literals and "..." identifiers
// (doubled quotes escape), failing on an unterminated one.
func stripQuoted(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		q := s[i]
		if q != '\'' && q != '"' {
			b.WriteByte(q)
			continue
		}
		j := i + 1
		for ; j < len(s); j++ {
			if s[j] == q {
				if j+1 < len(s) && s[j+1] == q {
					j++
					continue
				}
				break
			}
		}
		if j >= len(s) {
			return "", fmt.Errorf("unterminated %c-quoted text starting at character %d", q, i+1)
		}
		b.WriteString(" x ")
		i = j
	}
	return b.String(), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
