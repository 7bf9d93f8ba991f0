package pgwire

import (
	"strconv"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// textColumn is a text result column of a utility statement.
func textColumn(name string) column {
	ct := &colType{duck: duckdb.TYPE_VARCHAR}
	ct.resolve()
	return column{name: name, typ: ct}
}

// utilityStatement wraps a parsed utility as a statement.
func utilityStatement(name, text string, u *utility) *statement {
	st := &statement{name: name, sql: text, execSQL: text, util: u, paramOIDs: []uint32{}}
	if u.kind == utilShow {
		st.returnsRows = true
		if u.name == "all" {
			st.cols = []column{textColumn("name"), textColumn("setting"), textColumn("description")}
		} else {
			st.cols = []column{textColumn(showLabel(u.name))}
		}
	}
	return st
}

// showLabel is the column name SHOW uses for a parameter.
func showLabel(name string) string {
	if d, ok := knownParams[strings.ToLower(name)]; ok {
		return d.name
	}
	return strings.ToLower(name)
}

// runUtility executes a pgwire-handled statement and sends its results and
// CommandComplete.
func (s *session) runUtility(p *portal) error {
	u := p.stmt.util
	complete := func(tag string) error {
		return s.send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
	}
	switch u.kind {
	case utilSet:
		if u.local && s.txStatus == txIdle {
			if err := s.notice("WARNING", codeNoActiveTx, "SET LOCAL can only be used in transaction blocks"); err != nil {
				return err
			}
			return complete("SET")
		}
		if err := s.setParam(u.name, u.value, u.isDefault, u.local); err != nil {
			return err
		}
		return complete("SET")
	case utilReset:
		if u.name == "all" {
			if err := s.resetAll(); err != nil {
				return err
			}
		} else if err := s.setParam(u.name, "", true, false); err != nil {
			return err
		}
		return complete("RESET")
	case utilShow:
		return s.runShow(p)
	case utilDiscard:
		if u.name == "ALL" {
			if s.txStatus != txIdle {
				return newError(codeActiveTx, "DISCARD ALL cannot run inside a transaction block")
			}
			for name, c := range s.cursors {
				c.close()
				delete(s.cursors, name)
			}
			for name, q := range s.portals {
				if q != p {
					q.close()
					delete(s.portals, name)
				}
			}
			for name := range s.stmts {
				delete(s.stmts, name)
			}
			if err := s.resetAll(); err != nil {
				return err
			}
		}
		return complete(u.tag)
	case utilBegin:
		return s.runBegin(u)
	case utilCommit, utilRollback:
		return s.runEnd(u.kind == utilCommit)
	case utilSetTx:
		if s.txStatus == txIdle {
			if err := s.notice("WARNING", codeNoActiveTx, "SET TRANSACTION can only be used in transaction blocks"); err != nil {
				return err
			}
			return complete("SET")
		}
		if err := s.applyTxOptions(u.tx, "transaction_isolation", "transaction_read_only"); err != nil {
			return err
		}
		return complete("SET")
	case utilSessionChars:
		if err := s.applyTxOptions(u.tx, "default_transaction_isolation", "default_transaction_read_only"); err != nil {
			return err
		}
		return complete("SET")
	case utilDeclare:
		return s.runDeclare(u)
	case utilFetch, utilMove:
		return s.runFetch(p, u)
	case utilClose:
		if u.name == "" {
			for name, c := range s.cursors {
				c.close()
				delete(s.cursors, name)
			}
			return complete(u.tag)
		}
		c, ok := s.cursors[u.name]
		if !ok {
			return newError(codeInvalidCursor, "cursor %q does not exist", u.name)
		}
		c.close()
		delete(s.cursors, u.name)
		return complete(u.tag)
	case utilCopyOut:
		return s.runCopyOut(u)
	case utilCopyIn:
		return s.runCopyIn()
	case utilUnsupported:
		return newError(codeFeatureNotSupported, "%s", u.msg)
	}
	return newError(codeInternal, "unhandled utility statement")
}

// notice sends a NoticeResponse unless client_min_messages filters it.
func (s *session) notice(severity, code, msg string) error {
	levels := map[string]int{"debug5": 0, "debug4": 0, "debug3": 0, "debug2": 0, "debug1": 0, "log": 1, "notice": 2, "warning": 3, "error": 4}
	sev := map[string]int{"NOTICE": 2, "WARNING": 3}[severity]
	if sev < levels[s.guc.get("client_min_messages")] {
		return nil
	}
	return s.send(&pgproto3.NoticeResponse{Severity: severity, SeverityUnlocalized: severity, Code: code, Message: msg})
}

// setParam changes a parameter (isDefault: back to the session default).
func (s *session) setParam(name, value string, isDefault, local bool) error {
	key := strings.ToLower(name)
	def, known := knownParams[key]
	switch {
	case known && def.flags&paramReadOnly != 0:
		return newError("55P02", "parameter %q cannot be changed", def.name)
	case !known && strings.Contains(key, "."):
		if isDefault {
			value = ""
		}
		s.guc.custom[key] = key
	case !known:
		return s.setDuckDBSetting(name, value, isDefault)
	default:
		if isDefault {
			value = s.guc.defaults[key]
		} else if def.norm != nil {
			v, err := def.norm(def.name, value)
			if err != nil {
				return err
			}
			value = v
		}
	}
	old, had := s.guc.vals[key]
	if err := s.applyParam(key, value); err != nil {
		return err
	}
	if local && s.txStatus != txIdle {
		if _, saved := s.txLocal[key]; !saved {
			if s.txLocal == nil {
				s.txLocal = map[string]string{}
			}
			if !had {
				old = "\x00" // marker: did not exist
			}
			s.txLocal[key] = old
		}
	}
	return nil
}

// applyParam stores a normalized value and makes it take effect.
func (s *session) applyParam(key, value string) error {
	switch key {
	case "timezone":
		loc, err := loadZone(value)
		if err != nil {
			return newError(codeInvalidParamValue, "invalid value for parameter \"TimeZone\": %q", value)
		}
		if _, err := s.conn.ExecContext(s.ctx, "SET TimeZone = "+quoteLiteral(loc.String())); err != nil {
			return sqlErr(err, "")
		}
		s.enc.loc = loc
	case "search_path":
		s.materializePortals(nil)
		if _, err := s.conn.ExecContext(s.ctx, "SET search_path = "+quoteLiteral(searchPathForDuckDB(value))); err != nil {
			// PostgreSQL accepts schemas that do not exist; DuckDB does not.
			s.log.Debug("search_path not forwarded to DuckDB", zap.String("search_path", value), zap.Error(err))
		}
	case "extra_float_digits":
		n, _ := strconv.Atoi(value)
		s.enc.floatDigits = n
	case "intervalstyle":
		s.enc.isoIntervals = value == "iso_8601"
	case "statement_timeout":
		ms, _ := parseMillis(value)
		s.cancelMu.Lock()
		s.timeoutMillis = strconv.FormatInt(ms, 10)
		s.cancelMu.Unlock()
	}
	s.guc.vals[key] = value
	return nil
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// setDuckDBSetting forwards SET of a name pgwire does not know to DuckDB,
// in the session's scope only: a setting DuckDB keeps for the whole engine
// (threads, memory_limit, enable_external_access, …) would change every
// other session, so it is refused (55P02) instead. DuckDB rejects unknown
// names (42704).
func (s *session) setDuckDBSetting(name, value string, isDefault bool) error {
	s.materializePortals(nil)
	s.private = true // a DuckDB setting may change how statements bind
	q := "SET SESSION " + quoteIdent(name) + " = " + quoteLiteral(value)
	if isDefault {
		q = "RESET SESSION " + quoteIdent(name)
	}
	if _, err := s.conn.ExecContext(s.ctx, q); err != nil {
		pe := toPgError(err, "")
		switch {
		case strings.Contains(pe.Message, "unrecognized configuration parameter"):
			return newError(codeUndefinedObject, "unrecognized configuration parameter %q", name)
		case strings.Contains(pe.Message, "cannot be set locally"), strings.Contains(pe.Message, "only be set globally"):
			return newError(codeCantChangeRuntimeParam, "parameter %q cannot be changed by a session: it is an engine-wide setting", name)
		}
		return pe
	}
	return nil
}

// resetAll returns every settable parameter to its session default.
func (s *session) resetAll() error {
	for key := range s.guc.vals {
		def, known := knownParams[key]
		if !known {
			delete(s.guc.vals, key)
			continue
		}
		if def.flags&paramReadOnly != 0 || s.guc.vals[key] == s.guc.defaults[key] {
			continue
		}
		if err := s.applyParam(key, s.guc.defaults[key]); err != nil {
			return err
		}
	}
	return nil
}

// runShow answers SHOW.
func (s *session) runShow(p *portal) error {
	u := p.stmt.util
	var rows [][]string
	if u.name == "all" {
		for _, r := range s.guc.showAll() {
			rows = append(rows, []string{r[0], r[1], r[2]})
		}
	} else {
		key := strings.ToLower(u.name)
		v, ok := s.guc.vals[key]
		switch {
		case ok:
		case key == "transaction_isolation" || key == "transaction_read_only":
			v = s.guc.vals["default_"+key]
		case strings.Contains(key, "."):
			return newError(codeUndefinedObject, "unrecognized configuration parameter %q", u.name)
		default:
			s.materializePortals(nil)
			if err := s.conn.QueryRowContext(s.ctx, "SELECT CAST(current_setting("+quoteLiteral(u.name)+") AS VARCHAR)").Scan(&v); err != nil {
				return newError(codeUndefinedObject, "unrecognized configuration parameter %q", u.name)
			}
		}
		rows = [][]string{{v}}
	}
	if p.simple {
		if err := s.send(p.stmt.rowDescription(nil)); err != nil {
			return err
		}
	}
	for _, r := range rows {
		vals := make([][]byte, len(r))
		for i, v := range r {
			vals[i] = []byte(v)
		}
		if err := s.send(&pgproto3.DataRow{Values: vals}); err != nil {
			return err
		}
	}
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte("SHOW")})
}

