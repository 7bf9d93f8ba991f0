package pgemu

import (
	"fmt"
	"slices"
	"strings"
)

// SQL literals for the rows and lists the install script is built with.

// quote quotes a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// quoteOrNull quotes s, or is NULL when s is empty.
func quoteOrNull(s string) string {
	if s == "" {
		return "NULL"
	}
	return quote(s)
}

// boolean is a SQL boolean literal.
func boolean(v bool) string {
	if v {
		return "true"
	}
	return "false"
}

// oidList renders a space-separated oidvector as a DuckDB list.
func oidList(s string) string {
	if strings.TrimSpace(s) == "" {
		return "CAST([] AS BIGINT[])"
	}
	return "CAST([" + strings.Join(strings.Fields(s), ", ") + "] AS BIGINT[])"
}

// stringList renders strs as a DuckDB list of string literals, in order.
func stringList(strs []string) string {
	quoted := make([]string, 0, len(strs))
	for _, s := range strs {
		quoted = append(quoted, quote(s))
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// sortedStringList is stringList of strs sorted by their literals.
func sortedStringList(strs []string) string {
	quoted := make([]string, 0, len(strs))
	for _, s := range strs {
		quoted = append(quoted, quote(s))
	}
	slices.Sort(quoted)
	return "[" + strings.Join(quoted, ", ") + "]"
}

// mapEntry is one "key: value" of a DuckDB MAP literal.
func mapEntry(key int64, value string) string { return fmt.Sprintf("%d: %s", key, value) }

// mapLiteral renders entries (mapEntry) as a DuckDB MAP literal.
func mapLiteral(entries []string) string { return "MAP {" + strings.Join(entries, ", ") + "}" }
