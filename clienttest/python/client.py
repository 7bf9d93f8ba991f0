"""psycopg2 checks for the clienttest Go package.

Run with Debian's /usr/bin/python3 (python3-psycopg2). Connection from the
libpq environment (PGHOST, PGPORT, ...); CT_TARGET names the server.
Prints DATA<TAB>key<TAB>value and CHECK<TAB>name<TAB>ok|fail|skip<TAB>detail.
"""
import io
import os
import threading
import time
import traceback

import psycopg2
import psycopg2.extensions

NULL = "<NULL>"
TP = os.environ.get("CT_TARGET") == "tpserver"


def esc(s):
    if s is None:
        return NULL
    return str(s).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def data(k, v):
    print("DATA\t%s\t%s" % (esc(k), esc(v)), flush=True)


def check(name, ok, detail=""):
    print("CHECK\t%s\t%s\t%s" % (name, "ok" if ok else "fail", esc(detail)), flush=True)


def guard(name):
    def wrap(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every failure is a result
            check(name, False, "%s: %s" % (type(e).__name__, traceback.format_exc(limit=2)))
            try:
                conn.rollback()
            except Exception:  # noqa: BLE001
                pass
        return fn
    return wrap


conn = psycopg2.connect("")


@guard("params")
def _params():
    cur = conn.cursor()
    cur.execute("select %s::bigint + 1, %s::text || 'x', %s::numeric(10,2), %s", (41, "ab'c", "12.5", None))
    data("params/basic", repr(cur.fetchone()))
    conn.rollback()
    check("params", True)


@guard("param_types")
def _param_types():
    import datetime
    import decimal
    import uuid
    from psycopg2.extras import Json
    # psycopg2 interpolates on the client: every value arrives as a literal
    # ('\\x..'::bytea, ARRAY['a','b'], '...'::date, 't'/'f', ...).
    cases = [
        ("any_text", "select count(*) from alltypes where s = any(%s)", (["text", "none"],)),
        ("in_tuple", "select count(*) from alltypes where i4 in %s", ((3, 7),)),
        ("any_int", "select count(*) from alltypes where i4 = any(%s)", ([3, 7],)),
        ("text_array", "select %s::text[]", (["a", None, "b c", 'q"u\\x', "NULL", "", "{x}"],)),
        ("int_array", "select %s", ([1, -2, None],)),
        ("nested_array", "select (%s)[2][1]", ([[1, 2], [3, 4]],)),
        ("bytea", "select %s::bytea, %s", (psycopg2.Binary(b"\xde\xad\x00\xff"), psycopg2.Binary(b"a\\b'"))),
        ("bool", "select %s, %s", (True, False)),
        ("date", "select %s", (datetime.date(2024, 2, 29),)),
        ("timestamp", "select %s", (datetime.datetime(2024, 1, 2, 3, 4, 5, 123456),)),
        ("timestamptz", "select %s", (datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),)),
        ("interval", "select %s", (datetime.timedelta(days=1, seconds=5400),)),
        ("numeric", "select %s", (decimal.Decimal("12.345"),)),
        ("uuid", "select %s::uuid", (str(uuid.UUID("5b6f3a2e-9d5c-4b1e-8f3a-2c1d0e9f8a7b")),)),
        ("json", "select %s::json", (Json({"a": 1, "b": [True, None]}),)),
        ("bool_literal", "select 'yes'::boolean, 'off'::bool", ()),
        ("bytea_literal", "select '\\xdead00ff'::bytea, 'abc\\000'::bytea", ()),
        ("array_literal", "select '{{1,2},{3,4}}'::int[]", ()),
        ("int_literal", "select '  12 '::int", ()),
    ]
    for name, sql, args in cases:
        cur = conn.cursor()
        try:
            cur.execute(sql, args)
            row = cur.fetchone()
            row = tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            data("param_types/" + name, repr(row))
        except psycopg2.Error as e:
            data("param_types/" + name, "error " + str(e.pgcode))
        conn.rollback()
    check("param_types", True)


