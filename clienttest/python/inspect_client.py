"""SQLAlchemy Inspector as a user's tool calls it, for TestMetadataAsUsers.

Connection from PGHOST, PGPORT, PGUSER, PGDATABASE through the psycopg2
dialect. Prints DATA<TAB>key<TAB>value lines (tabs, newlines and backslashes
escaped); a call that raises prints DATA<TAB><call>/error<TAB><message>.
The Go test makes the assertions.

With CT_BENCH_REPEAT=N set (BenchmarkIntrospect) it only times get_columns,
each call on a fresh Inspector so its caches do not answer for the server:
one cold call, then N more; it prints the cold time and the median of the N
in milliseconds.
"""
import os
import sys
import time


def esc(s):
    if s is None:
        return "<NULL>"
    return str(s).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def data(k, v):
    print("DATA\t%s\t%s" % (esc(k), esc(v)), flush=True)


def call(name, f):
    start = time.monotonic()
    try:
        return f()
    except Exception as e:  # report and carry on with the other calls
        data(name + "/error", "%s: %s" % (type(e).__name__, " ".join(str(e).split())))
        return None
    finally:
        data(name + "/ms", "%d" % ((time.monotonic() - start) * 1000))


def bench(engine, inspect, n):
    """Print bench/get_columns/{cold_ms,median_ms,rows,repeat}."""
    def once():
        insp = inspect(engine)
        start = time.perf_counter()
        cols = insp.get_columns("aws_cloudtrail_log")
        return (time.perf_counter() - start) * 1000, len(cols)

    try:
        cold, rows = once()
        data("bench/get_columns/cold_ms", "%.3f" % cold)
        times = []
        for _ in range(n):
            ms, rows = once()
            times.append(ms)
    except Exception as e:
        data("bench/error", "%s: %s" % (type(e).__name__, " ".join(str(e).split())))
        return
    times.sort()
    mid = len(times) // 2
    median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    data("bench/get_columns/median_ms", "%.3f" % median)
    data("bench/get_columns/rows", rows)
    data("bench/get_columns/repeat", n)


def main():
    try:
        import sqlalchemy
        from sqlalchemy import create_engine, inspect, text
    except ImportError as e:
        data("import/error", str(e))
        return 0
    data("sqlalchemy", sqlalchemy.__version__)
    url = "postgresql+psycopg2://%s@%s:%s/%s?sslmode=disable" % (
        os.environ["PGUSER"], os.environ["PGHOST"], os.environ["PGPORT"], os.environ["PGDATABASE"])
    engine = create_engine(url)

    def connect():
        with engine.connect() as conn:
            data("connect/select1", conn.execute(text("select 1")).scalar())
        # The dialect parsed version() on connect.
        data("connect/server_version_info", ".".join(str(p) for p in engine.dialect.server_version_info))
        return True

    if not call("connect", connect):
        return 0
    repeat = os.environ.get("CT_BENCH_REPEAT")
    if repeat:
        bench(engine, inspect, max(1, int(repeat)))
        engine.dispose()
        return 0

    insp = call("inspect", lambda: inspect(engine))
    if insp is None:
        return 0
    t = "aws_cloudtrail_log"
    schemas = call("get_schema_names", insp.get_schema_names)
    if schemas is not None:
        data("get_schema_names", ",".join(schemas))
    tables = call("get_table_names", insp.get_table_names)
    if tables is not None:
        data("get_table_names", ",".join(tables))
    views = call("get_view_names", insp.get_view_names)
    if views is not None:
        data("get_view_names", ",".join(views))
    cols = call("get_columns", lambda: insp.get_columns(t))
    if cols is not None:
        data("get_columns/count", len(cols))
        for i, c in enumerate(cols):
            ty = c["type"]
            name = type(ty).__name__
            if name == "ARRAY":
                name += "(" + type(ty.item_type).__name__ + ")"
            data("get_columns/%d" % i, "%s|%s|%s|%s" % (c["name"], name, c["nullable"], c.get("comment")))
    pk = call("get_pk_constraint", lambda: insp.get_pk_constraint(t))
    if pk is not None:
        data("get_pk_constraint", ",".join(pk.get("constrained_columns") or []))
    idx = call("get_indexes", lambda: insp.get_indexes(t))
    if idx is not None:
        data("get_indexes/count", len(idx))
    fks = call("get_foreign_keys", lambda: insp.get_foreign_keys(t))
    if fks is not None:
        data("get_foreign_keys/count", len(fks))
    uqs = call("get_unique_constraints", lambda: insp.get_unique_constraints(t))
    if uqs is not None:
        data("get_unique_constraints/count", len(uqs))
    cm = call("get_table_comment", lambda: insp.get_table_comment(t))
    if cm is not None:
        data("get_table_comment", cm.get("text"))
    # A user's tables with keys and an index (md_keys, md_keys_child).
    pk = call("keys/get_pk_constraint", lambda: insp.get_pk_constraint("md_keys"))
    if pk is not None:
        data("keys/get_pk_constraint", "%s|%s" % (pk.get("name"), ",".join(pk.get("constrained_columns") or [])))
    idx = call("keys/get_indexes", lambda: insp.get_indexes("md_keys"))
    if idx is not None:
        data("keys/get_indexes", ";".join(sorted("%s|%s|%s" % (i["name"], i["unique"], ",".join(i["column_names"])) for i in idx)))
    uqs = call("keys/get_unique_constraints", lambda: insp.get_unique_constraints("md_keys"))
    if uqs is not None:
        data("keys/get_unique_constraints", ";".join(sorted("%s|%s" % (u["name"], ",".join(u["column_names"])) for u in uqs)))
    fks = call("keys/get_foreign_keys", lambda: insp.get_foreign_keys("md_keys_child"))
    if fks is not None:
        data("keys/get_foreign_keys", ";".join(sorted("%s|%s|%s|%s" % (
            f["name"], ",".join(f["constrained_columns"]), f["referred_table"], ",".join(f["referred_columns"])) for f in fks)))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
