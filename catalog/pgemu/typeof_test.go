package pgemu

import "testing"

func TestPgTypeofName(t *testing.T) {
	for in, want := range map[string]string{
		"INTEGER": "integer", "DECIMAL(10,2)": "numeric", "HUGEINT": "numeric", "VARCHAR": "text",
		"TIMESTAMP WITH TIME ZONE": "timestamp with time zone", `"NULL"`: "unknown", "INTEGER[]": "integer[]",
		"DECIMAL(5,2)[]": "numeric[]", "INTEGER[3]": "integer[]", "INTEGER[][]": "json", "STRUCT(a INTEGER)": "json",
		"STRUCT(a INTEGER)[]": "json", "MAP(VARCHAR, INTEGER)": "json", "JSON[]": "json[]", "mood": "text",
	} {
		if got := pgTypeofName(in); got != want {
			t.Errorf("pgTypeofName(%q) = %q, want %q", in, got, want)
		}
	}
}
