package pgwire

import (
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
	"go.uber.org/zap"
)

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
		s.params.guc.custom[key] = key
	case !known:
		return s.setDuckDBSetting(name, value, isDefault)
	default:
		if isDefault {
			value = s.params.guc.defaults[key]
		} else if def.norm != nil {
			v, err := def.norm(def.name, value)
			if err != nil {
				return err
			}
			value = v
		}
	}
	old, had := s.params.guc.vals[key]
	if err := s.applyParam(key, value); err != nil {
		return err
	}
	if local && s.tx.status != txIdle {
		if _, saved := s.tx.local[key]; !saved {
			if s.tx.local == nil {
				s.tx.local = map[string]string{}
			}
			if !had {
				old = "\x00" // marker: did not exist
			}
			s.tx.local[key] = old
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
		s.cancel.mu.Lock()
		s.cancel.timeoutMillis = strconv.FormatInt(ms, 10)
		s.cancel.mu.Unlock()
	}
	s.params.guc.vals[key] = value
	return nil
}

// quoteLiteral quotes s as an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// setDuckDBSetting forwards SET of a name pgwire does not know to DuckDB,
// in the session's scope only: a setting DuckDB keeps for the whole engine
// (threads, memory_limit, enable_external_access, …) would change every
// other session, so it is refused (42501) instead. DuckDB rejects unknown
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
			return refuse("parameter %q cannot be changed by a session: it is an engine-wide setting", name)
		}
		return pe
	}
	return nil
}

// resetAll returns every settable parameter to its session default.
func (s *session) resetAll() error {
	for key := range s.params.guc.vals {
		def, known := knownParams[key]
		if !known {
			delete(s.params.guc.vals, key)
			continue
		}
		if def.flags&paramReadOnly != 0 || s.params.guc.vals[key] == s.params.guc.defaults[key] {
			continue
		}
		if err := s.applyParam(key, s.params.guc.defaults[key]); err != nil {
			return err
		}
	}
	return nil
}

// dropParam undoes the setting of a parameter the session did not have
// before. A custom (dotted) parameter stays defined with an empty value, as
// PostgreSQL keeps the placeholder it made.
func (s *session) dropParam(key string) {
	if strings.Contains(key, ".") {
		s.params.guc.vals[key] = ""
		return
	}
	delete(s.params.guc.vals, key)
}

// runShow answers SHOW.
func (s *session) runShow(p *portal) error {
	u := p.stmt.util
	var rows [][]string
	if u.name == "all" {
		for _, r := range s.params.guc.showAll() {
			rows = append(rows, []string{r[0], r[1], r[2]})
		}
	} else {
		key := strings.ToLower(u.name)
		v, ok := s.params.guc.vals[key]
		switch {
		case ok:
		case key == "transaction_isolation" || key == "transaction_read_only":
			v = s.params.guc.vals["default_"+key]
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
	if s.params.guc == nil {
		return nil
	}
	for key, def := range knownParams {
		if def.flags&paramReport == 0 {
			continue
		}
		v := s.params.guc.vals[key]
		if old, ok := s.params.reported[key]; ok && old == v {
			continue
		}
		if err := s.send(&pgproto3.ParameterStatus{Name: def.name, Value: v}); err != nil {
			return err
		}
		s.params.reported[key] = v
	}
	return nil
}
