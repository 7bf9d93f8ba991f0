-- The emulation's schemas ($pg, $is) and the tables of PostgreSQL 15's
-- built-in catalog data: types, functions, operators, keywords, settings
-- and system relations, whose rows install.go renders from data.go.
CREATE SCHEMA IF NOT EXISTS $pg;
CREATE SCHEMA IF NOT EXISTS $is;
CREATE OR REPLACE TABLE $pg.tp_builtin_types (oid BIGINT, typname VARCHAR, typnamespace BIGINT, typowner BIGINT, typlen SMALLINT, typbyval BOOLEAN,
typtype VARCHAR, typcategory VARCHAR, typispreferred BOOLEAN, typisdefined BOOLEAN, typdelim VARCHAR, typrelid BIGINT,
typsubscript BIGINT, typelem BIGINT, typarray BIGINT, typinput BIGINT, typoutput BIGINT, typreceive BIGINT, typsend BIGINT,
typmodin BIGINT, typmodout BIGINT, typanalyze BIGINT, typalign VARCHAR, typstorage VARCHAR, typnotnull BOOLEAN,
typbasetype BIGINT, typtypmod INTEGER, typndims INTEGER, typcollation BIGINT, typdefaultbin VARCHAR, typdefault VARCHAR,
typacl VARCHAR[]);
{{insert "$pg.tp_builtin_types" .Types}}
CREATE OR REPLACE TABLE $pg.pg_proc (oid BIGINT, proname VARCHAR, pronamespace BIGINT, proowner BIGINT, prolang BIGINT, procost FLOAT,
prorows FLOAT, provariadic BIGINT, prosupport BIGINT, prokind VARCHAR, prosecdef BOOLEAN, proleakproof BOOLEAN,
proisstrict BOOLEAN, proretset BOOLEAN, provolatile VARCHAR, proparallel VARCHAR, pronargs SMALLINT, pronargdefaults SMALLINT,
prorettype BIGINT, proargtypes BIGINT[], proallargtypes BIGINT[], proargmodes VARCHAR[], proargnames VARCHAR[],
proargdefaults VARCHAR, protrftypes BIGINT[], prosrc VARCHAR, probin VARCHAR, prosqlbody VARCHAR, proconfig VARCHAR[],
proacl VARCHAR[]);
{{insert "$pg.pg_proc" .Procs}}
CREATE OR REPLACE TABLE $pg.tp_proc_text (oid BIGINT, result VARCHAR, arguments VARCHAR);
{{insert "$pg.tp_proc_text" .ProcTexts}}
CREATE OR REPLACE TABLE $pg.pg_operator (oid BIGINT, oprname VARCHAR, oprnamespace BIGINT, oprowner BIGINT, oprkind VARCHAR,
oprcanmerge BOOLEAN, oprcanhash BOOLEAN, oprleft BIGINT, oprright BIGINT, oprresult BIGINT, oprcom BIGINT,
oprnegate BIGINT, oprcode BIGINT, oprrest BIGINT, oprjoin BIGINT);
{{insert "$pg.pg_operator" .Operators}}
CREATE OR REPLACE TABLE $pg.tp_keywords (word VARCHAR, catcode VARCHAR, barelabel BOOLEAN, catdesc VARCHAR, baredesc VARCHAR);
{{insert "$pg.tp_keywords" .Keywords}}
CREATE OR REPLACE TABLE $pg.pg_settings_static (name VARCHAR, setting VARCHAR, unit VARCHAR, category VARCHAR, short_desc VARCHAR,
extra_desc VARCHAR, context VARCHAR, vartype VARCHAR, source VARCHAR, min_val VARCHAR, max_val VARCHAR, enumvals VARCHAR[],
boot_val VARCHAR, reset_val VARCHAR, sourcefile VARCHAR, sourceline INTEGER, pending_restart BOOLEAN);
{{insert "$pg.pg_settings_static" .Settings}}
CREATE OR REPLACE TABLE $pg.tp_system_relations (oid BIGINT, nspname VARCHAR, relname VARCHAR, relkind VARCHAR);
{{insert "$pg.tp_system_relations" .SystemRelations}}
-- The lake tables' row counts and sizes, from their manifests (the catalog
-- package keeps them current as it defines the lake views).
CREATE OR REPLACE TABLE $pg.tp_lake_stats (relname VARCHAR, n_rows BIGINT, bytes BIGINT);

