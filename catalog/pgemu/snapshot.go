package pgemu

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tpserver/tpserver/lake"
)

// SnapshotTables are the snapshot relations in CatalogSchema, in the order
// SnapshotScript builds them: a _live view may read the snapshot relations
// before it. tp_index_expr_types, which Go fills (indexExprTypes), comes
// first.
func SnapshotTables() []string {
	return []string{"tp_index_expr_types", "tp_schemas", "tp_relations", "tp_columns", "tp_constraints", "tp_indexes",
		"tp_attrdef", "pg_namespace", "pg_class", "pg_type", "pg_attribute", "pg_description"}
}

// snapshotDDL is the DDL of the snapshot relation name: the table
// name_rows, holding a copy of the view name_live (or, with columns given,
// these columns) and tp_owner, and the view name over the copy the
// connection's OwnerVariable names.
func snapshotDDL(name string, columns ...string) string {
	var table string
	if len(columns) == 0 {
		table = fmt.Sprintf("CREATE OR REPLACE TABLE $pg.%[1]s_rows AS SELECT *, CAST(0 AS BIGINT) AS tp_owner FROM $pg.%[1]s_live;", name)
	} else {
		table = fmt.Sprintf("CREATE OR REPLACE TABLE $pg.%s_rows (%s, tp_owner BIGINT);", name, strings.Join(columns, ", "))
	}
	return table + fmt.Sprintf("\nCREATE OR REPLACE VIEW $pg.%[1]s AS SELECT * EXCLUDE (tp_owner) FROM $pg.%[1]s_rows WHERE tp_owner = coalesce(getvariable('%[2]s'), 0);",
		name, OwnerVariable)
}

// shownSQL filters duckdb_constraints() and duckdb_indexes() rows to the
// schemas the catalog shows.
const shownSQL = CatalogSchema + ".tp_shown(database_name, schema_name)"

// snapshotSource is a query counting, cheaply, what the snapshot table
// name is built from, for the tables whose _live view is slow to plan:
// when there is nothing, the table stays empty without its view, whose long
// text-rewriting expressions take DuckDB tens of milliseconds to plan even
// for no rows. Most catalogs have no keys or indexes.
func snapshotSource(name string) (string, bool) {
	switch name {
	case "tp_constraints":
		return "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK') AND " + shownSQL, true
	case "tp_indexes":
		return "SELECT (SELECT count(*) FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND " + shownSQL +
			") + (SELECT count(*) FROM duckdb_indexes() WHERE " + shownSQL + ")", true
	}
	return "", false
}

// SnapshotScript returns the statements that copy DuckDB's catalog, as
// conn sees it, into the snapshot tables: with owner 0 they replace every
// committed row (the shared copy, and private rows a session may have
// failed to delete before it committed), otherwise the private copy owner.
// A private copy only appends and deletes its own uncommitted rows, which
// no other transaction sees, so it never conflicts with one. The caller
// runs the script, in a transaction for the shared copy; a private copy is
// read through the connection's OwnerVariable, which must be set before the
// script runs (a _live view reads the snapshot relations built before it).
func SnapshotScript(ctx context.Context, conn *sql.Conn, owner int64) (string, error) {
	exprTypes, err := indexExprTypes(ctx, conn)
	if err != nil {
		return "", err
	}
	var script strings.Builder
	for _, t := range SnapshotTables() {
		if owner == 0 {
			fmt.Fprintf(&script, "DELETE FROM %s.%s_rows;\n", CatalogSchema, t)
		} else {
			fmt.Fprintf(&script, "DELETE FROM %s.%s_rows WHERE tp_owner = %d;\n", CatalogSchema, t, owner)
		}
		source := CatalogSchema + "." + t + "_live"
		if t == "tp_index_expr_types" {
			source = ""
			if len(exprTypes) > 0 {
				source = "(VALUES\n" + strings.Join(exprTypes, ",\n") + ") AS v(duck_schema, relname, expr, data_type)"
			}
		} else if probe, ok := snapshotSource(t); ok {
			var n int64
			if err := conn.QueryRowContext(ctx, probe).Scan(&n); err != nil {
				return "", fmt.Errorf("count the sources of %s: %w", t, err)
			}
			if n == 0 {
				source = "" // nothing to show: skip planning the view
			}
		}
		if source != "" {
			fmt.Fprintf(&script, "INSERT INTO %s.%s_rows BY NAME SELECT *, CAST(%d AS BIGINT) AS tp_owner FROM %s;\n", CatalogSchema, t, owner, source)
		}
	}
	return script.String(), nil
}

// DeleteSnapshotScript returns the statements that delete the private copy
// owner of the snapshot.
func DeleteSnapshotScript(owner int64) string {
	var script strings.Builder
	for _, t := range SnapshotTables() {
		fmt.Fprintf(&script, "DELETE FROM %s.%s_rows WHERE tp_owner = %d;\n", CatalogSchema, t, owner)
	}
	return script.String()
}

// indexExprTypes types the expressions of users' CREATE INDEX indexes,
// which DuckDB's catalog leaves untyped, by describing each as a query
// over its table. It returns the rows of tp_index_expr_types as SQL
// values; an expression DuckDB cannot describe is left out (and shown as
// text).
func indexExprTypes(ctx context.Context, conn *sql.Conn) ([]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT duck_schema, relname, expr FROM "+CatalogSchema+".tp_index_exprs_live")
	if err != nil {
		return nil, fmt.Errorf("list index expressions: %w", err)
	}
	var exprs [][3]string
	for rows.Next() {
		var e [3]string
		if err := rows.Scan(&e[0], &e[1], &e[2]); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list index expressions: %w", err)
		}
		exprs = append(exprs, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list index expressions: %w", err)
	}
	var values []string
	for _, e := range exprs {
		var typ string
		q := fmt.Sprintf("SELECT column_type FROM (DESCRIBE SELECT %s FROM %s.%s)", e[2], lake.QuoteIdent(e[0]), lake.QuoteIdent(e[1]))
		if err := conn.QueryRowContext(ctx, q).Scan(&typ); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			continue
		}
		values = append(values, fmt.Sprintf("(%s, %s, %s, %s)", quote(e[0]), quote(e[1]), quote(e[2]), quote(typ)))
	}
	return values, nil
}