@guard("alltypes")
def _alltypes():
    # Raw wire text: a cursor whose values are not converted.
    raw = conn.cursor()
    raw.execute("select * from alltypes order by id")
    oids = set(d.type_code for d in raw.description)
    rawtype = psycopg2.extensions.new_type(tuple(oids), "RAWTEXT", lambda v, c: v)
    psycopg2.extensions.register_type(rawtype, raw)
    raw.execute("select * from alltypes order by id")
    names = [d.name for d in raw.description]
    for d in raw.description:
        data("meta/" + d.name, "type_code=%s" % d.type_code)
    for row in raw.fetchall():
        for n, v in zip(names, row):
            data("alltypes/%s/%s" % (n, row[0]), v)
    conn.rollback()
    check("alltypes", True)


@guard("alltypes_native")
def _alltypes_native():
    cur = conn.cursor()
    cur.execute("select * from alltypes order by id")
    names = [d.name for d in cur.description]
    while True:
        row = cur.fetchone()  # converts one row at a time: a bad row fails alone
        if row is None:
            break
        for n, v in zip(names, row):
            if isinstance(v, memoryview):
                v = bytes(v)
            data("alltypes/%s/%s/native" % (n, row[0]), "%s:%r" % (type(v).__name__, v))
    conn.rollback()
    check("alltypes_native", True)


@guard("named_cursor")
def _named_cursor():
    with conn:
        c = conn.cursor(name="c")
        c.itersize = 1000
        c.execute("select i from tenk order by i")
        n = total = 0
        for (i,) in c:
            n += 1
            total += i
        c.close()
    check("named_cursor", n == 10000 and total == 49995000, "rows=%d sum=%d" % (n, total))


@guard("copy_csv")
def _copy():
    f = io.StringIO()
    cur = conn.cursor()
    cur.copy_expert("COPY (select id, s, blob, ai, av, j, st from alltypes order by id) TO STDOUT WITH CSV HEADER", f)
    conn.rollback()
    data("copy/csv", f.getvalue())
    check("copy_csv", len(f.getvalue()) > 0, "%d bytes" % len(f.getvalue()))


@guard("tenk_plain")
def _tenk():
    cur = conn.cursor()
    cur.execute("select i from tenk order by i")
    rows = cur.fetchall()
    conn.rollback()
    check("tenk_plain", len(rows) == 10000 and rows[-1][0] == 9999, "rows=%d" % len(rows))
    if TP:
        cur.execute("select * from aws_cloudtrail_log order by tp_id limit 50")
        rows = cur.fetchall()
        conn.rollback()
        check("cloudtrail50", len(rows) == 50, "rows=%d" % len(rows))


@guard("error_recovery")
def _error():
    cur = conn.cursor()
    try:
        cur.execute("select * from no_such_table")
        data("error/sqlstate", "none")
    except psycopg2.Error as e:
        data("error/sqlstate", e.pgcode)
    try:
        cur.execute("select 1")
        data("error/in_tx", "none")
    except psycopg2.Error as e:
        data("error/in_tx", e.pgcode)
    conn.rollback()
    cur.execute("select 1")
    check("error_recovery", cur.fetchone()[0] == 1)
    conn.rollback()


@guard("cancel_stops")
def _cancel():
    conn.autocommit = True
    cur = conn.cursor()
    t = threading.Timer(0.5, conn.cancel)
    t.start()
    start = time.monotonic()
    err = None
    try:
        cur.execute("select c from slow")
    except psycopg2.Error as e:
        err = e
    elapsed = time.monotonic() - start
    t.join()
    check("cancel_stops", err is not None and elapsed < 1.5,
          "query cancelled at 0.5s returned after %.2fs: %s" % (elapsed, err))
    check("cancel_sqlstate", err is not None and err.pgcode == "57014",
          "sqlstate %s" % (err.pgcode if err is not None else None))
    cur.execute("select 1")
    check("cancel_usable", cur.fetchone()[0] == 1)
    conn.autocommit = False


conn.close()
