package sqlclass

import (
	"math"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// reader fills a Statement from its parse tree; src is the text the
// parser read, which node locations refer to.
type reader struct {
	src string
}

// Cursor options of DeclareCursorStmt (PostgreSQL's CURSOR_OPT_*).
const (
	cursorBinary = 0x01
	cursorScroll = 0x02
	cursorHold   = 0x20
)

// statement sets the kind and the statement-specific details of st.
func (r reader) statement(st *Statement, node *pg_query.Node) {
	switch n := node.GetNode().(type) {
	case *pg_query.Node_SelectStmt:
		st.Kind = Select
		st.Writes = n.SelectStmt.IntoClause != nil
	case *pg_query.Node_InsertStmt:
		st.Kind, st.Writes = Insert, true
	case *pg_query.Node_UpdateStmt:
		st.Kind, st.Writes = Update, true
	case *pg_query.Node_DeleteStmt:
		st.Kind, st.Writes = Delete, true
	case *pg_query.Node_MergeStmt:
		st.Kind, st.Writes = Merge, true
	case *pg_query.Node_VariableSetStmt:
		r.variableSet(st, n.VariableSetStmt)
	case *pg_query.Node_VariableShowStmt:
		r.show(st, n.VariableShowStmt.Name)
	case *pg_query.Node_CopyStmt:
		r.copy(st, n.CopyStmt)
	case *pg_query.Node_DeclareCursorStmt:
		d := n.DeclareCursorStmt
		st.Kind = Declare
		st.Cursor = &Cursor{Name: d.Portalname, Binary: d.Options&cursorBinary != 0,
			Scroll: d.Options&cursorScroll != 0, Hold: d.Options&cursorHold != 0}
		if start, end, ok := declareQuerySpan(st.Text); ok {
			st.Cursor.Query = strings.TrimSpace(st.Text[start:end])
		}
	case *pg_query.Node_FetchStmt:
		fetch(st, n.FetchStmt)
	case *pg_query.Node_ClosePortalStmt:
		st.Kind, st.Cursor = Close, &Cursor{Name: n.ClosePortalStmt.Portalname}
	case *pg_query.Node_TransactionStmt:
		transaction(st, n.TransactionStmt)
	case *pg_query.Node_DiscardStmt:
		st.Kind = Discard
		st.Discard = strings.TrimPrefix(n.DiscardStmt.Target.String(), "DISCARD_")
	case *pg_query.Node_PrepareStmt:
		st.Kind, st.Prepared = Prepare, n.PrepareStmt.Name
	case *pg_query.Node_ExecuteStmt:
		st.Kind, st.Prepared = Execute, n.ExecuteStmt.Name
	case *pg_query.Node_DeallocateStmt:
		st.Kind, st.Prepared = Deallocate, n.DeallocateStmt.Name
	case *pg_query.Node_ExplainStmt:
		st.Kind = Explain
	case *pg_query.Node_CallStmt:
		st.Kind = Call
	case *pg_query.Node_LoadStmt:
		st.Kind, st.Files, st.External = Load, true, "LOAD"
	default:
		st.Kind = otherKind(node)
		st.Writes = st.Kind == DDL
	}
}

// ddlPrefixes are the parse-node name prefixes of schema changes.
var ddlPrefixes = []string{"Create", "Alter", "Drop", "Define", "Rename", "Comment", "Grant", "Truncate",
	"Index", "View", "Rule", "Composite", "Refresh", "Reassign", "SecLabel", "Reindex"}

// otherKind returns DDL or Utility for a statement node of another type.
func otherKind(node *pg_query.Node) Kind {
	m := node.ProtoReflect()
	fd := m.WhichOneof(m.Descriptor().Oneofs().Get(0))
	if fd == nil {
		return Unknown
	}
	name := string(fd.Message().Name())
	for _, p := range ddlPrefixes {
		if strings.HasPrefix(name, p) {
			return DDL
		}
	}
	return Utility
}

// setForms are the special SET syntaxes, by their first words.
var setForms = map[string]string{"TIME": "TIME ZONE", "NAMES": "NAMES", "SCHEMA": "SCHEMA", "ROLE": "ROLE",
	"AUTHORIZATION": "SESSION AUTHORIZATION"}

// variableSet reads SET, SET LOCAL, RESET and SET TRANSACTION.
func (r reader) variableSet(st *Statement, v *pg_query.VariableSetStmt) {
	switch v.Kind {
	case pg_query.VariableSetKind_VAR_RESET:
		st.Kind, st.Setting = Reset, &Setting{Name: v.Name}
		return
	case pg_query.VariableSetKind_VAR_RESET_ALL:
		st.Kind, st.Setting = Reset, &Setting{Name: "all"}
		return
	case pg_query.VariableSetKind_VAR_SET_MULTI:
		switch v.Name {
		case "TRANSACTION":
			st.Kind, st.Tx = SetTransaction, txOptions(v.Args)
		case "SESSION CHARACTERISTICS":
			st.Kind, st.Tx = SessionCharacteristics, txOptions(v.Args)
		case "TRANSACTION SNAPSHOT":
			st.Kind, st.Setting = SetTransaction, &Setting{Name: "transaction_snapshot", Snapshot: true}
		}
		return
	}
	s := &Setting{Name: v.Name, Local: v.IsLocal,
		Default:     v.Kind == pg_query.VariableSetKind_VAR_SET_DEFAULT,
		FromCurrent: v.Kind == pg_query.VariableSetKind_VAR_SET_CURRENT}
	words := LeadingWords(st.Text, 3)
	for _, w := range words[1:] {
		if w == "LOCAL" || w == "SESSION" {
			continue
		}
		s.Form = setForms[w]
		break
	}
	for _, a := range v.Args {
		if c := a.GetAConst(); c != nil {
			s.Values = append(s.Values, r.value(c))
		} else if a.GetTypeCast() != nil {
			s.Interval = true
		}
	}
	st.Kind, st.Setting = Set, s
}

// value reads one SET value item.
func (r reader) value(c *pg_query.A_Const) Value {
	v := Value{Raw: r.rawAt(int(c.Location))}
	switch x := c.Val.(type) {
	case *pg_query.A_Const_Sval:
		v.Text = x.Sval.Sval
	case *pg_query.A_Const_Ival:
		v.Text, v.Kind = strconv.Itoa(int(x.Ival.Ival)), NumberValue
	case *pg_query.A_Const_Fval:
		v.Text, v.Kind = x.Fval.Fval, NumberValue
	case *pg_query.A_Const_Boolval:
		v.Text, v.Kind = strconv.FormatBool(x.Boolval.Boolval), WordValue
	}
	if v.Kind == 0 {
		t, _ := NewLexer(v.Raw).Next()
		switch t.Kind {
		case QuotedIdent:
			v.Kind = QuotedValue
		case Word:
			v.Kind = WordValue
		default:
			v.Kind = StringValue
		}
	}
	return v
}

// rawAt returns the token written at a location, with its sign.
func (r reader) rawAt(loc int) string {
	if loc < 0 || loc >= len(r.src) {
		return ""
	}
	lx := &Lexer{src: r.src, pos: loc}
	t, ok := lx.Next()
	if !ok {
		return ""
	}
	if t.Text == "-" || t.Text == "+" {
		if n, ok := lx.Next(); ok {
			return r.src[t.Pos : n.Pos+len(n.Text)]
		}
	}
	return t.Text
}

// show reads SHOW name; DuckDB's SHOW TABLES and SHOW DATABASES describe.
func (r reader) show(st *Statement, name string) {
	switch name {
	case "tables", "databases":
		if words := LeadingWords(st.Text, 2); len(words) == 2 && words[1] == strings.ToUpper(name) {
			st.Kind = Describe
			return
		}
	}
	st.Kind, st.Setting = Show, &Setting{Name: name}
}

// txOptions reads transaction modes (transaction_isolation,
// transaction_read_only, transaction_deferrable).
func txOptions(opts []*pg_query.Node) *TxOptions {
	o := &TxOptions{}
	for _, n := range opts {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		c := d.GetArg().GetAConst()
		switch d.Defname {
		case "transaction_isolation":
			o.Isolation = c.GetSval().GetSval()
		case "transaction_read_only":
			b := c.GetIval().GetIval() != 0
			o.ReadOnly = &b
		case "transaction_deferrable":
			b := c.GetIval().GetIval() != 0
			o.Deferrable = &b
		}
	}
	return o
}

// transaction reads BEGIN, COMMIT, ROLLBACK, savepoints and two-phase commit.
func transaction(st *Statement, t *pg_query.TransactionStmt) {
	switch t.Kind {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN:
		st.Kind, st.TxTag = Begin, "BEGIN"
	case pg_query.TransactionStmtKind_TRANS_STMT_START:
		st.Kind, st.TxTag = Begin, "START TRANSACTION"
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
		st.Kind = Commit
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		st.Kind = Rollback
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		st.Kind = Savepoint
	case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
		st.Kind = Release
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		st.Kind = RollbackTo
	case pg_query.TransactionStmtKind_TRANS_STMT_PREPARE:
		st.Kind = PrepareTransaction
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED:
		st.Kind = CommitPrepared
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		st.Kind = RollbackPrepared
	}
	st.Tx = txOptions(t.Options)
	st.Tx.Chain = t.Chain
}

// fetch reads FETCH and MOVE.
func fetch(st *Statement, f *pg_query.FetchStmt) {
	st.Kind = Fetch
	if f.Ismove {
		st.Kind = Move
	}
	st.Cursor = &Cursor{Name: f.Portalname, Direction: FetchDirection(f.Direction), Count: f.HowMany,
		All: f.HowMany == math.MaxInt64}
}

// copy reads COPY: source or destination, relation or query, options.
func (r reader) copy(st *Statement, c *pg_query.CopyStmt) {
	cp := &CopyStmt{From: c.IsFrom, Program: c.IsProgram, File: c.Filename}
	cp.Stdio = c.Filename == "" && !c.IsProgram
	if rv := c.Relation; rv != nil {
		cp.Relation = &Name{Catalog: rv.Catalogname, Schema: rv.Schemaname, Name: rv.Relname}
	}
	for _, a := range c.Attlist {
		cp.Columns = append(cp.Columns, a.GetString_().GetSval())
	}
	if c.Query != nil {
		if start, end, ok := copyQuerySpan(st.Text); ok {
			cp.Query = strings.TrimSpace(st.Text[start:end])
		}
	}
	for _, o := range c.Options {
		if d := o.GetDefElem(); d != nil {
			cp.Options = append(cp.Options, copyOption(d))
		}
	}
	st.Kind, st.Copy = Copy, cp
	st.Files = !cp.Stdio
	st.Writes = cp.From || !cp.Stdio
	if st.Files {
		st.External = copyExternal(cp)
	}
}

// copyOption reads one COPY option.
func copyOption(d *pg_query.DefElem) CopyOption {
	o := CopyOption{Name: d.Defname}
	if d.Arg == nil {
		return o
	}
	o.HasValue = true
	switch a := d.Arg.GetNode().(type) {
	case *pg_query.Node_AStar:
		o.Star = true
	case *pg_query.Node_List:
		o.IsList = true
		for _, it := range a.List.Items {
			o.List = append(o.List, it.GetString_().GetSval())
		}
	default:
		o.Value = nodeText(d.Arg)
	}
	return o
}

// nodeText returns the text of a constant option argument.
func nodeText(n *pg_query.Node) string {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_String_:
		return x.String_.Sval
	case *pg_query.Node_Integer:
		return strconv.Itoa(int(x.Integer.Ival))
	case *pg_query.Node_Float:
		return x.Float.Fval
	case *pg_query.Node_Boolean:
		return strconv.FormatBool(x.Boolean.Boolval)
	case *pg_query.Node_AConst:
		if s := x.AConst.GetSval(); s != nil {
			return s.Sval
		}
	case *pg_query.Node_TypeName:
		var parts []string
		for _, p := range x.TypeName.Names {
			parts = append(parts, p.GetString_().GetSval())
		}
		return strings.Join(parts, ".")
	}
	return ""
}
