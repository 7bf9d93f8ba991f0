package clienttest

// knownIssues lists the server gaps this suite found. A failing check or
// value matching client/kind/key is reported as a skip "KNOWN: reason"
// instead of a failure; delete the entry when the server is fixed (the
// subtest then passes, or fails loudly if the fix is incomplete).
var knownIssues = []knownIssue{
	// Catalog gaps (pg_catalog compatibility is a later issue).
	{pattern: "jdbc/value/alltypes/iv/*", reason: "pgjdbc getObject on interval throws NullPointerException (pgTypeName is null): OID 1186 is not found by pgjdbc's pg_type lookup"},
	{pattern: "jdbc/check/metadata", reason: "ResultSetMetaData.isNullable runs pgjdbc's pg_catalog query that needs array_upper(), which is missing"},
	{pattern: "jdbc/value/meta/*", reason: "ResultSetMetaData fails: pg_catalog query needs array_upper()"},
}
