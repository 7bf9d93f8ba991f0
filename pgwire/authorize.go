package pgwire

import (
	"strings"

	"github.com/tpserver/tpserver/pgwire/internal/sqlclass"
)

// Authorization happens before a statement is prepared, from its
// classification, so that a refused statement never reaches DuckDB in any
// form: alone, in a multi-statement Query, through Parse, in PREPARE, in a
// CTE, a subquery or a view's definition. The backend's engine lock is the
// backstop; this gives the client a clear 42501 first. The rules:
//
//   - nobody reads or writes server files, the environment or the network
//     (file-reading table functions, replacement scans, COPY to or from a
//     file or program), attaches or switches databases, installs or loads
//     extensions, exports or imports, runs PRAGMA or CALL, changes
//     engine-wide settings (SET GLOBAL; others in setshow.go), or manages
//     secrets;
//   - nobody creates, changes or drops what the backend's ObjectGuard
//     protects, nor sets a DuckDB variable it protects;
//   - readers change nothing;
//   - a statement in DuckDB's dialect is allowed only when its tokens show
//     what it does; DDL whose targets cannot be read is refused; one whose
//     leading words are not recognised counts as a change (readers are
//     refused; for analysts DuckDB decides, behind the engine lock).

// refusedKinds are the statements nobody may run.
var refusedKinds = map[sqlclass.Kind]string{
	sqlclass.Attach: "ATTACH", sqlclass.Detach: "DETACH", sqlclass.Use: "USE", sqlclass.Install: "INSTALL",
	sqlclass.Load: "LOAD", sqlclass.ExportDatabase: "EXPORT DATABASE", sqlclass.ImportDatabase: "IMPORT DATABASE",
	sqlclass.Pragma: "PRAGMA", sqlclass.Call: "CALL",
}

// changeKinds are the statements only analysts may run.
var changeKinds = map[sqlclass.Kind]bool{
	sqlclass.Insert: true, sqlclass.Update: true, sqlclass.Delete: true, sqlclass.Merge: true,
	sqlclass.DDL: true, sqlclass.Utility: true, sqlclass.Unknown: true,
}

// authorize refuses, with 42501, the first statement of text the session's
// role may not run.
func (s *session) authorize(text string) error {
	stmts := s.srv.classes.Classify(text)
	for i := range stmts {
		if err := s.authorizeStatement(&stmts[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *session) authorizeStatement(st *sqlclass.Statement) error {
	if what, ok := refusedKinds[st.Kind]; ok {
		return refuse("%s is not allowed", what)
	}
	if st.Files {
		what := st.External
		if what == "" {
			what = strings.ToUpper(st.Kind.String())
		}
		return refuse("%s is not allowed: clients may not reach the server's files, environment or network", what)
	}
	if st.Setting != nil && st.Setting.Global {
		return refuse("%s GLOBAL %s is not allowed: it would change the engine for every session", strings.ToUpper(st.Kind.String()), st.Setting.Name)
	}
	if st.Opaque != "" {
		return refuse("%s is not allowed in DuckDB's dialect: the server cannot check what it changes", st.Opaque)
	}
	if err := s.authorizeInner(st); err != nil {
		return err
	}
	changes := st.Writes || len(st.Targets) > 0 || changeKinds[st.Kind]
	if changes && s.role != RoleAnalyst {
		return refuse("%s is not allowed for role %s: it may only read", strings.ToUpper(st.Kind.String()), s.role)
	}
	if st.Kind == sqlclass.DDL && len(st.Targets) == 0 {
		return refuse("%s is not allowed: the server cannot tell what it changes", strings.ToUpper(firstWords(st.Text, 2)))
	}
	if err := s.authorizeVariable(st); err != nil {
		return err
	}
	for _, t := range st.Targets {
		if reason, ok := s.protected(t); ok {
			return refuse("%s is not allowed: %s cannot be changed", strings.ToUpper(firstWords(st.Text, 2)), reason)
		}
	}
	return nil
}

// authorizeInner checks the DuckDB-dialect query of a COPY or DECLARE,
// which the statement's own classification holds only as text.
func (s *session) authorizeInner(st *sqlclass.Statement) error {
	switch {
	case st.Copy != nil && st.Copy.QueryDuckDB:
		return s.authorize(st.Copy.Query)
	case st.Cursor != nil && st.Cursor.QueryDuckDB:
		return s.authorize(st.Cursor.Query)
	}
	return nil
}

// authorizeVariable refuses SET VARIABLE and RESET VARIABLE of a DuckDB
// variable the backend protects.
func (s *session) authorizeVariable(st *sqlclass.Statement) error {
	if st.Kind != sqlclass.SetVariable && st.Kind != sqlclass.ResetVariable || st.Setting == nil {
		return nil
	}
	g, ok := s.srv.backend.(ObjectGuard)
	if !ok {
		return nil
	}
	if reason, ok := g.ProtectedVariable(st.Setting.Name); ok {
		return refuse("%s %s is not allowed: %s cannot be changed", strings.ToUpper(st.Kind.String()), st.Setting.Name, reason)
	}
	return nil
}

// protected asks the backend's ObjectGuard about a target: as written
// and, when unqualified, in each schema of the session's search_path.
func (s *session) protected(t sqlclass.Name) (string, bool) {
	g, ok := s.srv.backend.(ObjectGuard)
	if !ok {
		return "", false
	}
	rel := Relation{Catalog: t.Catalog, Schema: t.Schema, Name: t.Name}
	if reason, ok := g.ProtectedRelation(rel); ok {
		return reason, true
	}
	if t.Schema != "" {
		return "", false
	}
	for _, schema := range s.searchPath() {
		if reason, ok := g.ProtectedRelation(Relation{Schema: schema, Name: t.Name}); ok {
			return reason, true
		}
	}
	return "", false
}

// searchPath returns the schemas of the session's search_path.
func (s *session) searchPath() []string {
	if s.params.guc == nil {
		return nil
	}
	var out []string
	for _, part := range strings.Split(s.params.guc.vals["search_path"], ",") {
		part = strings.TrimSpace(part)
		if unq, ok := strings.CutPrefix(part, `"`); ok {
			out = append(out, strings.ReplaceAll(strings.TrimSuffix(unq, `"`), `""`, `"`))
		} else if part != "" {
			out = append(out, strings.ToLower(part))
		}
	}
	return out
}

// firstWords returns up to n leading words of text, for messages.
func firstWords(text string, n int) string {
	return strings.Join(sqlclass.LeadingWords(text, n), " ")
}

// refuse returns an insufficient_privilege error.
func refuse(format string, args ...any) error {
	return newError(codeInsufficientPriv, "permission denied: "+format, args...)
}
