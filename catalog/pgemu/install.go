package pgemu

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"strings"
	"text/template"
)

// ddlFiles are the install script's parts, in the order they run: DuckDB
// binds a view when it is created, so a file may only read what the files
// before it define (keys.sql comes before catalog_views.sql because pg_class
// and pg_tables read tp_indexes).
func ddlFiles() []string {
	return []string{
		"tables.sql",             // the schemas and the static tables of PostgreSQL's built-in data
		"helpers.sql",            // oids, names, the DuckDB → PostgreSQL type mapping
		"relations.sql",          // snapshot relations of DuckDB's schemas, relations and columns
		"keys.sql",               // constraints, indexes, defaults
		"catalog_views.sql",      // pg_namespace, pg_class, pg_type, pg_attribute...
		"functions.sql",          // pg_catalog's functions
		"operators.sql",          // div and mod, which raise division by zero
		"information_schema.sql", // information_schema
		"report_functions.sql",   // PostgreSQL's functions that reports call, where DuckDB's differ
		"empty_views.sql",        // the catalogs with no rows
		"json.sql",               // json and jsonb operators and functions (jsonfuncs.go)
	}
}

//go:embed sql/*.sql
var ddl embed.FS

// scriptData fills the templates of the install script. The schema names
// are not template fields: the SQL writes them $pg and $is, replaced once
// the templates are executed.
type scriptData struct {
	// Rows of the static tables, as SQL value lists.
	Types, Procs, ProcTexts, Operators, Keywords, Settings, SystemRelations, TypeNames []string

	FirstNormalOID, OIDModulus, PublicOID, PGCatalogOID, InformationSchemaOID                      int
	Database, DatabaseKey, Superuser, Version, SessionVariable, FormatTypeFunction, TypeofFunction string
	// HiddenSchemas and LakeTables are DuckDB lists of string literals.
	HiddenSchemas, LakeTables string
	// ReservedPattern and ReservedList are PostgreSQL's reserved keywords,
	// as a regular expression alternation and as a DuckDB list.
	ReservedPattern, ReservedList string
	// TypeLabels and Collations are DuckDB MAPs by type oid of format_type's
	// names and of collations.
	TypeLabels, Collations string
}

// newScriptData gathers what the templates need; lake names the lake tables.
func newScriptData(lake []string) scriptData {
	reserved := reservedKeywords()
	return scriptData{
		Types: typeRows(), Procs: procRows(), ProcTexts: procTextRows(), Operators: operatorRows(), Keywords: keywordRows(),
		Settings: settingRows(), SystemRelations: systemRelationRows(), TypeNames: typeNameRows(),
		FirstNormalOID: firstNormalObjectID, OIDModulus: oidModulus, PublicOID: publicNamespaceOID,
		PGCatalogOID: pgCatalogNamespaceOID, InformationSchemaOID: informationSchemaNSOID,
		Database: DatabaseName, DatabaseKey: DatabaseKey, Superuser: SuperuserName, Version: Version, SessionVariable: SessionVariable,
		FormatTypeFunction: formatTypeFunction,
		TypeofFunction:     typeofFunction,
		HiddenSchemas:      stringList(HiddenSchemas()), LakeTables: sortedStringList(lake),
		ReservedPattern: strings.Join(reserved, "|"), ReservedList: stringList(reserved),
		TypeLabels: typeLabels(), Collations: typeCollations(),
	}
}

// templateFuncs are the functions the SQL templates call.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		// insert is the INSERT of rows into table.
		"insert": func(table string, rows []string) string {
			return "INSERT INTO " + table + " VALUES\n" + strings.Join(rows, ",\n") + ";"
		},
		// snapshot is the DDL of a snapshot relation (see snapshot.go).
		"snapshot": snapshotDDL,
		// emptyView is a view with no rows and the given columns, each
		// "name type" with a PostgreSQL type (see DuckType).
		"emptyView": func(view, columns string) string {
			var cols []string
			for _, col := range strings.Split(columns, ", ") {
				name, typ, _ := strings.Cut(col, " ")
				cols = append(cols, fmt.Sprintf("CAST(NULL AS %s) AS %s", DuckType(typ), name))
			}
			return fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT %s WHERE false;", view, strings.Join(cols, ", "))
		},
		// pgExpr and pgPretty rewrite the DuckDB expression text expr into
		// PostgreSQL's, plain and pretty (rewrite.go).
		"pgExpr":   func(expr string) string { return applyRules(expr, pgExprRules()) },
		"pgPretty": func(expr string) string { return applyRules(expr, pgPrettyRules()) },
	}
}

// Script is the DDL that installs the emulation; lake names the lake tables
// (views in main that the catalog shows as tables).
func Script(lake []string) (string, error) {
	tmpl, err := template.New("ddl").Funcs(templateFuncs()).ParseFS(ddl, "sql/*.sql")
	if err != nil {
		return "", fmt.Errorf("parse the emulation's DDL: %w", err)
	}
	data := newScriptData(lake)
	var b bytes.Buffer
	for _, name := range ddlFiles() {
		if err := tmpl.ExecuteTemplate(&b, name, data); err != nil {
			return "", fmt.Errorf("build the emulation's DDL: %w", err)
		}
	}
	return strings.NewReplacer("$pg", CatalogSchema, "$is", InformationSchema).Replace(b.String()), nil
}

// Install creates or refreshes the emulation in db; lake names the lake
// tables. The script's fingerprint is kept in the database (the macro
// tp_emulation_version): when it matches, Install costs one query, and
// otherwise the emulation's schemas are dropped and made afresh, so an
// object that changed kind between versions (a view that became a table)
// or was dropped does not linger. The schemas hold nothing else.
func Install(ctx context.Context, db *sql.DB, lake []string) error {
	if err := registerClock(ctx, db); err != nil {
		return err
	}
	if err := registerJSONFunctions(ctx, db); err != nil {
		return err
	}
	if err := registerFormatType(ctx, db); err != nil {
		return err
	}
	if err := registerTypeof(ctx, db); err != nil {
		return err
	}
	script, err := Script(lake)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(script))
	version := hex.EncodeToString(sum[:16])
	var have string
	err = db.QueryRowContext(ctx, "SELECT "+CatalogSchema+".tp_emulation_version()").Scan(&have)
	if err == nil && have == version {
		return nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("install pg_catalog emulation: %w", err)
	}
	defer conn.Close()
	full := "BEGIN;\n" +
		fmt.Sprintf("DROP SCHEMA IF EXISTS %s CASCADE;\nDROP SCHEMA IF EXISTS %s CASCADE;\n", CatalogSchema, InformationSchema) +
		script +
		fmt.Sprintf("CREATE OR REPLACE MACRO %s.tp_emulation_version() AS '%s';\nCOMMIT;\n", CatalogSchema, version)
	if _, err := conn.ExecContext(ctx, full); err != nil {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		return fmt.Errorf("install pg_catalog emulation: %w", err)
	}
	return nil
}
