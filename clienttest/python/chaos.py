"""psycopg2 sessions that end badly, for the clienttest chaos test.

Usage: chaos.py EXIT SCENARIO...  (connection from the libpq environment)

Each scenario opens its own connection and leaves it in some state; the
program then ends with every connection still open: EXIT "halt" ends the
process at once (os._exit: sockets closed, no Terminate), "exit" returns
normally and lets the interpreter tear down. A scenario that cannot set up
its state prints FAIL<TAB>scenario<TAB>reason; otherwise OK<TAB>scenario.
"""
import os
import sys
import threading
import time

import psycopg2

kept = []  # connections stay referenced until the process ends


def connect(autocommit=False):
    conn = psycopg2.connect("")
    conn.autocommit = autocommit
    kept.append(conn)
    return conn


def no_commit():
    # The README's example without commit(): psycopg2 opened a transaction.
    cur = connect().cursor()
    cur.execute("select count(*) from tenk")
    assert cur.fetchone()[0] == 10000


def error_in_tx():
    cur = connect().cursor()
    try:
        cur.execute("select * from chaos_no_such_table")
    except psycopg2.errors.UndefinedTable:
        return
    raise AssertionError("query of a missing table succeeded")


def named_cursor():
    conn = connect()
    cur = conn.cursor(name="chaos_py_cursor")
    cur.execute("select i from tenk")
    assert len(cur.fetchmany(5)) == 5


def temp_and_settings():
    cur = connect(autocommit=True).cursor()
    cur.execute("create temp table chaos_tmp_py as select 1 as a")
    cur.execute("set statement_timeout = '7s'")
    cur.execute("set search_path = pg_catalog")


def running_query():
    conn = connect(autocommit=True)

    def run():
        try:
            conn.cursor().execute("select * from slow")
        except Exception:  # noqa: BLE001 - the process ends under it
            pass

    threading.Thread(target=run, daemon=True).start()
    time.sleep(0.1)


SCENARIOS = {
    "py_no_commit": no_commit,
    "py_error_in_tx": error_in_tx,
    "py_named_cursor": named_cursor,
    "py_temp_and_settings": temp_and_settings,
    "py_running_query": running_query,
}


def main():
    mode, names = sys.argv[1], sys.argv[2:]
    for name in names:
        try:
            SCENARIOS[name]()
            print("OK\t%s" % name, flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported
            print("FAIL\t%s\t%s: %s" % (name, type(e).__name__, str(e).replace("\n", " ")), flush=True)
    if mode == "halt":
        os._exit(0)


if __name__ == "__main__":
    main()
