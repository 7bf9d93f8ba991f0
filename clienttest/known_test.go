package clienttest

// knownIssues lists the server gaps this suite found. A failing check or
// value matching client/kind/key is reported as a skip "KNOWN: reason"
// instead of a failure; delete the entry when the server is fixed (the
// subtest then passes, or fails loudly if the fix is incomplete).
var knownIssues = []knownIssue{
	// Catalog gaps left for the catalog issue.
	{pattern: "corpus/statement/psql/018", reason: "psql \\dd reads pg_class.tableoid, which the emulated pg_class lacks"},
	{pattern: "corpus/statement/pgx/194", reason: "pgx LoadType binds a 4-byte binary oid where the server inferred int8 for the emulated BIGINT oid column"},
	{pattern: "corpus/statement/pgx/196", reason: "pgx LoadType binds a 4-byte binary oid where the server inferred int8 for the emulated BIGINT oid column"},
	{pattern: "corpus/statement/grafana/220", reason: "Grafana's table picker calls generate_series over current_setting('search_path'): DuckDB table functions cannot take the emulation's subquery macros"},
	{pattern: "corpus/statement/grafana/223", reason: "Grafana's table picker calls generate_series over current_setting('search_path'): DuckDB table functions cannot take the emulation's subquery macros"},
	{pattern: "corpus/statement/grafana/224", reason: "Grafana's table picker calls generate_series over current_setting('search_path'): DuckDB table functions cannot take the emulation's subquery macros"},
}
