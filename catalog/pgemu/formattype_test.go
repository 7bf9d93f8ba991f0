package pgemu

import (
	"fmt"
	"testing"
)

// TestFormatType checks format_type against PostgreSQL 15's answers,
// through SQL (the registered function behind the emulated macro).
func TestFormatType(t *testing.T) {
	db := installed(t)
	for _, tc := range []struct{ args, want string }{
		{"23, -1", "integer"}, {"23, NULL", "integer"}, {"1007, -1", "integer[]"}, {"25, NULL", "text"},
		{"1043, 259", "character varying(255)"}, {"1043, -1", "character varying"}, {"1015, 259", "character varying(255)[]"},
		{"1042, NULL", "character"}, {"1042, -1", "bpchar"}, {"1042, 14", "character(10)"},
		{"1700, 655366", "numeric(10,2)"}, {"1700, -1", "numeric"}, {"1231, 655366", "numeric(10,2)[]"},
		{"1114, 3", "timestamp(3) without time zone"}, {"1114, -1", "timestamp without time zone"},
		{"1184, NULL", "timestamp with time zone"}, {"1083, 0", "time(0) without time zone"}, {"1266, -1", "time with time zone"},
		{"1560, NULL", "bit"}, {"1560, -1", `"bit"`}, {"1560, 4", "bit(4)"}, {"1562, -1", "bit varying"},
		{"16, -1", "boolean"}, {"1186, -1", "interval"}, {"3802, -1", "jsonb"}, {"0, -1", "-"}, {"99999, -1", "???"},
		{"NULL, -1", "<nil>"},
	} {
		var got any
		if err := db.QueryRow("SELECT tp_pg_catalog.format_type(" + tc.args + ")").Scan(&got); err != nil {
			t.Fatalf("format_type(%s): %v", tc.args, err)
		}
		if s := fmt.Sprint(got); s != tc.want {
			t.Errorf("format_type(%s) = %s, want %s", tc.args, s, tc.want)
		}
	}
}
