package catalog

// jsonMoreCases are more jsonCases: corner cases of each operator and
// function, and report-style queries over ct.
var jsonMoreCases = []string{
	`SELECT jsonb_agg(DISTINCT x) FROM (VALUES (2), (2)) t(x)`,
	`SELECT jsonb_agg(DISTINCT x ORDER BY x), json_agg(DISTINCT x ORDER BY x DESC) FILTER (WHERE x IS NOT NULL) FROM (VALUES (10), (9), (10), (NULL)) t(x)`,
	`SELECT event_name, json_agg(DISTINCT request_parameters ->> 'bucketName' ORDER BY request_parameters ->> 'bucketName') FROM ct GROUP BY 1 ORDER BY 1`,
	`SELECT id, request_parameters ->> 'big', request_parameters::jsonb ->> 'n', request_parameters::jsonb -> 'b' FROM ct ORDER BY id`,
	`SELECT id, request_parameters ->> 'n', request_parameters -> 'n', request_parameters #>> '{n}', '{"x":{"y":1e2}}'::json #> '{x,y}' FROM ct ORDER BY id`,
	`SELECT '{"a":{"b":{"c":1}}}'::json -> 'a' -> 'b' -> 'c', '{"a":[1,2]}'::json #> '{a}', '{"a":[1,2]}'::json #>> '{a,1}'`,
	`SELECT '[1,2,3]'::json -> 1, '[1,2,3]'::jsonb -> -1, '[1,2,3]'::jsonb -> 5, '{"a":1}'::jsonb -> 0, '[1]'::jsonb -> 'a'`,
	`SELECT '{"a":null}'::jsonb -> 'a', '{"a":null}'::jsonb ->> 'a', '{"a":null}'::json -> 'a', '{"a":null}'::json ->> 'a'`,
	`SELECT '"x"'::jsonb, 'true'::jsonb, 'null'::jsonb, '123.4500'::jsonb, '  [ ]  '::jsonb`,
	`SELECT '{"a":1}'::jsonb ? 'b', '{"a":1}'::jsonb ?| '{}'::text[], '{"a":1}'::jsonb ?& '{}'::text[]`,
	`SELECT jsonb_typeof('{}'), jsonb_typeof('[]'), jsonb_typeof('1.5'), jsonb_typeof('"s"'), jsonb_typeof('true'), jsonb_typeof('null'), json_typeof('-1')`,
	`SELECT json_array_length('[1,[2,3],{}]'), jsonb_array_length('[]')`,
	`SELECT jsonb_build_object('a', NULL, 'b', ARRAY[1,2]), json_build_array(ARRAY['x','y'], 1.5, 'q"uote')`,
	`SELECT json_agg(x) FROM (VALUES (NULL::int), (1)) t(x)`,
	`SELECT json_agg(x) FROM (SELECT 1 AS x WHERE false) t`,
	`SELECT id, json_agg(event_name) OVER (ORDER BY id) FROM ct ORDER BY id`,
	`SELECT jsonb_object_agg(k, v) FROM (VALUES ('b', '{"x":1}'::jsonb), ('a', '[1]'::jsonb)) t(k, v)`,
	`SELECT '{"a":1}'::jsonb || '[2]'::jsonb, '1'::jsonb || '2'::jsonb, '{"a":{"b":1}}'::jsonb || '{"a":{"c":2}}'`,
	`SELECT '["a","b","a"]'::jsonb - 'a', '{"a":1}'::jsonb - 'x', '[1,2]'::jsonb - 5`,
	`SELECT jsonb_set('[1,2,3]', '{-1}', '9'), jsonb_set('[1,2,3]', '{5}', '9'), jsonb_set('[1,2,3]', '{-9}', '0')`,
	`SELECT jsonb_strip_nulls('[null,1]'), jsonb_pretty('"x"'), jsonb_pretty('[1,[2]]')`,
	`SELECT jsonb_path_query_first('{"a":[1,2,3]}', '$.a[last]'), jsonb_path_exists('{"a":[1,2]}', '$.a[*] ? (@ > 5)'), jsonb_path_match('{"a":[1,2]}', 'exists($.a[*] ? (@ == 2))')`,
	`SELECT jsonb_path_query('{"a":{"b":[{"c":"x"},{"c":"y"}]}}', '$.a.b[*].c')`,
	`SELECT jsonb_path_query('[{"s":"running"},{"s":"stopped"}]', '$[*] ? (@.s != "running")')`,
	`SELECT jsonb_path_query_first('{"a":"x"}', '$.a.type()'), jsonb_path_query_first('{"a":[1,2]}', '$.a.size()')`,
	`SELECT count(*) FROM ct WHERE request_parameters::jsonb ? 'bucketName'`,
	`SELECT id, request_parameters::jsonb -> 'tags' = '{"team":"sec","env":"prod"}' FROM ct ORDER BY id`,
	`SELECT id, resources::jsonb -> 0 ->> 'ARN' AS arn FROM ct WHERE resources::jsonb -> 0 ->> 'ARN' LIKE 'arn:aws:s3%' ORDER BY id`,
	`SELECT e.key, count(*) FROM ct, jsonb_each(request_parameters::jsonb) e GROUP BY e.key ORDER BY 2 DESC, 1 LIMIT 3`,
	`SELECT json_array_elements(resources) ->> 'type' t FROM ct WHERE id = 1`,
	`SELECT id, jsonb_array_length(resources::jsonb) FROM ct WHERE jsonb_array_length(resources::jsonb) > 0 ORDER BY id`,
	`SELECT r.*, ct.id FROM ct, jsonb_array_elements(resources::jsonb) r WHERE ct.id = 4`,
	`SELECT * FROM jsonb_each('{"b":{"y":1,"x":2},"a":[1]}')`,
	`SELECT * FROM jsonb_each_text('{"b":{"y":1,"x":2},"a":"s","c":null}')`,
	`SELECT * FROM json_each('{"b":{"y":1},"a":[1]}') ORDER BY 1`,
	`SELECT k, v FROM json_each('{"a":1}') AS e(k, v)`,
	`SELECT * FROM jsonb_object_keys('{"b":1,"a":2}')`,
	`SELECT jsonb_extract_path('{"a":[{"b":1}]}', 'a', '0', 'b'), json_extract_path_text('{"a":{"b":"x"}}', VARIADIC ARRAY['a','b'])`,
	`SELECT '{"a":1}'::jsonb::text, '{"a": 1}'::json::text, ('{"a":"5"}'::jsonb ->> 'a')::int * 2`,
	`SELECT (request_parameters -> 'ids' ->> 0)::int FROM ct WHERE id = 1`,
	`SELECT 'x' || '{"a":1}'::jsonb::text, '{"a":1}'::json ->> 'a' || 'b'`,
	`SELECT json_object('{}'::text[]), jsonb_object('{a,b,c,d}')`,
	`SELECT row_to_json(r) FROM (SELECT 1 AS a, 'x' AS b, NULL::int AS c, true AS d) r`,
	`SELECT to_jsonb(r) FROM (SELECT 2 AS b, 1 AS a) r`,
	`SELECT json_agg(r) FROM (SELECT id, event_name FROM ct WHERE id < 3 ORDER BY id) r`,
}

