// pgjdbc sessions that end badly, for the clienttest chaos test.
// Usage: java Chaos EXIT SCENARIO...   (connection from PGHOST, PGPORT, PGUSER,
// PGDATABASE). Each scenario opens its own connection and leaves it in some
// state; then the JVM ends with every connection open: EXIT "halt" stops it at
// once (Runtime.halt), "exit" runs System.exit (no driver closes anything).
// Prints OK<TAB>scenario, or FAIL<TAB>scenario<TAB>reason when a scenario
// could not set up its state.
import java.sql.*;
import java.util.*;

public class Chaos {
    static final List<Connection> kept = new ArrayList<>();

    static Connection connect(String extra) throws SQLException {
        String url = "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/"
                + System.getenv("PGDATABASE") + "?user=" + System.getenv("PGUSER")
                + "&sslmode=disable&connectTimeout=10&assumeMinServerVersion=9.4" + extra;
        Connection c = DriverManager.getConnection(url);
        kept.add(c);
        return c;
    }

    static void run(String name) throws Exception {
        switch (name) {
            case "jdbc_autocommit_off": {
                Connection c = connect("");
                c.setAutoCommit(false);
                ResultSet rs = c.createStatement().executeQuery("select count(*) from tenk");
                rs.next();
                if (rs.getLong(1) != 10000) throw new Exception("count " + rs.getLong(1));
                return;
            }
            case "jdbc_fetchsize_portal": {
                Connection c = connect("");
                c.setAutoCommit(false);
                Statement st = c.createStatement();
                st.setFetchSize(10);
                ResultSet rs = st.executeQuery("select i from tenk");
                if (!rs.next()) throw new Exception("no row");
                return;
            }
            case "jdbc_server_prepared": {
                Connection c = connect("&prepareThreshold=1");
                PreparedStatement ps = c.prepareStatement("select i from tenk where i = ?");
                for (int i = 0; i < 3; i++) {
                    ps.setLong(1, i);
                    ResultSet rs = ps.executeQuery();
                    if (!rs.next() || rs.getLong(1) != i) throw new Exception("row " + i);
                }
                return;
            }
            case "jdbc_temp_and_settings": {
                Connection c = connect("");
                Statement st = c.createStatement();
                st.execute("create temp table chaos_tmp_jdbc as select 1 as a");
                st.execute("set statement_timeout = '9s'");
                st.execute("set application_name = 'chaos'");
                return;
            }
            case "jdbc_error_in_tx": {
                Connection c = connect("");
                c.setAutoCommit(false);
                try {
                    c.createStatement().executeQuery("select * from chaos_no_such_table");
                } catch (SQLException e) {
                    if ("42P01".equals(e.getSQLState())) return;
                    throw e;
                }
                throw new Exception("query of a missing table succeeded");
            }
            case "jdbc_running_query": {
                Connection c = connect("");
                Thread t = new Thread(() -> {
                    try {
                        c.createStatement().executeQuery("select * from slow");
                    } catch (SQLException e) {
                        // the JVM ends under it
                    }
                });
                t.setDaemon(true);
                t.start();
                Thread.sleep(100);
                return;
            }
        }
        throw new Exception("unknown scenario " + name);
    }

    public static void main(String[] args) {
        for (int i = 1; i < args.length; i++) {
            try {
                run(args[i]);
                System.out.println("OK\t" + args[i]);
            } catch (Exception e) {
                System.out.println("FAIL\t" + args[i] + "\t" + e.toString().replace("\n", " "));
            }
        }
        System.out.flush();
        if (args[0].equals("halt")) Runtime.getRuntime().halt(0);
        System.exit(0);
    }
}
