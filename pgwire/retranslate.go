package pgwire

// PostgreSQL parses a prepared statement again when search_path changed
// since it was prepared, so a statement's names always resolve on the
// session's current path. A translation may assume that a relation name
// means what it means in a new session (PrivateSQLTranslator); a statement
// translated so and run after the session's names came to resolve
// otherwise (SET search_path to a path that puts another schema first, or
// temporary objects: namesShared), or the other way round, is translated
// and prepared again from the client's text when it is bound or
// described; so is any statement run under another search_path than the
// one it was prepared under. As in PostgreSQL, the new statement must
// describe the same result columns (else 0A000 "cached plan must not
// change result type").

// resolution is how a statement's translation resolved its names, and
// what translating it again takes.
type resolution struct {
	private bool     // translated by TranslatePrivateSQL (privateNames)
	path    string   // the session's search_path then (pathSetting)
	text    string   // the client's text
	oids    []uint32 // the parameter types the client gave
}

// privateNames reports whether the session's statements are translated by
// the backend's TranslatePrivateSQL.
func (s *session) privateNames() bool {
	_, ok := s.srv.backend.(PrivateSQLTranslator)
	return ok && !s.namesShared()
}

// pathSetting is the session's search_path setting as the client spelled
// it.
func (s *session) pathSetting() string {
	if s.params.guc == nil {
		return ""
	}
	return s.params.guc.vals["search_path"]
}

// currentStatement returns the session's prepared statement name, prepared
// again first when the session's names no longer resolve as when it was
// translated.
func (s *session) currentStatement(name string) (*statement, error) {
	st, ok := s.stmts[name]
	if !ok {
		return nil, newError(codeInvalidPrepStmt, "prepared statement %q does not exist", name)
	}
	if st.resolved == nil || st.util != nil ||
		st.resolved.private == s.privateNames() && st.resolved.path == s.pathSetting() {
		return st, nil
	}
	if err := s.checkAborted(nil); err != nil {
		return nil, err
	}
	s.materializePortals(nil)
	if s.kept == st {
		s.dropKept()
	}
	again, err := s.prepareTranslated(name, st.resolved.text, st.resolved.oids, false)
	if err != nil {
		return nil, err
	}
	if !sameColumns(st.cols, again.cols) {
		return nil, newError(codeFeatureNotSupported, "cached plan must not change result type")
	}
	s.stmts[name] = again
	return again, nil
}

// sameColumns reports whether two descriptions have the same column names
// and types.
func sameColumns(a, b []column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].name != b[i].name || a[i].typ.pg.oid != b[i].typ.pg.oid {
			return false
		}
	}
	return true
}
