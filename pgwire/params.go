package pgwire

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // TimeZone names must resolve even without system zoneinfo
)

// Session parameters (GUCs).
//
// The session keeps its own table of the PostgreSQL parameters clients use.
// SET/SHOW/RESET of these are answered by pgwire; what DuckDB must know is
// forwarded (TimeZone, search_path). Choices:
//   - DateStyle: only the ISO output style exists; "ISO, DMY"/"ISO, YMD" are
//     accepted (they only change PostgreSQL's input parsing) and other
//     output styles are rejected with 22023, so clients never see a
//     DateStyle they would mis-parse.
//   - IntervalStyle: postgres (default) and iso_8601.
//   - client_encoding: UTF8 only.
//   - Names with a dot are custom parameters: any value is stored.
//   - Other names DuckDB knows as settings are forwarded to DuckDB; unknown
//     names fail with 42704 like PostgreSQL.

// paramFlags describe a parameter.
type paramFlags uint8

const (
	paramReport   paramFlags = 1 << iota // GUC_REPORT: ParameterStatus on change
	paramReadOnly                        // cannot be SET (55P02)
)

// paramDef is a known session parameter.
type paramDef struct {
	name  string // canonical spelling, as SHOW labels it
	def   string
	flags paramFlags
	desc  string
	// norm validates and normalizes a new value (nil: any value).
	norm func(name, v string) (string, error)
}

func boolNorm(name, v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "true", "yes", "1", "t", "y":
		return "on", nil
	case "off", "false", "no", "0", "f", "n":
		return "off", nil
	}
	return "", newError(codeInvalidParamValue, "parameter %q requires a Boolean value", name)
}

func intRangeNorm(lo, hi int) func(string, string) (string, error) {
	return func(name, v string) (string, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return "", newError(codeInvalidParamValue, "invalid value for parameter %q: %q", name, v)
		}
		if n < lo || n > hi {
			return "", newError(codeInvalidParamValue, "%d is outside the valid range for parameter %q (%d .. %d)", n, name, lo, hi)
		}
		return strconv.Itoa(n), nil
	}
}

func enumNorm(allowed ...string) func(string, string) (string, error) {
	return func(name, v string) (string, error) {
		lv := strings.ToLower(strings.TrimSpace(v))
		for _, a := range allowed {
			if lv == strings.ToLower(a) {
				return a, nil
			}
		}
		return "", newError(codeInvalidParamValue, "invalid value for parameter %q: %q", name, v).withHint("Available values: " + strings.Join(allowed, ", ") + ".")
	}
}

// durationNorm parses a PostgreSQL time value in milliseconds ("200", "5s",
// "1min") and renders it in the largest exact unit as SHOW does.
func durationNorm(name, v string) (string, error) {
	ms, ok := parseMillis(v)
	if !ok {
		return "", newError(codeInvalidParamValue, "invalid value for parameter %q: %q", name, v).withHint(`Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".`)
	}
	return formatMillis(ms), nil
}

func parseMillis(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.' || (i == 0 && (v[i] == '-' || v[i] == '+'))) {
		i++
	}
	f, err := strconv.ParseFloat(v[:i], 64)
	if err != nil || f < 0 {
		return 0, false
	}
	unit := strings.ToLower(strings.TrimSpace(v[i:]))
	mult := map[string]float64{"": 1, "us": 0.001, "ms": 1, "s": 1000, "min": 60000, "h": 3600000, "d": 86400000}
	m, ok := mult[unit]
	if !ok {
		return 0, false
	}
	return int64(f*m + 0.5), true
}

func formatMillis(ms int64) string {
	if ms == 0 {
		return "0"
	}
	for _, u := range []struct {
		n    int64
		name string
	}{{86400000, "d"}, {3600000, "h"}, {60000, "min"}, {1000, "s"}} {
		if ms%u.n == 0 {
			return strconv.FormatInt(ms/u.n, 10) + u.name
		}
	}
	return strconv.FormatInt(ms, 10) + "ms"
}

func dateStyleNorm(name, v string) (string, error) {
	style, order := "ISO", "MDY"
	for _, part := range strings.Split(v, ",") {
		switch strings.ToUpper(strings.TrimSpace(part)) {
		case "ISO", "DEFAULT", "":
		case "MDY", "US", "NONEURO", "NONEUROPEAN":
			order = "MDY"
		case "DMY", "EURO", "EUROPEAN":
			order = "DMY"
		case "YMD":
			order = "YMD"
		case "SQL", "POSTGRES", "GERMAN":
			style = strings.ToUpper(strings.TrimSpace(part))
		default:
			return "", newError(codeInvalidParamValue, "invalid value for parameter %q: %q", name, v)
		}
	}
	if style != "ISO" {
		e := newError(codeInvalidParamValue, "invalid value for parameter %q: %q", name, v)
		e.Detail = "This server only supports the ISO output style."
		return "", e
	}
	return style + ", " + order, nil
}

func encodingNorm(name, v string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(v), "-", "")) {
	case "UTF8", "UNICODE":
		return "UTF8", nil
	}
	return "", newError(codeFeatureNotSupported, "conversion between %s and UTF8 is not supported", v)
}