// jsonSelectListEach are json_each's family in a select list.
var jsonSelectListEach = []string{
	`SELECT (jsonb_each('{"b":{"y":1,"x":2},"a":1.50}')).key, (jsonb_each('{"b":{"y":1,"x":2},"a":1.50}')).value`,
	`SELECT (json_each_text('{"a":"x","b":[1]}')).value`,
}

// jsonInsertCases are jsonb_insert and jsonb_path_query_array.
var jsonInsertCases = []string{
	`SELECT jsonb_insert('[1,3]', '{1}', '2'), jsonb_insert('[1,3]', '{1}', '2', true), jsonb_insert('{"a":[1]}', '{a,-1}', '9'), jsonb_insert('{"a":1}', '{b}', '2'), jsonb_insert('[1]', '{9}', '2')`,
	`SELECT jsonb_path_query_array('{"a":[1,2,3]}', '$.a[*] ? (@ > 1)'), jsonb_path_query_array('{}', '$.x')`,
}

// jsonErrorCases fail on PostgreSQL and must fail here too.
var jsonErrorCases = []string{
	`SELECT json_array_length('{"a":1}')`,
	`SELECT jsonb_array_length('1')`,
	`SELECT jsonb_array_elements('{"a":1}')`,
	`SELECT * FROM json_array_elements_text('"x"')`,
	`SELECT jsonb_insert('{"a":1}', '{a}', '2')`,
	`SELECT '{"a":1}'::jsonb - 1`,
	`SELECT '{"a":'::jsonb`,
	`SELECT jsonb_path_query_first('{"a":1}', 'strict $.b')`,
	`SELECT '{"a":1}'::json -> 'a' = '1'`,
	`SELECT '{"a":1}'::json = '{"a":1}'::json`,
}

