"""psycopg2 half of the clienttest differential test.

Reads {"setup": [sql...], "stmts": [{"id", "sql" with %s placeholders,
"params": [{"type", "value"} or null]}]} from the file named by argv[1],
runs the setup and then each statement on one autocommit connection (libpq environment) and prints one JSON
object per statement: id, cols, oids, rows (raw wire text, null for NULL)
or sqlstate and error.
"""
import datetime
import decimal
import json
import sys

import psycopg2
import psycopg2.extensions
import psycopg2.extras

# Every result value arrives as the server's text, unconverted.
RAW = psycopg2.extensions.new_type(tuple(range(1, 20000)), "RAW", lambda v, c: v)
psycopg2.extensions.register_type(RAW)


def parse_array(text, elem):
    inner = text.strip()[1:-1]
    if inner == "":
        return []
    return [None if x == "NULL" else elem(x.strip('"')) for x in inner.split(",")]


def py_value(p):
    if p is None:
        return None
    t, v = p["type"], p["value"]
    if t in ("int2", "int4", "int8"):
        return int(v)
    if t == "numeric":
        return decimal.Decimal(v)
    if t in ("float4", "float8"):
        return float(v)
    if t == "bool":
        return v in ("t", "true", "yes", "on", "1")
    if t == "date":
        return datetime.date.fromisoformat(v)
    if t == "timestamp":
        return datetime.datetime.fromisoformat(v)
    if t == "timestamptz":
        return datetime.datetime.fromisoformat(v)
    if t == "interval":
        return datetime.timedelta(seconds=float(v))
    if t == "bytea":
        return psycopg2.Binary(bytes.fromhex(v[2:] if v.startswith("\\x") else v))
    if t in ("json", "jsonb"):
        return psycopg2.extras.Json(json.loads(v))
    if t in ("int4[]", "int8[]"):
        return parse_array(v, int)
    if t == "text[]":
        return parse_array(v, str)
    return v


def main():
    with open(sys.argv[1]) as f:
        todo = json.load(f)
    conn = psycopg2.connect("")
    conn.autocommit = True
    cur = conn.cursor()
    for q in todo["setup"]:
        cur.execute(q)
    for s in todo["stmts"]:
        out = {"id": s["id"]}
        try:
            cur.execute(s["sql"], tuple(py_value(p) for p in s["params"]))
            out["cols"] = [d.name for d in cur.description]
            out["oids"] = [d.type_code for d in cur.description]
            out["rows"] = [list(r) for r in cur.fetchall()]
        except psycopg2.Error as e:
            out["sqlstate"] = e.pgcode or "none"
            out["error"] = str(e).strip()
        except Exception as e:  # noqa: BLE001 - a client-side failure is an answer too
            out["sqlstate"] = "client"
            out["error"] = "%s: %s" % (type(e).__name__, e)
        print(json.dumps(out), flush=True)
    conn.close()


main()
