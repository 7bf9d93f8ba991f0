// node-postgres checks for the clienttest Go package. Connection from the
// libpq environment (PGHOST, PGPORT, ...); CT_TARGET names the server.
// Prints DATA<TAB>key<TAB>value and CHECK<TAB>name<TAB>ok|fail|skip<TAB>detail.
'use strict';
const pg = require('pg');
const Cursor = require('pg-cursor');

const NULL = '<NULL>';
const TP = process.env.CT_TARGET === 'tpserver';

function esc(s) {
  if (s === null || s === undefined) return NULL;
  return String(s).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}
function data(k, v) { process.stdout.write(`DATA\t${esc(k)}\t${esc(v)}\n`); }
function check(name, ok, detail) {
  process.stdout.write(`CHECK\t${name}\t${ok ? 'ok' : 'fail'}\t${esc(detail || '')}\n`);
}
function skip(name, detail) { process.stdout.write(`CHECK\t${name}\tskip\t${esc(detail)}\n`); }
function show(v) {
  if (v === null || v === undefined) return NULL;
  if (Buffer.isBuffer(v)) return 'Buffer:' + v.toString('hex');
  if (v instanceof Date) return 'Date:' + (isNaN(v) ? 'Invalid' : v.toISOString());
  if (typeof v === 'object') return (Array.isArray(v) ? 'array:' : 'object:') + JSON.stringify(v);
  return typeof v + ':' + String(v);
}

async function guard(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, `${e.code || ''} ${e.message}`);
  }
}

async function main() {
  const client = new pg.Client();
  await client.connect();

  await guard('params', async () => {
    const r = await client.query("select $1::bigint + 1 as a, $2::text || 'x' as b, $3::numeric(10,2) as c", [41, "ab'c", '12.5']);
    data('params/basic', JSON.stringify(r.rows[0]));
    check('params', true);
  });

  // Parameters of each type: node-postgres sends every value as text with
  // no type (arrays as '{...}' literals, Buffers as '\\x..', objects as JSON).
  await guard('param_types', async () => {
    const cases = [
      ['any_text', 'select count(*)::int as n from alltypes where s = any($1)', [['text', 'none']]],
      ['any_int', 'select count(*)::int as n from alltypes where i4 = any($1)', [[3, 7]]],
      ['text_array', 'select $1::text[] as v', [['a', null, 'b c', 'q"u\\x', 'NULL', '', '{x}']]],
      ['int_array', 'select $1::int[] as v', [[1, -2, null]]],
      ['nested_array', 'select ($1::int[][])[2][1] as v', [[[1, 2], [3, 4]]]],
      ['bytea', 'select $1::bytea as v', [Buffer.from([0xde, 0xad, 0x00, 0xff])]],
      ['json', 'select $1::json as v', [{ a: 1, b: [true, null] }]],
      ['jsonb', "select $1::jsonb ->> 'a' as v", [{ a: 'x' }]],
      ['bool', 'select $1::boolean as a, $2::boolean as b', [true, 'off']],
      ['date', 'select $1::date as v', ['2024-02-29']],
      ['timestamptz', 'select $1::timestamptz as v', [new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 123))]],
      ['uuid', 'select $1::uuid as v', ['5b6f3a2e-9d5c-4b1e-8f3a-2c1d0e9f8a7b']],
      ['int_spaces', 'select $1::int + 1 as v', ['  12 ']],
    ];
    for (const [name, text, values] of cases) {
      try {
        const r = await client.query(text, values);
        const row = r.rows[0];
        data('param_types/' + name, Object.keys(row).map((k) => k + '=' + show(row[k])).join(' '));
      } catch (e) {
        data('param_types/' + name, 'error ' + e.code);
      }
    }
    check('param_types', true);
  });

  await guard('alltypes', async () => {
    const raw = await client.query({ text: 'select * from alltypes order by id', types: { getTypeParser: () => (v) => v } });
    for (const f of raw.fields) data('meta/' + f.name, `oid=${f.dataTypeID} mod=${f.dataTypeModifier} size=${f.dataTypeSize}`);
    for (const row of raw.rows) {
      for (const f of raw.fields) data(`alltypes/${f.name}/${row.id}`, row[f.name]);
    }
    const nat = await client.query('select * from alltypes order by id');
    for (const row of nat.rows) {
      for (const f of nat.fields) data(`alltypes/${f.name}/${row.id}/native`, show(row[f.name]));
    }
    check('alltypes', true);
  });

  await guard('cursor', async () => {
    const cur = client.query(new Cursor('select i from tenk order by i'));
    let n = 0, sum = 0, reads = 0;
    for (;;) {
      const rows = await cur.read(1000);
      reads++;
      if (rows.length === 0 || reads > 20) break;
      for (const r of rows) { n++; sum += Number(r.i); }
    }
    await cur.close();
    check('cursor', n === 10000 && sum === 49995000, `rows=${n} sum=${sum} reads=${reads}`);
  });

  if (TP) {
    await guard('cloudtrail_cursor', async () => {
      const cur = client.query(new Cursor('select * from aws_cloudtrail_log order by tp_id limit 10000'));
      let n = 0;
      for (;;) {
        const rows = await cur.read(1000);
        if (rows.length === 0) break;
        n += rows.length;
      }
      await cur.close();
      check('cloudtrail_cursor', n === 10000, `rows=${n}`);
    });
  }

  await guard('error_recovery', async () => {
    try {
      await client.query('select * from no_such_table');
      data('error/sqlstate', 'none');
    } catch (e) {
      data('error/sqlstate', e.code);
    }
    const r = await client.query('select 1 as one');
    check('error_recovery', r.rows[0].one === 1);
  });

  await guard('prepared_named', async () => {
    let last;
    for (let i = 0; i < 6; i++) {
      last = await client.query({ name: 'byid', text: 'select s, ai from alltypes where id = $1', values: [i % 2 + 1] });
    }
    data('prepared/named', JSON.stringify(last.rows));
    check('prepared_named', true);
  });

  skip('cancel', 'node-postgres has no cancel API; cancelling needs pg_cancel_backend from a second session, which tpserver does not support');
  await client.end();
}

main().catch((e) => { check('program', false, e.stack); process.exitCode = 1; });