// jsonGroupedCases group by a json set-returning function's rows.
var jsonGroupedCases = []string{
	`SELECT jsonb_object_keys(request_parameters::jsonb) k, count(*) FROM ct GROUP BY k ORDER BY k`,
	`SELECT json_array_elements(resources) ->> 'type' AS t, count(*) FROM ct GROUP BY 1 ORDER BY 2 DESC, 1`,
	`SELECT ct.event_name, jsonb_array_elements_text(request_parameters::jsonb -> 'ids') AS i, count(*) FROM ct GROUP BY 1, 2 HAVING count(*) > 0 ORDER BY 1, 2`,
}

// jsonRecordCases are json_to_record's family with column definitions.
var jsonRecordCases = []string{
	`SELECT ct.id, r.* FROM ct, json_to_record(ct.request_parameters) AS r("bucketName" text, tags json, ids text, "userName" varchar) ORDER BY 1`,
	`SELECT ct.id, r."ARN", r.type FROM ct, jsonb_to_recordset(ct.resources::jsonb) AS r("ARN" text, type text, "accountId" bigint) ORDER BY 1, 2`,
	`SELECT * FROM json_to_recordset('[{"a":1,"b":"x"},{"a":2}]') AS x(a int, b text)`,
	`SELECT * FROM json_populate_record(NULL::record, '{"a":1,"b":"x"}') AS r(a int, b text)`,
	`SELECT r."instanceId", r.a FROM ct, jsonb_populate_recordset(NULL::record, ct.request_parameters::jsonb -> 'instancesSet' -> 'items') AS r(a text, "instanceId" text) ORDER BY 1`,
}

// jsonSubscriptCases are jsonb subscripts.
var jsonSubscriptCases = []string{
	`SELECT '[1.50, {"a":[2.50]}]'::json -> 0, '[1.50, {"a":[2.50]}]'::json -> 1 -> 'a' ->> -1, '[1,2]'::json -> 5, '{"a":1}'::json -> 0`,
	`SELECT pg_typeof('{"a":1}'::jsonb -> 'a')::text, pg_typeof(jsonb_build_array())::text`,
	`SELECT row_to_json(t), json_agg(t) OVER () FROM (SELECT 1 AS id, TIMESTAMP '2024-05-06 07:08:09.5' AS event_time, TIMESTAMPTZ '2024-05-06 07:08:09' AS tz, 'x y' AS s) t`,
	`SELECT json_strip_nulls('{"a":null,"b": 1.50, "c":[null, {"d":null}]}'), jsonb_path_query_array('{"a":["x","y"]}', '$.a ? (@ == "x")'), jsonb_path_exists('{"ids":[3,1,2]}', '$.ids[*] ? (@ > 2)'), jsonb_path_query_first('{"a":[{"b":"x","c":1},{"b":"y","c":2}]}', '$.a[*] ? (@.b == "y" || @.c < 1).c')`,
	`SELECT ('{"a":{"b":[1,2]}}'::jsonb)['a']['b'][1], ('{"a":1}'::jsonb)['x'], ('[1,2]'::jsonb)[-1], (request_parameters::jsonb)['tags']['env'] FROM ct ORDER BY id`,
}
