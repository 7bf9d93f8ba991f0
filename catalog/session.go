package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/tpserver/tpserver/catalog/pgemu"
	"github.com/tpserver/tpserver/lake"
	"github.com/tpserver/tpserver/pgwire"
)

// MirrorParameters makes a client session's parameters visible to SQL on
// its connection: current_setting(), pg_settings, current_user,
// current_schemas() and current_database() of the emulated catalog read
// them. It sets one DuckDB
// variable, which belongs to the connection. It implements
// pgwire.ParameterMirror.
func (c *Catalog) MirrorParameters(ctx context.Context, conn *sql.Conn, params map[string]string) error {
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintf(&b, "SET VARIABLE %s = CAST(MAP {", sessionVariable)
	for i, name := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		key := strings.ToLower(name)
		if name == pgwire.DatabaseParameter {
			key = pgemu.DatabaseKey // current_database(), pg_database
		}
		b.WriteString(lake.QuoteString(key) + ": " + lake.QuoteString(params[name]))
	}
	b.WriteString("} AS MAP(VARCHAR, VARCHAR))")
	if _, err := conn.ExecContext(ctx, b.String()); err != nil {
		return fmt.Errorf("set session parameters: %w", err)
	}
	return nil
}

// ParameterChanges returns the session parameters sql changes when it runs:
// its set_config calls with constant arguments. It implements
// pgwire.ParameterChanger.
func (c *Catalog) ParameterChanges(sql string) []pgwire.ParameterChange {
	calls := c.describeResult(sql).SetConfigs
	if len(calls) == 0 {
		return nil
	}
	out := make([]pgwire.ParameterChange, len(calls))
	for i, sc := range calls {
		out[i] = pgwire.ParameterChange{Name: sc.Name, Value: sc.Value, Local: sc.Local}
	}
	return out
}
