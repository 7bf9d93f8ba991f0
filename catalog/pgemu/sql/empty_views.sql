-- The catalogs tpserver has no rows for, with PostgreSQL 15's columns, each
-- given with its PostgreSQL type (emptyView maps it with DuckType).
{{emptyView "$pg.pg_inherits" `inhrelid oid, inhparent oid, inhseqno integer, inhdetachpending boolean`}}
{{emptyView "$pg.pg_rewrite" `oid oid, rulename name, ev_class oid, ev_type "char", ev_enabled "char", is_instead boolean, ev_qual pg_node_tree, ev_action pg_node_tree`}}
{{emptyView "$pg.pg_policy" `oid oid, polname name, polrelid oid, polcmd "char", polpermissive boolean, polroles oid[], polqual pg_node_tree, polwithcheck pg_node_tree`}}
{{emptyView "$pg.pg_trigger" `oid oid, tgrelid oid, tgparentid oid, tgname name, tgfoid oid, tgtype smallint, tgenabled "char", tgisinternal boolean, tgconstrrelid oid, tgconstrindid oid, tgconstraint oid, tgdeferrable boolean, tginitdeferred boolean, tgnargs smallint, tgattr int2vector, tgargs bytea, tgqual pg_node_tree, tgoldtable name, tgnewtable name`}}
{{emptyView "$pg.pg_statistic_ext" `oid oid, stxrelid oid, stxname name, stxnamespace oid, stxowner oid, stxstattarget integer, stxkeys int2vector, stxkind "char"[], stxexprs pg_node_tree`}}
{{emptyView "$pg.pg_publication" `oid oid, pubname name, pubowner oid, puballtables boolean, pubinsert boolean, pubupdate boolean, pubdelete boolean, pubtruncate boolean, pubviaroot boolean`}}
{{emptyView "$pg.pg_publication_rel" `oid oid, prpubid oid, prrelid oid, prqual pg_node_tree, prattrs int2vector`}}
{{emptyView "$pg.pg_publication_tables" `pubname name, schemaname name, tablename name, attnames name[], rowfilter text`}}
{{emptyView "$pg.pg_publication_namespace" `oid oid, pnpubid oid, pnnspid oid`}}
{{emptyView "$pg.pg_foreign_table" `ftrelid oid, ftserver oid, ftoptions text[]`}}
{{emptyView "$pg.pg_foreign_server" `oid oid, srvname name, srvowner oid, srvfdw oid, srvtype text, srvversion text, srvacl aclitem[], srvoptions text[]`}}
{{emptyView "$pg.pg_foreign_data_wrapper" `oid oid, fdwname name, fdwowner oid, fdwhandler oid, fdwvalidator oid, fdwacl aclitem[], fdwoptions text[]`}}
{{emptyView "$pg.pg_partitioned_table" `partrelid oid, partstrat "char", partnatts smallint, partdefid oid, partattrs int2vector, partclass oidvector, partcollation oidvector, partexprs pg_node_tree`}}
{{emptyView "$pg.pg_auth_members" `roleid oid, member oid, grantor oid, admin_option boolean`}}
{{emptyView "$pg.pg_enum" `oid oid, enumtypid oid, enumsortorder real, enumlabel name`}}
{{emptyView "$pg.pg_range" `rngtypid oid, rngsubtype oid, rngmultitypid oid, rngcollation oid, rngsubopc oid, rngcanonical regproc, rngsubdiff regproc`}}
{{emptyView "$pg.pg_matviews" `schemaname name, matviewname name, matviewowner name, tablespace name, hasindexes boolean, ispopulated boolean, definition text`}}
{{emptyView "$pg.pg_sequence" `seqrelid oid, seqtypid oid, seqstart bigint, seqincrement bigint, seqmax bigint, seqmin bigint, seqcache bigint, seqcycle boolean`}}
{{emptyView "$pg.pg_sequences" `schemaname name, sequencename name, sequenceowner name, data_type regtype, start_value bigint, min_value bigint, max_value bigint, increment_by bigint, cycle boolean, cache_size bigint, last_value bigint`}}
{{emptyView "$pg.pg_locks" `locktype text, database oid, relation oid, page integer, tuple smallint, virtualxid text, transactionid xid, classid oid, objid oid, objsubid smallint, virtualtransaction text, pid integer, mode text, granted boolean, fastpath boolean, waitstart timestamp with time zone`}}
{{emptyView "$pg.pg_shdescription" `objoid oid, classoid oid, description text`}}
{{emptyView "$pg.pg_depend" `classid oid, objid oid, objsubid integer, refclassid oid, refobjid oid, refobjsubid integer, deptype "char"`}}
{{emptyView "$pg.pg_shdepend" `dbid oid, classid oid, objid oid, objsubid integer, refclassid oid, refobjid oid, deptype "char"`}}
{{emptyView "$pg.pg_event_trigger" `oid oid, evtname name, evtevent name, evtowner oid, evtfoid oid, evtenabled "char", evttags text[]`}}
{{emptyView "$pg.pg_cast" `oid oid, castsource oid, casttarget oid, castfunc oid, castcontext "char", castmethod "char"`}}
{{emptyView "$pg.pg_opclass" `oid oid, opcmethod oid, opcname name, opcnamespace oid, opcowner oid, opcfamily oid, opcintype oid, opcdefault boolean, opckeytype oid`}}
{{emptyView "$pg.pg_opfamily" `oid oid, opfmethod oid, opfname name, opfnamespace oid, opfowner oid`}}
{{emptyView "$pg.pg_conversion" `oid oid, conname name, connamespace oid, conowner oid, conforencoding integer, contoencoding integer, conproc regproc, condefault boolean`}}
{{emptyView "$pg.pg_aggregate" `aggfnoid regproc, aggkind "char", aggnumdirectargs smallint, aggtransfn regproc, aggfinalfn regproc, aggcombinefn regproc, aggserialfn regproc, aggdeserialfn regproc, aggmtransfn regproc, aggminvtransfn regproc, aggmfinalfn regproc, aggfinalextra boolean, aggmfinalextra boolean, aggfinalmodify "char", aggmfinalmodify "char", aggsortop oid, aggtranstype oid, aggtransspace integer, aggmtranstype oid, aggmtransspace integer, agginitval text, aggminitval text`}}
{{emptyView "$pg.pg_prepared_xacts" `transaction xid, gid text, prepared timestamp with time zone, owner name, database name`}}
{{emptyView "$pg.pg_stat_statements" `userid oid, dbid oid, queryid bigint, query text, calls bigint, total_exec_time double precision`}}
{{emptyView "$pg.pg_statio_user_tables" `relid oid, schemaname name, relname name, heap_blks_read bigint, heap_blks_hit bigint, idx_blks_read bigint, idx_blks_hit bigint, toast_blks_read bigint, toast_blks_hit bigint, tidx_blks_read bigint, tidx_blks_hit bigint`}}
{{emptyView "$pg.pg_stat_user_indexes" `relid oid, indexrelid oid, schemaname name, relname name, indexrelname name, idx_scan bigint, idx_tup_read bigint, idx_tup_fetch bigint`}}
{{emptyView "$pg.pg_init_privs" `objoid oid, classoid oid, objsubid integer, privtype "char", initprivs aclitem[]`}}
{{emptyView "$pg.pg_seclabel" `objoid oid, classoid oid, objsubid integer, provider text, label text`}}
{{emptyView "$pg.pg_shseclabel" `objoid oid, classoid oid, provider text, label text`}}
{{emptyView "$pg.pg_ts_config" `oid oid, cfgname name, cfgnamespace oid, cfgowner oid, cfgparser oid`}}
{{emptyView "$pg.pg_user_mapping" `oid oid, umuser oid, umserver oid, umoptions text[]`}}
{{emptyView "$pg.pg_default_acl" `oid oid, defaclrole oid, defaclnamespace oid, defaclobjtype "char", defaclacl aclitem[]`}}
{{emptyView "$pg.pg_largeobject_metadata" `oid oid, lomowner oid, lomacl aclitem[]`}}
{{emptyView "$pg.pg_subscription" `oid oid, subdbid oid, subname name, subowner oid, subenabled boolean`}}
{{emptyView "$pg.pg_replication_slots" `slot_name name, plugin name, slot_type text, datoid oid, database name, temporary boolean, active boolean`}}
{{emptyView "$pg.pg_stat_replication" `pid integer, usesysid oid, usename name, application_name text, client_addr inet, state text`}}
{{emptyView "$pg.pg_prepared_statements" `name text, statement text, prepare_time timestamp with time zone, parameter_types regtype[], from_sql boolean, generic_plans bigint, custom_plans bigint`}}
{{emptyView "$pg.pg_cursors" `name text, statement text, is_holdable boolean, is_binary boolean, is_scrollable boolean, creation_time timestamp with time zone`}}
{{emptyView "$pg.pg_available_extensions" `name name, default_version text, installed_version text, comment text`}}
{{emptyView "$pg.pg_timezone_names" `name text, abbrev text, utc_offset interval, is_dst boolean`}}
