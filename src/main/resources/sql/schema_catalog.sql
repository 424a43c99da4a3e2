-- A description of a database's objects, one row per object: (kind, name, definition), comparable between
-- servers of different versions (9.6 to 18). Columns that only some versions have are read through to_jsonb(row).
-- System schemas and objects that belong to an extension are left out (privileges changed on the latter:
-- schema_extension_privileges.sql).
WITH user_ns AS (
    SELECT oid, nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
), ext AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
    UNION ALL -- a composite type's relation: the extension owns the type, whose relation depends on it
    SELECT 'pg_class'::regclass, t.typrelid
      FROM pg_depend d JOIN pg_type t ON t.oid = d.objid
     WHERE d.deptype = 'e' AND d.classid = 'pg_type'::regclass AND t.typrelid <> 0
)
SELECT 'schema' AS kind, quote_ident(n.nspname) AS name,
       concat_ws(' ', 'owner=' || pg_get_userbyid(ns.nspowner), 'acl=' || ns.nspacl::text,
                 'comment=' || obj_description(ns.oid, 'pg_namespace')) AS definition
  FROM user_ns n JOIN pg_namespace ns ON ns.oid = n.oid
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_namespace'::regclass AND objid = n.oid)
UNION ALL
SELECT 'relation', format('%I.%I', n.nspname, c.relname),
       -- a partitioned table's persistence means nothing (it holds no rows; its partitions have their own), and
       -- one unlogged on 10 to 17 is logged on 18, which refuses unlogged ones
       concat_ws(' ', 'kind=' || c.relkind::text,
                 'persistence=' || CASE WHEN c.relkind <> 'p' THEN c.relpersistence::text END,
                 'owner=' || pg_get_userbyid(c.relowner), 'options=' || c.reloptions::text,
                 'acl=' || c.relacl::text, 'rls=' || c.relrowsecurity, 'force_rls=' || c.relforcerowsecurity,
                 'populated=' || CASE WHEN c.relkind = 'm' THEN c.relispopulated END,
                 'comment=' || obj_description(c.oid, 'pg_class'))
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
UNION ALL
SELECT 'column', format('%I.%I.%I', n.nspname, c.relname, a.attname),
       concat_ws(' ', format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN 'not null' END,
                 'default=' || pg_get_expr(d.adbin, d.adrelid),
                 'identity=' || nullif(to_jsonb(a) ->> 'attidentity', ''),
                 'generated=' || nullif(to_jsonb(a) ->> 'attgenerated', ''),
                 'collation=' || (SELECT format('%I.%I', cn.nspname, co.collname)
                                    FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                                   WHERE co.oid = a.attcollation
                                     AND a.attcollation <> (SELECT typcollation FROM pg_type WHERE oid = a.atttypid)),
                 'acl=' || a.attacl::text,
                 'fdw_options=' || (SELECT array_agg(o ORDER BY o) FROM unnest(a.attfdwoptions) o)::text,
                 'comment=' || col_description(c.oid, a.attnum))
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN user_ns n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
UNION ALL
SELECT 'index', format('%I.%I', n.nspname, ci.relname), pg_get_indexdef(i.indexrelid)
  FROM pg_index i
  JOIN pg_class ci ON ci.oid = i.indexrelid
  JOIN user_ns n ON n.oid = ci.relnamespace
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = i.indrelid)
UNION ALL
SELECT 'constraint', format('%I.%I.%I', n.nspname, coalesce(c.relname, t.typname), co.conname),
       co.contype::text || ' ' || pg_get_constraintdef(co.oid)
  FROM pg_constraint co
  JOIN user_ns n ON n.oid = co.connamespace
  LEFT JOIN pg_class c ON c.oid = co.conrelid
  LEFT JOIN pg_type t ON t.oid = co.contypid
 WHERE co.contype::text <> 'n' -- 18 lists NOT NULL here too; the column's description already has it
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = co.conrelid)
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_type'::regclass AND objid = co.contypid)
UNION ALL
SELECT 'view', format('%I.%I', n.nspname, c.relname), pg_get_viewdef(c.oid)
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('v', 'm')
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
UNION ALL
SELECT 'function', format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
       concat_ws(' ', 'returns=' || pg_get_function_result(p.oid), 'language=' || l.lanname,
                 'volatility=' || p.provolatile::text, 'security_definer=' || p.prosecdef, 'strict=' || p.proisstrict,
                 -- parallel safety (9.6+; unsafe on a target restored from an older source), also an aggregate's
                 'parallel=' || nullif(to_jsonb(p) ->> 'proparallel', 'u'), 'leakproof=' || p.proleakproof,
                 'cost=' || p.procost, 'rows=' || nullif(p.prorows, 0),
                 'owner=' || pg_get_userbyid(p.proowner), 'acl=' || p.proacl::text,
                 'config=' || p.proconfig::text,
                 'body=' || md5(p.prosrc), -- empty for a SQL-standard body (14+): see schema_function_bodies.sql
                 'comment=' || obj_description(p.oid, 'pg_proc'))
  FROM pg_proc p JOIN user_ns n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_proc'::regclass AND objid = p.oid)
   -- functions a type made for itself (range and, from 14, multirange constructors)
   AND NOT EXISTS (SELECT 1 FROM pg_depend WHERE classid = 'pg_proc'::regclass AND objid = p.oid AND deptype = 'i')