// timeZoneNorm validates a time zone name and returns its canonical spelling.
func timeZoneNorm(name, v string) (string, error) {
	loc, err := loadZone(v)
	if err != nil {
		return "", newError(codeInvalidParamValue, "invalid value for parameter %q: %q", "TimeZone", v)
	}
	return loc.String(), nil
}

// loadZone resolves a zone name case-insensitively (PostgreSQL does).
func loadZone(v string) (*time.Location, error) {
	v = strings.TrimSpace(v)
	switch strings.ToUpper(v) {
	case "UTC", "ETC/UTC", "Z", "ZULU", "UCT", "GMT", "UNIVERSAL":
		if strings.EqualFold(v, "Etc/UTC") {
			return time.LoadLocation("Etc/UTC")
		}
		return time.UTC, nil
	}
	if v == "" || strings.ContainsAny(v, " \\") || strings.Contains(v, "..") {
		return nil, fmt.Errorf("bad zone %q", v)
	}
	if loc, err := time.LoadLocation(v); err == nil {
		return loc, nil
	}
	// Title-case each path segment: "europe/paris" → "Europe/Paris".
	segs := strings.Split(v, "/")
	for i, s := range segs {
		parts := strings.Split(strings.ToLower(s), "_")
		for j, p := range parts {
			if p != "" {
				parts[j] = strings.ToUpper(p[:1]) + p[1:]
			}
		}
		segs[i] = strings.Join(parts, "_")
	}
	return time.LoadLocation(strings.Join(segs, "/"))
}

// knownParams is the table of parameters pgwire answers itself.
var knownParams = func() map[string]*paramDef {
	defs := []*paramDef{
		{name: "application_name", flags: paramReport, desc: "Sets the application name to be reported in statistics and logs."},
		{name: "client_encoding", def: "UTF8", flags: paramReport, norm: encodingNorm, desc: "Sets the client's character set encoding."},
		{name: "DateStyle", def: "ISO, MDY", flags: paramReport, norm: dateStyleNorm, desc: "Sets the display format for date and time values."},
		{name: "IntervalStyle", def: "postgres", flags: paramReport, norm: enumNorm("postgres", "iso_8601"), desc: "Sets the display format for interval values."},
		{name: "TimeZone", def: "UTC", flags: paramReport, norm: timeZoneNorm, desc: "Sets the time zone for displaying and interpreting time stamps."},
		{name: "standard_conforming_strings", def: "on", flags: paramReport, norm: enumNorm("on"), desc: "Causes '...' strings to treat backslashes literally."},
		{name: "integer_datetimes", def: "on", flags: paramReport | paramReadOnly, desc: "Shows whether datetimes are integer based."},
		{name: "is_superuser", def: "on", flags: paramReport | paramReadOnly, desc: "Shows whether the current user is a superuser."},
		{name: "server_version", def: DefaultServerVersion, flags: paramReport | paramReadOnly, desc: "Shows the server version."},
		{name: "server_version_num", def: "150000", flags: paramReadOnly, desc: "Shows the server version as an integer."},
		{name: "server_encoding", def: "UTF8", flags: paramReport | paramReadOnly, desc: "Shows the server (database) character set encoding."},
		{name: "session_authorization", flags: paramReport | paramReadOnly, desc: "Sets the session user name."},
		{name: "default_transaction_read_only", def: "off", flags: paramReport, norm: boolNorm, desc: "Sets the default read-only status of new transactions."},
		{name: "in_hot_standby", def: "off", flags: paramReport | paramReadOnly, desc: "Shows whether hot standby is currently active."},
		{name: "default_transaction_isolation", def: "read committed", norm: isolationNorm, desc: "Sets the transaction isolation level of each new transaction."},
		{name: "transaction_isolation", def: "read committed", norm: isolationNorm, desc: "Sets the current transaction's isolation level."},
		{name: "transaction_read_only", def: "off", norm: boolNorm, desc: "Sets the current transaction's read-only status."},
		{name: "extra_float_digits", def: "1", norm: intRangeNorm(-15, 3), desc: "Sets the number of digits displayed for floating-point values."},
		{name: "search_path", def: `"$user", public`, desc: "Sets the schema search order for names that are not schema-qualified."},
		{name: "statement_timeout", def: "0", norm: durationNorm, desc: "Sets the maximum allowed duration of any statement."},
		{name: "lock_timeout", def: "0", norm: durationNorm, desc: "Sets the maximum allowed duration of any wait for a lock."},
		{name: "idle_in_transaction_session_timeout", def: "0", norm: durationNorm, desc: "Sets the maximum allowed idle time between queries, when in a transaction."},
		{name: "idle_session_timeout", def: "0", norm: durationNorm, desc: "Sets the maximum allowed idle time between queries, when not in a transaction."},
		{name: "client_min_messages", def: "notice", norm: enumNorm("debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning", "error"), desc: "Sets the message levels that are sent to the client."},
		{name: "bytea_output", def: "hex", norm: enumNorm("hex"), desc: "Sets the output format for bytea."},
		{name: "timezone_abbreviations", def: "Default", desc: "Selects a file of time zone abbreviations."},
		{name: "lc_messages", def: "C.UTF-8", desc: "Sets the language in which messages are displayed."},
		{name: "lc_monetary", def: "C.UTF-8", desc: "Sets the locale for formatting monetary amounts."},
		{name: "lc_numeric", def: "C.UTF-8", desc: "Sets the locale for formatting numbers."},
		{name: "lc_time", def: "C.UTF-8", desc: "Sets the locale for formatting date and time values."},
		{name: "lc_collate", def: "C.UTF-8", flags: paramReadOnly, desc: "Shows the collation order locale."},
		{name: "lc_ctype", def: "C.UTF-8", flags: paramReadOnly, desc: "Shows the character classification and case conversion locale."},
		{name: "max_identifier_length", def: "63", flags: paramReadOnly, desc: "Shows the maximum identifier length."},
		{name: "max_index_keys", def: "32", flags: paramReadOnly, desc: "Shows the maximum number of index keys."},
		{name: "block_size", def: "8192", flags: paramReadOnly, desc: "Shows the size of a disk block."},
		{name: "row_security", def: "on", norm: boolNorm, desc: "Enable row security."},
		{name: "synchronous_commit", def: "on", desc: "Sets the current transaction's synchronization level."},
		{name: "work_mem", def: "4MB", desc: "Sets the maximum memory to be used for query workspaces."},
		{name: "jit", def: "off", norm: boolNorm, desc: "Allow JIT compilation."},
		{name: "role", def: "none", desc: "Sets the current role."},
		{name: "xmloption", def: "content", desc: "Sets whether XML data in implicit parsing and serialization operations is to be considered as documents or content fragments."},
		{name: "check_function_bodies", def: "on", norm: boolNorm, desc: "Check routine bodies during CREATE FUNCTION and CREATE PROCEDURE."},
		{name: "escape_string_warning", def: "on", norm: boolNorm, desc: "Warn about backslash escapes in ordinary string literals."},
		{name: "backslash_quote", def: "safe_encoding", desc: `Sets whether "\'" is allowed in string literals.`},
	}
	m := make(map[string]*paramDef, len(defs))
	for _, d := range defs {
		m[strings.ToLower(d.name)] = d
	}
	return m
}()