// reportParams sends ParameterStatus for every reported parameter whose
// value the client does not have yet.
func (s *session) reportParams() error {
	if s.guc == nil {
		return nil
	}
	for key, def := range knownParams {
		if def.flags&paramReport == 0 {
			continue
		}
		v := s.guc.vals[key]
		if old, ok := s.reported[key]; ok && old == v {
			continue
		}
		if err := s.send(&pgproto3.ParameterStatus{Name: def.name, Value: v}); err != nil {
			return err
		}
		s.reported[key] = v
	}
	return nil
}

// applyStartupParams applies parameters given in the startup packet (and
// -c name=value in "options"); they become the session defaults.
func (s *session) applyStartupParams() error {
	set := func(name, value string) error {
		key := strings.ToLower(name)
		def, known := knownParams[key]
		switch {
		case key == "user" || key == "database" || key == "replication" || key == "options":
			return nil
		case known && def.flags&paramReadOnly != 0:
			return nil
		case !known && !strings.Contains(key, "."):
			s.log.Debug("ignored unknown startup parameter", zap.String("name", name))
			return nil
		}
		return s.setParam(name, value, false, false)
	}
	for k, v := range s.params {
		if err := set(k, v); err != nil {
			return err
		}
	}
	if opts := s.params["options"]; opts != "" {
		f := strings.Fields(opts)
		for i := 0; i < len(f); i++ {
			kv := f[i]
			if kv == "-c" && i+1 < len(f) {
				i++
				kv = f[i]
			} else if strings.HasPrefix(kv, "--") {
				kv = kv[2:]
			} else if strings.HasPrefix(kv, "-c") {
				kv = kv[2:]
			} else {
				continue
			}
			if name, value, ok := strings.Cut(kv, "="); ok {
				if err := set(strings.ReplaceAll(name, "-", "_"), value); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// runBegin starts a transaction block.
func (s *session) runBegin(u *utility) error {
	if s.txStatus != txIdle {
		if err := s.notice("WARNING", codeActiveTx, "there is already a transaction in progress"); err != nil {
			return err
		}
		if err := s.applyTxOptions(u.tx, "transaction_isolation", "transaction_read_only"); err != nil {
			return err
		}
		return s.send(&pgproto3.CommandComplete{CommandTag: []byte(u.tag)})
	}
	s.materializePortals(nil)
	s.txGeneration = s.srv.stmts.generation.Load()
	if _, err := s.conn.ExecContext(s.ctx, "BEGIN TRANSACTION"); err != nil {
		return sqlErr(err, "")
	}
	s.txSaved = s.guc.snapshot()
	s.txLocal = nil
	s.txStatus = txActive
	s.guc.vals["transaction_isolation"] = s.guc.vals["default_transaction_isolation"]
	s.guc.vals["transaction_read_only"] = s.guc.vals["default_transaction_read_only"]
	if err := s.applyTxOptions(u.tx, "transaction_isolation", "transaction_read_only"); err != nil {
		return err
	}
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte(u.tag)})
}

// applyTxOptions stores isolation level and read-only options. DuckDB is
// snapshot isolated whatever the level; READ ONLY is enforced by pgwire.
func (s *session) applyTxOptions(o txOptions, isoKey, roKey string) error {
	if o.isolation != "" {
		s.guc.vals[isoKey] = o.isolation
	}
	if o.readOnly != "" {
		s.guc.vals[roKey] = o.readOnly
	}
	return nil
}

// runEnd handles COMMIT (commit=true) and ROLLBACK.
func (s *session) runEnd(commit bool) error {
	tag := "ROLLBACK"
	if commit {
		tag = "COMMIT"
	}
	switch s.txStatus {
	case txIdle:
		if err := s.notice("WARNING", codeNoActiveTx, "there is no transaction in progress"); err != nil {
			return err
		}
		return s.send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
	case txFailed:
		// DuckDB's transaction was rolled back when the error happened.
		s.endTransaction(false)
		return s.send(&pgproto3.CommandComplete{CommandTag: []byte("ROLLBACK")})
	}
	if commit {
		// Holdable cursors outlive the transaction: read them out now.
		for _, c := range s.cursors {
			if c.hold && !c.done {
				if !c.started {
					if err := s.startPortal(c); err != nil {
						return err
					}
				}
				s.materializePortals(nil)
			}
		}
	}
	s.materializePortals(nil)
	var err error
	if commit {
		s.endTxSchema(true)
		_, err = s.conn.ExecContext(s.ctx, "COMMIT")
	} else {
		_, err = s.conn.ExecContext(s.ctx, "ROLLBACK")
	}
	if err != nil {
		pe := toPgError(err, "")
		if commit {
			// A failed COMMIT ends the transaction anyway.
			_, _ = s.conn.ExecContext(s.ctx, "ROLLBACK")
			s.endTransaction(false)
			return pe
		}
		s.log.Debug("rollback", zap.Error(err))
	}
	s.endTransaction(commit && err == nil)
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
}

// abortTransaction puts the block into the failed state after an error,
// rolling back DuckDB's transaction right away.
func (s *session) abortTransaction() {
	s.txStatus = txFailed
	for name, c := range s.cursors {
		if c.inTx {
			c.close()
			delete(s.cursors, name)
		}
	}
	s.materializePortals(nil)
	if _, err := s.conn.ExecContext(s.ctx, "ROLLBACK"); err != nil {
		s.log.Debug("rollback after error", zap.Error(err))
	}
	s.endTxSchema(false)
}

// dropParam undoes the setting of a parameter the session did not have
// before. A custom (dotted) parameter stays defined with an empty value, as
// PostgreSQL keeps the placeholder it made.
func (s *session) dropParam(key string) {
	if strings.Contains(key, ".") {
		s.guc.vals[key] = ""
		return
	}
	delete(s.guc.vals, key)
}

// endTransaction returns to idle: cursors without HOLD close, SET LOCAL
// values revert, and after a rollback every SET of the block reverts.
func (s *session) endTransaction(committed bool) {
	s.txStatus = txIdle
	s.endTxSchema(false)
	if s.txSchemaChanges > 0 {
		s.txSchemaChanges = 0
		s.schemaChanged()
	}
	for name, c := range s.cursors {
		if !c.hold || (!committed && c.inTx) {
			c.close()
			delete(s.cursors, name)
			continue
		}
		c.inTx = false
	}
	target := map[string]string{}
	if !committed && s.txSaved != nil {
		target = s.txSaved
	} else {
		for k, v := range s.txLocal {
			target[k] = v
		}
	}
	for k, v := range target {
		if v == "\x00" {
			s.dropParam(k)
			continue
		}
		if s.guc.vals[k] != v {
			if err := s.applyParam(k, v); err != nil {
				s.log.Warn("restore parameter", zap.String("name", k), zap.Error(err))
			}
		}
	}
	if !committed && s.txSaved != nil {
		for k := range s.guc.vals {
			if _, ok := s.txSaved[k]; !ok {
				s.dropParam(k)
			}
		}
	}
	s.guc.vals["transaction_isolation"] = s.guc.vals["default_transaction_isolation"]
	s.guc.vals["transaction_read_only"] = s.guc.vals["default_transaction_read_only"]
	s.txSaved, s.txLocal = nil, nil
}

// writeStatements are DuckDB statement types a read-only transaction rejects.
var writeStatements = map[duckdb.StmtType]bool{
	duckdb.STATEMENT_TYPE_INSERT: true, duckdb.STATEMENT_TYPE_UPDATE: true, duckdb.STATEMENT_TYPE_DELETE: true,
	duckdb.STATEMENT_TYPE_CREATE: true, duckdb.STATEMENT_TYPE_ALTER: true, duckdb.STATEMENT_TYPE_DROP: true,
	duckdb.STATEMENT_TYPE_COPY: true, duckdb.STATEMENT_TYPE_CREATE_FUNC: true, duckdb.STATEMENT_TYPE_EXPORT: true,
	duckdb.STATEMENT_TYPE_ATTACH: true, duckdb.STATEMENT_TYPE_DETACH: true, duckdb.STATEMENT_TYPE_VACUUM: true,
	duckdb.STATEMENT_TYPE_LOAD: true, duckdb.STATEMENT_TYPE_EXTENSION: true,
}

// checkReadOnly rejects writes in a READ ONLY transaction (25006).
func (s *session) checkReadOnly(st *statement) error {
	ro := s.guc.vals["default_transaction_read_only"]
	if s.txStatus != txIdle {
		ro = s.guc.vals["transaction_read_only"]
	}
	if ro != "on" || !writeStatements[st.stmtType] {
		return nil
	}
	var words []string
	for _, w := range strings.Fields(st.commandTag(0)) {
		if _, err := strconv.Atoi(w); err != nil {
			words = append(words, w)
		}
	}
	return newError("25006", "cannot execute %s in a read-only transaction", strings.Join(words, " "))
}

// runDeclare creates a cursor.
func (s *session) runDeclare(u *utility) error {
	if _, exists := s.cursors[u.name]; exists {
		return newError("42P03", "cursor %q already exists", u.name)
	}
	if s.txStatus == txIdle && !u.hold {
		return newError(codeNoActiveTx, "DECLARE CURSOR can only be used in transaction blocks")
	}
	st, err := s.prepareQuery(u.query)
	if err != nil {
		return err
	}
	if !st.returnsRows {
		return newError("42P11", "cannot open %s query as cursor", strings.Join(st.keywords[:min(1, len(st.keywords))], ""))
	}
	formats := make([]int16, len(st.cols))
	if u.binary {
		for i, c := range st.cols {
			if !binarySupported(c.typ) {
				return newError(codeFeatureNotSupported, "binary output format is not supported for column %q of type %s", c.name, c.typ.pg.name)
			}
			formats[i] = 1
		}
	}
	c := &portal{name: u.name, stmt: st, formats: formats, hold: u.hold, inTx: s.txStatus != txIdle}
	if s.txStatus == txIdle {
		// WITH HOLD outside a block: run and keep the result now, as the
		// implicit transaction commits.
		if err := s.startPortal(c); err != nil {
			return err
		}
		c.materialize()
	}
	s.cursors[u.name] = c
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte(u.tag)})
}

// runFetch answers FETCH and MOVE.
func (s *session) runFetch(p *portal, u *utility) error {
	c, ok := s.cursors[u.name]
	if !ok {
		return newError(codeInvalidCursor, "cursor %q does not exist", u.name)
	}
	fetch := u.kind == utilFetch
	if fetch && p.simple {
		if err := s.send(c.stmt.rowDescription(c.formats)); err != nil {
			return err
		}
	}
	if !c.started && !c.done {
		if err := s.startPortal(c); err != nil {
			return err
		}
	}
	var emit func(*portal) error
	if fetch {
		emit = s.sendRow
	}
	n, err := s.pump(c, u.count, false, emit)
	if err != nil {
		return err
	}
	return s.send(&pgproto3.CommandComplete{CommandTag: []byte(u.tag + " " + itoa(n))})
}