UNION ALL
SELECT 'trigger', format('%I.%I.%I', n.nspname, c.relname, t.tgname),
       'enabled=' || t.tgenabled::text || ' ' || pg_get_triggerdef(t.oid)
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN user_ns n ON n.oid = c.relnamespace
 WHERE NOT t.tgisinternal
UNION ALL
SELECT 'type', format('%I.%I', n.nspname, t.typname),
       concat_ws(' ', 'kind=' || t.typtype::text, 'owner=' || pg_get_userbyid(t.typowner), 'acl=' || t.typacl::text,
                 'labels=' || (SELECT string_agg(quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder)
                                 FROM pg_enum e WHERE e.enumtypid = t.oid),
                 'base=' || CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
                 CASE WHEN t.typtype = 'd' AND t.typnotnull THEN 'not null' END,
                 'default=' || t.typdefault,
                 'subtype=' || (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid),
                 'comment=' || obj_description(t.oid, 'pg_type'))
  FROM pg_type t JOIN user_ns n ON n.oid = t.typnamespace
 WHERE (t.typtype IN ('e', 'd', 'r')
        OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_type'::regclass AND objid = t.oid)
UNION ALL
-- without its version: pg_dump writes CREATE EXTENSION without VERSION, so the target installs its own default
-- version, by design (a newer server ships newer ones, and a source may never have run ALTER EXTENSION UPDATE).
-- With its owner, which only it (or a superuser) may update or drop it: one initdb made (plpgsql) belongs to each
-- server's bootstrap superuser, whatever its name
SELECT 'extension', quote_ident(e.extname),
       concat_ws(' ', 'schema=' || e.extnamespace::regnamespace::text,
                 'owner=' || CASE WHEN e.oid < 16384 AND e.extowner = 10 THEN '(bootstrap superuser)'
                                  ELSE pg_get_userbyid(e.extowner)::text END)
  FROM pg_extension e
UNION ALL
SELECT 'policy', format('%I.%I.%I', n.nspname, c.relname, p.polname),
       concat_ws(' ', 'command=' || p.polcmd::text, 'permissive=' || coalesce(to_jsonb(p) ->> 'polpermissive', 'true'),
                 'roles=' || (SELECT string_agg(n, ',' ORDER BY n)
                                FROM (SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r)::text END AS n
                                        FROM unnest(p.polroles) r) rn),
                 'using=' || pg_get_expr(p.polqual, p.polrelid), 'check=' || pg_get_expr(p.polwithcheck, p.polrelid))
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN user_ns n ON n.oid = c.relnamespace
UNION ALL
-- the items compared as a set, as every ACL here is (Descriptions): the server keeps them sorted by the roles' oids,
-- which differ on the target (the source's bootstrap superuser, oid 10 there, is one more role on a target initdb'd
-- under another name)
SELECT 'default privileges',
       concat_ws(' ', 'for ' || pg_get_userbyid(d.defaclrole), 'in ' || quote_ident(n.nspname), 'on ' || d.defaclobjtype::text),
       'acl=' || d.defaclacl::text
  FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
