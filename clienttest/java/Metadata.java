// pgjdbc DatabaseMetaData as a user's tool calls it, for TestMetadataAsUsers.
// Connection from PGHOST, PGPORT, PGUSER, PGDATABASE. Prints one line per
// answer, DATA<TAB>key<TAB>value (tabs, newlines and backslashes escaped);
// a call that throws prints DATA<TAB><call>/error<TAB><SQLState> <message>.
// The Go test makes the assertions.
//
// With CT_BENCH_REPEAT=N set (BenchmarkIntrospect) it only times
// getColumns: one cold call, then N more, and prints the cold time and the
// median of the N in milliseconds.
import java.sql.*;
import java.util.*;

public class Metadata {
    static String esc(String s) {
        if (s == null) return "<NULL>";
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    static void data(String k, String v) {
        System.out.println("DATA\t" + esc(k) + "\t" + esc(v));
    }

    interface Call { ResultSet run() throws SQLException; }

    interface Row { String of(ResultSet rs) throws SQLException; }

    // list runs one DatabaseMetaData call and prints each row as
    // <name>/<n>, the row count as <name>/count and the time as <name>/ms.
    static void list(String name, Call call, Row row) {
        long start = System.nanoTime();
        int n = 0;
        try (ResultSet rs = call.run()) {
            while (rs.next()) {
                data(name + "/" + n, row.of(rs));
                n++;
            }
            data(name + "/count", Integer.toString(n));
        } catch (SQLException e) {
            data(name + "/error", e.getSQLState() + " " + e.getMessage());
        } catch (Throwable e) {
            data(name + "/error", "exception " + e);
        }
        data(name + "/ms", Long.toString((System.nanoTime() - start) / 1_000_000));
    }

    // getColumnsOnce runs the full getColumns call a tool makes for one table,
    // reads every column of every row, and returns the elapsed milliseconds.
    static double getColumnsOnce(DatabaseMetaData md, int[] rows) throws SQLException {
        long start = System.nanoTime();
        int n = 0;
        try (ResultSet rs = md.getColumns(null, "public", "aws_cloudtrail_log", "%")) {
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= cols; i++) {
                    rs.getObject(i);
                }
                n++;
            }
        }
        rows[0] = n;
        return (System.nanoTime() - start) / 1e6;
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    // bench prints bench/getColumns/{cold_ms,median_ms,rows,repeat}.
    static void bench(DatabaseMetaData md, int n) {
        try {
            int[] rows = new int[1];
            data("bench/getColumns/cold_ms", ms(getColumnsOnce(md, rows)));
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = getColumnsOnce(md, rows);
            }
            Arrays.sort(t);
            double median = n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
            data("bench/getColumns/median_ms", ms(median));
            data("bench/getColumns/rows", Integer.toString(rows[0]));
            data("bench/getColumns/repeat", Integer.toString(n));
        } catch (SQLException e) {
            data("bench/error", e.getSQLState() + " " + e.getMessage());
        }
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/"
                + System.getenv("PGDATABASE") + "?user=" + System.getenv("PGUSER")
                + "&sslmode=disable&connectTimeout=10&socketTimeout=60";
        Connection c;
        try {
            c = DriverManager.getConnection(url);
        } catch (SQLException e) {
            data("connect/error", e.getSQLState() + " " + e.getMessage());
            return;
        }
        try (c) {
            DatabaseMetaData md = c.getMetaData();
            String repeat = System.getenv("CT_BENCH_REPEAT");
            if (repeat != null && !repeat.isEmpty()) {
                bench(md, Math.max(1, Integer.parseInt(repeat)));
                return;
            }
            data("product", md.getDatabaseProductName() + " " + md.getDatabaseProductVersion());
            data("driver", md.getDriverName() + " " + md.getDriverVersion());
            list("getSchemas", () -> md.getSchemas(), rs -> rs.getString("TABLE_SCHEM"));
            list("getTables", () -> md.getTables(null, "public", "%", new String[] {"TABLE"}),
                    rs -> rs.getString("TABLE_SCHEM") + "|" + rs.getString("TABLE_NAME") + "|"
                            + rs.getString("TABLE_TYPE") + "|" + rs.getString("REMARKS"));
            // Twice: the first call pays for pgjdbc's one-off type cache.
            list("getColumnsCold", () -> md.getColumns(null, "public", "aws_cloudtrail_log", "%"),
                    rs -> rs.getString("COLUMN_NAME"));
            list("getColumns", () -> md.getColumns(null, "public", "aws_cloudtrail_log", "%"),
                    rs -> rs.getString("COLUMN_NAME") + "|" + rs.getString("TYPE_NAME") + "|"
                            + rs.getInt("DATA_TYPE") + "|" + rs.getInt("ORDINAL_POSITION") + "|"
                            + rs.getString("IS_NULLABLE") + "|" + rs.getString("REMARKS"));
            list("getPrimaryKeys", () -> md.getPrimaryKeys(null, "public", "aws_cloudtrail_log"),
                    rs -> rs.getString("COLUMN_NAME") + "|" + rs.getString("PK_NAME"));
            list("getIndexInfo", () -> md.getIndexInfo(null, "public", "aws_cloudtrail_log", false, true),
                    rs -> rs.getString("INDEX_NAME") + "|" + rs.getString("COLUMN_NAME"));
            list("getTypeInfo", () -> md.getTypeInfo(), rs -> rs.getString("TYPE_NAME") + "|" + rs.getInt("DATA_TYPE"));
            // A user's tables with keys and an index (md_keys, md_keys_child).
            list("keys/getPrimaryKeys", () -> md.getPrimaryKeys(null, "public", "md_keys"),
                    rs -> rs.getString("COLUMN_NAME") + "|" + rs.getInt("KEY_SEQ") + "|" + rs.getString("PK_NAME"));
            list("keys/getIndexInfo", () -> md.getIndexInfo(null, "public", "md_keys", false, true),
                    rs -> rs.getString("INDEX_NAME") + "|" + rs.getBoolean("NON_UNIQUE") + "|" + rs.getShort("TYPE") + "|"
                            + rs.getShort("ORDINAL_POSITION") + "|" + rs.getString("COLUMN_NAME") + "|" + rs.getString("ASC_OR_DESC"));
            list("keys/getIndexInfoUnique", () -> md.getIndexInfo(null, "public", "md_keys", true, true),
                    rs -> rs.getString("INDEX_NAME") + "|" + rs.getString("COLUMN_NAME"));
            list("keys/getImportedKeys", () -> md.getImportedKeys(null, "public", "md_keys_child"),
                    rs -> rs.getString("PKTABLE_NAME") + "|" + rs.getString("PKCOLUMN_NAME") + "|" + rs.getString("FKTABLE_NAME") + "|"
                            + rs.getString("FKCOLUMN_NAME") + "|" + rs.getShort("KEY_SEQ") + "|" + rs.getShort("UPDATE_RULE") + "|"
                            + rs.getShort("DELETE_RULE") + "|" + rs.getString("FK_NAME") + "|" + rs.getString("PK_NAME"));
            list("keys/getExportedKeys", () -> md.getExportedKeys(null, "public", "md_keys"),
                    rs -> rs.getString("FKTABLE_NAME") + "|" + rs.getString("FKCOLUMN_NAME") + "|" + rs.getString("FK_NAME"));
        }
    }
}
