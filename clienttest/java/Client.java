// pgjdbc checks for the clienttest Go package. Connection from PGHOST, PGPORT,
// PGUSER, PGDATABASE; CT_TARGET says which server (tpserver or postgres).
// Prints DATA<TAB>key<TAB>value and CHECK<TAB>name<TAB>ok|fail|skip<TAB>detail.
import java.sql.*;
import java.util.*;

public class Client {
    static String esc(String s) {
        if (s == null) return "<NULL>";
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    static void data(String k, String v) {
        System.out.println("DATA\t" + esc(k) + "\t" + esc(v));
    }

    static void check(String name, boolean ok, String detail) {
        System.out.println("CHECK\t" + name + "\t" + (ok ? "ok" : "fail") + "\t" + esc(detail));
    }

    static String url(String extra) {
        return "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/"
                + System.getenv("PGDATABASE") + "?user=" + System.getenv("PGUSER")
                + "&sslmode=disable&connectTimeout=10&socketTimeout=60" + extra;
    }

    // assumeMinServerVersion=9.4 makes pgjdbc send extra_float_digits and
    // application_name in the StartupMessage instead of SET statements, so
    // the other checks run even where a plain connect fails (checked apart).
    static String url2(String extra) {
        return url("&assumeMinServerVersion=9.4" + extra);
    }

    // getObject rendered as class:value; an exception becomes the value, so
    // one bad cell does not hide the others.
    static String obj(ResultSet rs, int i) {
        try {
            Object o = rs.getObject(i);
            if (o == null) return "<NULL>";
            if (o instanceof byte[]) {
                StringBuilder sb = new StringBuilder("byte[]:");
                for (byte b : (byte[]) o) sb.append(String.format("%02x", b));
                return sb.toString();
            }
            return o.getClass().getName() + ":" + o;
        } catch (Exception e) {
            return "EXCEPTION " + e;
        }
    }

    static String str(ResultSet rs, int i) {
        try {
            String v = rs.getString(i);
            // pgjdbc's getString of a binary bytea is byte[].toString().
            return v != null && v.startsWith("[B@") ? "[B@(identity hash)" : v;
        } catch (Exception e) {
            return "EXCEPTION " + e;
        }
    }

    static String state(SQLException e) {
        return e == null ? "none" : e.getSQLState();
    }

    interface Body { void run() throws Exception; }

    static void guard(String name, Body b) {
        try {
            b.run();
        } catch (Throwable e) {
            check(name, false, "exception: " + e);
        }
    }

    interface Binder { void bind(PreparedStatement ps) throws Exception; }

    // paramCase runs sql with bind twice (pgjdbc may switch to a server-
    // prepared statement) and records each column as getString and class.
    static void paramCase(Connection c, String mode, String name, String sql, Binder bind) {
        StringBuilder sb = new StringBuilder();
        for (int round = 0; round < 2; round++) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        sb.append(str(rs, i)).append(" | ").append(obj(rs, i)).append("; ");
                    }
                }
            } catch (SQLException e) {
                sb.append("error ").append(state(e)).append("; ");
            } catch (Exception e) {
                sb.append("exception ").append(e).append("; ");
            }
        }
        data("param_types/" + name + "/" + mode, sb.toString());
    }

    public static void main(String[] args) throws Exception {
        boolean tp = "tpserver".equals(System.getenv("CT_TARGET"));
        guard("connect_plain", () -> {
            try (Connection c0 = DriverManager.getConnection(url(""));
                 Statement st = c0.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
                rs.next();
                check("connect_plain", rs.getInt(1) == 1, "");
            }
        });
        Connection c = DriverManager.getConnection(url2(""));

        guard("params", () -> {
            try (PreparedStatement ps = c.prepareStatement("select ?::bigint + 1, ? || 'x', ?::numeric(10,2)")) {
                ps.setLong(1, 41);
                ps.setString(2, "ab'c");
                ps.setBigDecimal(3, new java.math.BigDecimal("12.5"));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    data("params/basic", rs.getLong(1) + " " + rs.getString(2) + " " + rs.getBigDecimal(3));
                }
            }
            check("params", true, "");
        });

        // Parameters of each type: arrays (createArrayOf), bytea, json
        // (PGobject), dates, uuid; with the default connection and with
        // one that prepares and binds binary from the first execution.
        guard("param_types", () -> {
            try (Connection cb = DriverManager.getConnection(url2("&prepareThreshold=-1"))) {
                for (Connection cc : new Connection[] {c, cb}) {
                    String mode = cc == c ? "default" : "prepared";
                    paramCase(cc, mode, "any_varchar", "select count(*) from alltypes where s = any(?)",
                            ps -> ps.setArray(1, cc.createArrayOf("varchar", new Object[] {"text", "none"})));
                    paramCase(cc, mode, "any_int4", "select count(*) from alltypes where i4 = any(?)",
                            ps -> ps.setArray(1, cc.createArrayOf("int4", new Object[] {3, 7})));
                    paramCase(cc, mode, "text_array", "select ?::text[]",
                            ps -> ps.setArray(1, cc.createArrayOf("text", new Object[] {"a", null, "b c", "q\"u\\x", "NULL", "", "{x}"})));
                    paramCase(cc, mode, "float8_array", "select ?::float8[]",
                            ps -> ps.setArray(1, cc.createArrayOf("float8", new Object[] {1.5, -0.25})));
                    paramCase(cc, mode, "bytea", "select ?::bytea",
                            ps -> ps.setBytes(1, new byte[] {(byte) 0xde, (byte) 0xad, 0, (byte) 0xff}));
                    paramCase(cc, mode, "json", "select ?::json", ps -> {
                        org.postgresql.util.PGobject o = new org.postgresql.util.PGobject();
                        o.setType("json");
                        o.setValue("{\"a\": [1, true, null]}");
                        ps.setObject(1, o);
                    });
                    paramCase(cc, mode, "jsonb_compare", "select ?::jsonb ->> 'a'", ps -> {
                        org.postgresql.util.PGobject o = new org.postgresql.util.PGobject();
                        o.setType("jsonb");
                        o.setValue("{\"a\": \"x\"}");
                        ps.setObject(1, o);
                    });
                    paramCase(cc, mode, "bool", "select ?::boolean, ?", ps -> {
                        ps.setString(1, "yes");
                        ps.setBoolean(2, false);
                    });
                    paramCase(cc, mode, "date", "select ?::date", ps -> ps.setDate(1, java.sql.Date.valueOf("2024-02-29")));
                    paramCase(cc, mode, "timestamp", "select ?::timestamp",
                            ps -> ps.setTimestamp(1, java.sql.Timestamp.valueOf("2024-01-02 03:04:05.123456")));
                    paramCase(cc, mode, "uuid", "select ?::uuid",
                            ps -> ps.setObject(1, java.util.UUID.fromString("5b6f3a2e-9d5c-4b1e-8f3a-2c1d0e9f8a7b")));
                    paramCase(cc, mode, "numeric", "select ?::numeric(10,3)",
                            ps -> ps.setBigDecimal(1, new java.math.BigDecimal("12.345")));
                }
            }
            check("param_types", true, "");
        });

        // Every column of alltypes as text, and metadata.
        guard("alltypes", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select * from alltypes order by id")) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    String id = rs.getString(1);
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        data("alltypes/" + md.getColumnName(i) + "/" + id, str(rs, i));
                        data("alltypes/" + md.getColumnName(i) + "/" + id + "/object", obj(rs, i));
                    }
                }
            }
            check("alltypes", true, "");
        });

        // ResultSetMetaData of every column (isNullable reads pg_catalog).
        guard("metadata", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select * from alltypes order by id")) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    data("meta/" + md.getColumnName(i), "label=" + md.getColumnLabel(i) + " type=" + md.getColumnType(i)
                            + " typename=" + md.getColumnTypeName(i) + " precision=" + md.getPrecision(i)
                            + " scale=" + md.getScale(i) + " class=" + md.getColumnClassName(i));
                }
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    data("meta/" + md.getColumnName(i) + "/nullable", "" + md.isNullable(i));
                }
            }
            check("metadata", true, "");
        });

        // DECIMAL precision/scale in metadata.
        guard("decimal_metadata", () -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select dc from alltypes where id = 1")) {
                ResultSetMetaData md = rs.getMetaData();
                check("decimal_metadata", md.getPrecision(1) == 10 && md.getScale(1) == 2 && "numeric".equals(md.getColumnTypeName(1)),
                        "precision=" + md.getPrecision(1) + " scale=" + md.getScale(1) + " type=" + md.getColumnTypeName(1));
            }
        });

        // A PreparedStatement run 10 times: past prepareThreshold (server-side
        // prepared, binary results), with text and with binaryTransfer.
        for (String variant : new String[]{"default", "binary"}) {
            String extra = variant.equals("binary") ? "&prepareThreshold=1&binaryTransfer=true" : "";
            String name = "prepared_reuse_" + variant;
            guard(name, () -> {
                try (Connection c2 = DriverManager.getConnection(url2(extra));
                     PreparedStatement ps = c2.prepareStatement("select * from alltypes where id <= ? order by id")) {
                    for (int run = 0; run < 10; run++) {
                        ps.setInt(1, 3);
                        StringBuilder sb = new StringBuilder();
                        try (ResultSet rs = ps.executeQuery()) {
                            ResultSetMetaData md = rs.getMetaData();
                            while (rs.next()) {
                                for (int i = 1; i <= md.getColumnCount(); i++) {
                                    sb.append(md.getColumnName(i)).append('=').append(str(rs, i)).append(';');
                                    if (run == 0 || run == 9) {
                                        data("alltypes/" + md.getColumnName(i) + "/" + rs.getString(1) + "/" + variant + "/run" + (run + 1),
                                                obj(rs, i) + " string=" + str(rs, i));
                                    }
                                }
                                sb.append('\n');
                            }
                        }
                    }
                    check(name, true, "");
                }
            });
        }

        // setFetchSize inside a transaction must not truncate.
        guard("fetch_size", () -> {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setFetchSize(1000);
                long n = 0, sum = 0;
                try (ResultSet rs = st.executeQuery("select i from tenk order by i")) {
                    while (rs.next()) {
                        n++;
                        sum += rs.getLong(1);
                    }
                }
                check("fetch_size", n == 10000 && sum == 49995000L, "rows=" + n + " sum=" + sum);
                if (tp) {
                    n = 0;
                    try (ResultSet rs = st.executeQuery("select * from aws_cloudtrail_log order by tp_id limit 10000")) {
                        while (rs.next()) n++;
                    }
                    check("fetch_size_cloudtrail", n == 10000, "rows=" + n);
                }
            } finally {
                try { c.rollback(); } catch (SQLException e) { /* reported by later checks */ }
                c.setAutoCommit(true);
            }
        });

        // stringtype=unspecified: the server infers the parameter's type.
        guard("unspecified_param", () -> {
            try (Connection c2 = DriverManager.getConnection(url2("&stringtype=unspecified"))) {
                try (PreparedStatement ps = c2.prepareStatement("select id from alltypes where i4 = ?")) {
                    ps.setObject(1, "3");
                    try (ResultSet rs = ps.executeQuery()) {
                        data("unspecified/int", rs.next() ? rs.getString(1) : "no row");
                    }
                }
                try (PreparedStatement ps = c2.prepareStatement("select count(*) from alltypes where s = ?")) {
                    ps.setObject(1, "text");
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        data("unspecified/text", rs.getString(1));
                    }
                }
                try (PreparedStatement ps = c2.prepareStatement("select ? || 'y'")) {
                    ps.setObject(1, "x");
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        data("unspecified/concat", rs.getString(1));
                    }
                }
            }
            check("unspecified_param", true, "");
        });

        // An error, then the connection still works (autocommit and in a transaction).
        guard("error_recovery", () -> {
            SQLException err = null;
            try (Statement st = c.createStatement()) {
                st.executeQuery("select * from no_such_table");
            } catch (SQLException e) {
                err = e;
            }
            data("error/sqlstate", state(err));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
                rs.next();
                check("error_recovery", rs.getInt(1) == 1, "");
            }
        });
        guard("tx_error_recovery", () -> {
            c.setAutoCommit(false);
            SQLException err = null;
            try (Statement st = c.createStatement()) {
                st.executeQuery("select * from no_such_table");
            } catch (SQLException e) {
                err = e;
            }
            SQLException err2 = null;
            try (Statement st = c.createStatement()) {
                st.executeQuery("select 1");
            } catch (SQLException e) {
                err2 = e;
            }
            data("error/in_tx", state(err) + " then " + state(err2));
            c.rollback();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
                rs.next();
                check("tx_error_recovery", rs.getInt(1) == 1, "");
            }
        });

        // Statement.cancel() from another thread.
        guard("cancel_stops", () -> {
            Statement st = c.createStatement();
            Thread th = new Thread(() -> {
                try {
                    Thread.sleep(500);
                    st.cancel();
                } catch (Exception e) {
                    // the check below reports it
                }
            });
            th.start();
            long start = System.nanoTime();
            SQLException err = null;
            try {
                st.executeQuery("select c from slow");
            } catch (SQLException e) {
                err = e;
            }
            double secs = (System.nanoTime() - start) / 1e9;
            th.join();
            check("cancel_stops", err != null && secs < 1.5, String.format("query cancelled at 0.5s returned after %.2fs: %s", secs, err));
            check("cancel_sqlstate", "57014".equals(state(err)), "sqlstate " + state(err));
            try (ResultSet rs = st.executeQuery("select 1")) {
                rs.next();
                check("cancel_usable", rs.getInt(1) == 1, "");
            }
            st.close();
        });
        c.close();
    }
}