UNION ALL
SELECT 'event trigger', quote_ident(e.evtname),
       concat_ws(' ', 'on=' || e.evtevent, 'function=' || e.evtfoid::regproc::text, 'enabled=' || e.evtenabled::text,
                 'tags=' || e.evttags::text)
  FROM pg_event_trigger e
UNION ALL
-- rules other than a view's own (_RETURN), with whether they fire (O origin, R replica, A always, D disabled)
SELECT 'rule', format('%I.%I.%I', n.nspname, c.relname, r.rulename),
       concat_ws(' ', 'enabled=' || r.ev_enabled::text, pg_get_ruledef(r.oid),
                 'comment=' || obj_description(r.oid, 'pg_rewrite'))
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN user_ns n ON n.oid = c.relnamespace
 WHERE r.rulename <> '_RETURN'
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
UNION ALL
-- inheritance that is not partitioning (INHERITS), the parents in their order
SELECT 'inherits', format('%I.%I', n.nspname, c.relname),
       string_agg(format('%I.%I', pn.nspname, p.relname), ', ' ORDER BY i.inhseqno)
  FROM pg_inherits i
  JOIN pg_class c ON c.oid = i.inhrelid
  JOIN user_ns n ON n.oid = c.relnamespace
  JOIN pg_class p ON p.oid = i.inhparent
  JOIN pg_namespace pn ON pn.oid = p.relnamespace
 WHERE p.relkind::text NOT IN ('p', 'I') -- a partition's parent (10+; an index's, 11+): no INHERITS from one
   AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
 GROUP BY n.nspname, c.relname