func isolationNorm(name, v string) (string, error) {
	l := strings.Join(strings.Fields(strings.ToLower(v)), " ")
	switch l {
	case "serializable", "repeatable read", "read committed", "read uncommitted":
		return l, nil
	case "default":
		return "read committed", nil
	}
	return "", newError(codeInvalidParamValue, "invalid value for parameter %q: %q", name, v)
}

// gucs holds a session's parameter values.
type gucs struct {
	vals     map[string]string // lower-case name → value
	defaults map[string]string // session defaults (built-in, overridden by startup options)
	custom   map[string]string // lower-case name → spelling for SHOW of custom names
}

func newGUCs(serverVersion, user string) *gucs {
	g := &gucs{vals: map[string]string{}, defaults: map[string]string{}, custom: map[string]string{}}
	for k, d := range knownParams {
		g.defaults[k] = d.def
	}
	g.defaults["server_version"] = serverVersion
	g.defaults["session_authorization"] = user
	for k, v := range g.defaults {
		g.vals[k] = v
	}
	return g
}

func (g *gucs) get(name string) string { return g.vals[strings.ToLower(name)] }

func (g *gucs) snapshot() map[string]string {
	out := make(map[string]string, len(g.vals))
	for k, v := range g.vals {
		out[k] = v
	}
	return out
}

// showAll returns (name, setting, description) rows sorted by name.
func (g *gucs) showAll() [][3]string {
	var rows [][3]string
	for k, v := range g.vals {
		name, desc := k, ""
		if d, ok := knownParams[k]; ok {
			name, desc = d.name, d.desc
		} else if sp, ok := g.custom[k]; ok {
			name = sp
		}
		rows = append(rows, [3]string{name, v, desc})
	}
	sort.Slice(rows, func(i, j int) bool { return strings.ToLower(rows[i][0]) < strings.ToLower(rows[j][0]) })
	return rows
}

// searchPathForDuckDB maps a PostgreSQL search_path to DuckDB's: "$user"
// is dropped and public becomes main.
func searchPathForDuckDB(v string) string {
	var out []string
	for _, item := range splitList(v) {
		item = strings.TrimSpace(item)
		if strings.HasPrefix(item, `"`) && strings.HasSuffix(item, `"`) && len(item) >= 2 {
			item = strings.ReplaceAll(item[1:len(item)-1], `""`, `"`)
		}
		switch item {
		case "$user", "":
			continue
		case "public":
			item = "main"
		}
		out = append(out, item)
	}
	if len(out) == 0 {
		out = []string{"main"}
	}
	return strings.Join(out, ",")
}

// splitList splits a comma-separated list, keeping double-quoted commas.
func splitList(v string) []string {
	var out []string
	inQ := false
	start := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			inQ = !inQ
		case ',':
			if !inQ {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[start:])
}