UNION ALL
-- a collation: provider (10+; libc before), locale (ICU: 10-14 collcollate and collctype, 15-16 colliculocale, 17+
-- colllocale; 16+ keeps a language tag, de-DE, where an older server kept what it was given, de_DE: IcuLocales
-- compares the two), determinism (12+); not its version, which is the target's library's
SELECT 'collation', format('%I.%I', n.nspname, co.collname),
       concat_ws(' ', 'provider=' || l.provider,
                 'collate=' || CASE WHEN l.provider <> 'i' THEN co.collcollate END,
                 'ctype=' || CASE WHEN l.provider <> 'i' THEN co.collctype END,
                 'locale=' || l.locale,
                 'rules=' || (to_jsonb(co) ->> 'collicurules'),
                 'deterministic=' || coalesce(to_jsonb(co) ->> 'collisdeterministic', 'true'),
                 'owner=' || pg_get_userbyid(co.collowner), 'comment=' || obj_description(co.oid, 'pg_collation'))
  FROM pg_collation co JOIN user_ns n ON n.oid = co.collnamespace,
       LATERAL (SELECT coalesce(j ->> 'collprovider', 'c') AS provider,
                       coalesce(j ->> 'colllocale', j ->> 'colliculocale',
                                CASE WHEN j ->> 'collprovider' = 'i' THEN co.collcollate END) AS locale
                  FROM to_jsonb(co) j) l
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_collation'::regclass AND objid = co.oid)
UNION ALL
-- casts made by users (the system's have oids below 16384), not those a range type makes for its multirange (14+)
SELECT 'cast', format('%s AS %s', format_type(ca.castsource, NULL), format_type(ca.casttarget, NULL)),
       concat_ws(' ', 'function=' || nullif(ca.castfunc, 0)::regprocedure::text, 'context=' || ca.castcontext::text,
                 'method=' || ca.castmethod::text, 'comment=' || obj_description(ca.oid, 'pg_cast'))
  FROM pg_cast ca
 WHERE ca.oid >= 16384
   AND NOT EXISTS (SELECT 1 FROM pg_depend
                    WHERE classid = 'pg_cast'::regclass AND objid = ca.oid AND deptype IN ('e', 'i'))
UNION ALL
SELECT 'operator', format('%I.%s(%s, %s)', n.nspname, o.oprname, format_type(nullif(o.oprleft, 0), NULL),
                          format_type(nullif(o.oprright, 0), NULL)),
       concat_ws(' ', 'function=' || o.oprcode::regprocedure::text, 'result=' || format_type(o.oprresult, NULL),
                 'commutator=' || nullif(o.oprcom, 0)::regoperator::text,
                 'negator=' || nullif(o.oprnegate, 0)::regoperator::text,
                 'restrict=' || nullif(o.oprrest, 0)::regprocedure::text,
                 'join=' || nullif(o.oprjoin, 0)::regprocedure::text, 'hashes=' || o.oprcanhash,
                 'merges=' || o.oprcanmerge, 'owner=' || pg_get_userbyid(o.oprowner),
                 'comment=' || obj_description(o.oid, 'pg_operator'))
  FROM pg_operator o JOIN user_ns n ON n.oid = o.oprnamespace
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_operator'::regclass AND objid = o.oid)
UNION ALL
-- an operator family with its members, wherever they came from (CREATE OPERATOR CLASS, or ALTER OPERATOR FAMILY ADD for
-- one in no class, the cross-type ones): whether a member counts as its class's or its family's changed in 13
SELECT 'operator family', format('%I.%I USING %I', n.nspname, f.opfname, am.amname),
       concat_ws(' ', 'operators=' || (SELECT string_agg(format('%s(%s,%s):%s', o.amopstrategy,
                                                                format_type(o.amoplefttype, NULL),
                                                                format_type(o.amoprighttype, NULL),
                                                                o.amopopr::regoperator)
                                                         || coalesce(' for order by ' || (
                                                                SELECT format('%I.%I', sn.nspname, sf.opfname)
                                                                  FROM pg_opfamily sf
                                                                  JOIN pg_namespace sn ON sn.oid = sf.opfnamespace
                                                                 WHERE sf.oid = o.amopsortfamily), ''),
                                                         ', ' ORDER BY o.amopstrategy,
                                                         format_type(o.amoplefttype, NULL),
                                                         format_type(o.amoprighttype, NULL))
                                         FROM pg_amop o WHERE o.amopfamily = f.oid),
                 'functions=' || (SELECT string_agg(format('%s(%s,%s):%s', p.amprocnum,
                                                          format_type(p.amproclefttype, NULL),
                                                          format_type(p.amprocrighttype, NULL),
                                                          p.amproc::oid::regprocedure),
                                                   ', ' ORDER BY p.amprocnum, format_type(p.amproclefttype, NULL),
                                                   format_type(p.amprocrighttype, NULL))
                                    FROM pg_amproc p WHERE p.amprocfamily = f.oid),
                 'owner=' || pg_get_userbyid(f.opfowner), 'comment=' || obj_description(f.oid, 'pg_opfamily'))
  FROM pg_opfamily f JOIN user_ns n ON n.oid = f.opfnamespace JOIN pg_am am ON am.oid = f.opfmethod
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_opfamily'::regclass AND objid = f.oid)
UNION ALL
-- an operator class (its members are its family's); the storage type only where it is not the input type
SELECT 'operator class', format('%I.%I USING %I', n.nspname, c.opcname, am.amname),
       concat_ws(' ', 'type=' || format_type(c.opcintype, NULL), 'default=' || c.opcdefault,
                 'family=' || format('%I.%I', fn.nspname, f.opfname),
                 'storage=' || format_type(nullif(nullif(c.opckeytype, 0), c.opcintype), NULL),
                 'owner=' || pg_get_userbyid(c.opcowner), 'comment=' || obj_description(c.oid, 'pg_opclass'))
  FROM pg_opclass c JOIN user_ns n ON n.oid = c.opcnamespace JOIN pg_am am ON am.oid = c.opcmethod
  JOIN pg_opfamily f ON f.oid = c.opcfamily JOIN pg_namespace fn ON fn.oid = f.opfnamespace
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_opclass'::regclass AND objid = c.oid)
UNION ALL
-- an aggregate's support functions and states (its signature, owner and privileges are in its function row); the
-- final function's modify mode (11+) only where it is not the default a version lacking it gets
SELECT 'aggregate', format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
       concat_ws(' ', 'kind=' || a.aggkind::text, 'direct_args=' || a.aggnumdirectargs,
                 'transition=' || a.aggtransfn::oid::regprocedure::text, 'state=' || format_type(a.aggtranstype, NULL),
                 'state_space=' || nullif(a.aggtransspace, 0), 'initial=' || a.agginitval,
                 'final=' || nullif(a.aggfinalfn::oid, 0)::regprocedure::text, 'final_extra=' || a.aggfinalextra,
                 'final_modify=' || nullif(to_jsonb(a) ->> 'aggfinalmodify',
                                           CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END),
                 'combine=' || nullif(a.aggcombinefn::oid, 0)::regprocedure::text,
                 'serial=' || nullif(a.aggserialfn::oid, 0)::regprocedure::text,
                 'deserial=' || nullif(a.aggdeserialfn::oid, 0)::regprocedure::text,
                 'moving=' || nullif(a.aggmtransfn::oid, 0)::regprocedure::text,
                 'moving_inverse=' || nullif(a.aggminvtransfn::oid, 0)::regprocedure::text,
                 'moving_state=' || format_type(nullif(a.aggmtranstype, 0), NULL),
                 'moving_state_space=' || nullif(a.aggmtransspace, 0),
                 'moving_initial=' || a.aggminitval,
                 'moving_final=' || nullif(a.aggmfinalfn::oid, 0)::regprocedure::text,
                 'moving_final_extra=' || CASE WHEN a.aggmfinalextra THEN 'true' END,
                 'moving_final_modify=' || CASE WHEN a.aggmfinalfn::oid <> 0
                                                THEN nullif(to_jsonb(a) ->> 'aggmfinalmodify',
                                                            CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END) END,
                 'sort=' || nullif(a.aggsortop, 0)::regoperator::text)
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN user_ns n ON n.oid = p.pronamespace
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_proc'::regclass AND objid = p.oid)
UNION ALL
SELECT 'text search dictionary', format('%I.%I', n.nspname, d.dictname),
       concat_ws(' ', 'template=' || (SELECT format('%I.%I', tn.nspname, t.tmplname)
                                        FROM pg_ts_template t JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
                                       WHERE t.oid = d.dicttemplate),
                 'options=' || d.dictinitoption, 'owner=' || pg_get_userbyid(d.dictowner),
                 'comment=' || obj_description(d.oid, 'pg_ts_dict'))
  FROM pg_ts_dict d JOIN user_ns n ON n.oid = d.dictnamespace
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_ts_dict'::regclass AND objid = d.oid)
UNION ALL
-- text search parsers and templates: their functions (parsers and templates have no owner)
SELECT 'text search parser', format('%I.%I', n.nspname, p.prsname),
       concat_ws(' ', 'start=' || p.prsstart::oid::regprocedure::text,
                 'token=' || p.prstoken::oid::regprocedure::text, 'end=' || p.prsend::oid::regprocedure::text,
                 'headline=' || nullif(p.prsheadline::oid, 0)::regprocedure::text,
                 'lextypes=' || p.prslextype::oid::regprocedure::text,
                 'comment=' || obj_description(p.oid, 'pg_ts_parser'))
  FROM pg_ts_parser p JOIN user_ns n ON n.oid = p.prsnamespace
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_ts_parser'::regclass AND objid = p.oid)
UNION ALL
SELECT 'text search template', format('%I.%I', n.nspname, t.tmplname),
       concat_ws(' ', 'init=' || nullif(t.tmplinit::oid, 0)::regprocedure::text,
                 'lexize=' || t.tmpllexize::oid::regprocedure::text,
                 'comment=' || obj_description(t.oid, 'pg_ts_template'))
  FROM pg_ts_template t JOIN user_ns n ON n.oid = t.tmplnamespace
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_ts_template'::regclass AND objid = t.oid)
UNION ALL
-- a text search configuration: its parser and, token type by token type, its dictionaries in order
SELECT 'text search configuration', format('%I.%I', n.nspname, cfg.cfgname),
       concat_ws(' ', 'parser=' || (SELECT format('%I.%I', pn.nspname, pr.prsname)
                                      FROM pg_ts_parser pr JOIN pg_namespace pn ON pn.oid = pr.prsnamespace
                                     WHERE pr.oid = cfg.cfgparser),
                 'mappings=' || (SELECT string_agg(tt.alias || ':' || m.dicts, ',' ORDER BY m.maptokentype)
                                   FROM (SELECT maptokentype, string_agg(mapdict::regdictionary::text, ';'
                                                                         ORDER BY mapseqno) AS dicts
                                           FROM pg_ts_config_map WHERE mapcfg = cfg.oid GROUP BY maptokentype) m
                                   JOIN ts_token_type(cfg.cfgparser) tt ON tt.tokid = m.maptokentype),
                 'owner=' || pg_get_userbyid(cfg.cfgowner), 'comment=' || obj_description(cfg.oid, 'pg_ts_config'))
  FROM pg_ts_config cfg JOIN user_ns n ON n.oid = cfg.cfgnamespace
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_ts_config'::regclass AND objid = cfg.oid)
UNION ALL
SELECT 'foreign data wrapper', quote_ident(w.fdwname),
       concat_ws(' ', 'handler=' || nullif(w.fdwhandler, 0)::regprocedure::text,
                 'validator=' || nullif(w.fdwvalidator, 0)::regprocedure::text,
                 'options=' || (SELECT array_agg(o ORDER BY o) FROM unnest(w.fdwoptions) o)::text,
                 'owner=' || pg_get_userbyid(w.fdwowner), 'acl=' || w.fdwacl::text,
                 'comment=' || obj_description(w.oid, 'pg_foreign_data_wrapper'))
  FROM pg_foreign_data_wrapper w
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_foreign_data_wrapper'::regclass AND objid = w.oid)
UNION ALL
SELECT 'foreign server', quote_ident(s.srvname),
       concat_ws(' ', 'wrapper=' || quote_ident(w.fdwname), 'type=' || s.srvtype, 'version=' || s.srvversion,
                 'options=' || (SELECT array_agg(o ORDER BY o) FROM unnest(s.srvoptions) o)::text,
                 'owner=' || pg_get_userbyid(s.srvowner), 'acl=' || s.srvacl::text,
                 'comment=' || obj_description(s.oid, 'pg_foreign_server'))
  FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_foreign_server'::regclass AND objid = s.oid)
UNION ALL
SELECT 'foreign table', format('%I.%I', n.nspname, c.relname),
       concat_ws(' ', 'server=' || quote_ident(s.srvname),
                 'options=' || (SELECT array_agg(o ORDER BY o) FROM unnest(ft.ftoptions) o)::text)
  FROM pg_foreign_table ft
  JOIN pg_class c ON c.oid = ft.ftrelid
  JOIN user_ns n ON n.oid = c.relnamespace
  JOIN pg_foreign_server s ON s.oid = ft.ftserver
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
UNION ALL
-- user mappings: their options can hold a password, so only the option names are shown and the whole is compared by
-- its md5 keyed with a random salt (the parameter, as for the roles' password hashes in globals_catalog.sql); only
-- the superuser, the server's owner and the mapped role itself read the options
SELECT 'user mapping', format('%s on %I', CASE WHEN um.umuser = 0 THEN 'PUBLIC' ELSE quote_ident(um.usename) END,
                              um.srvname),
       concat_ws(' ', 'options=' || (SELECT string_agg(quote_ident(split_part(o, '=', 1)), ',' ORDER BY o)
                                       FROM unnest(um.umoptions) o),
                 'options_digest=' || md5(?::text || (SELECT array_agg(o ORDER BY o)
                                                        FROM unnest(um.umoptions) o)::text))
  FROM pg_user_mappings um
 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_foreign_server'::regclass AND objid = um.srvid)
