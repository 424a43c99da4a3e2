-- Members users added to operator families pg_dump does not write, pg_catalog's and extensions' (ALTER OPERATOR
-- FAMILY pg_catalog.integer_ops USING btree ADD OPERATOR / FUNCTION, or an operator class of theirs), one row per
-- family: (kind, name, definition, lost). definition: all of them, whatever class or command brought them (a
-- class's cross-type members hang on the class before 13, on the family from 13, with no dependency recorded on a
-- pinned family); lost: those of no class, which pg_dump leaves out with the family (a class's come with it).
-- A user's member of a pg_catalog family was made after initdb (oid 16384 on, FirstNormalObjectId); one of an
-- extension's family has an operator or function made after initdb (its script's are built in, as pg_trgm's ~~, or
-- the extension's). Left out: a member whose operator or function, or class, is an extension's (CREATE EXTENSION
-- adds it again).
WITH ext AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
), families AS (
    SELECT f.oid, format('%I.%I USING %I', n.nspname, f.opfname, am.amname) AS name,
           EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_opfamily'::regclass AND objid = f.oid) AS extension,
           n.nspname = 'pg_catalog' AS builtin
      FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace JOIN pg_am am ON am.oid = f.opfmethod
), members AS (
    SELECT f.name, f.extension, 'pg_amop'::regclass AS classid, o.oid AS objid, 1 AS sort, o.amopstrategy AS number,
           o.amoplefttype AS lefttype, o.amoprighttype AS righttype,
           'pg_operator'::regclass AS memberclass, o.amopopr AS member,
           format('operator %s(%s,%s) %s', o.amopstrategy, format_type(o.amoplefttype, NULL),
                  format_type(o.amoprighttype, NULL), o.amopopr::regoperator) AS description
      FROM pg_amop o JOIN families f ON f.oid = o.amopfamily
     WHERE f.builtin OR f.extension
    UNION ALL
    SELECT f.name, f.extension, 'pg_amproc'::regclass, p.oid, 2, p.amprocnum, p.amproclefttype, p.amprocrighttype,
           'pg_proc'::regclass, p.amproc::oid,
           format('function %s(%s,%s) %s', p.amprocnum, format_type(p.amproclefttype, NULL),
                  format_type(p.amprocrighttype, NULL), p.amproc::oid::regprocedure)
      FROM pg_amproc p JOIN families f ON f.oid = p.amprocfamily
     WHERE f.builtin OR f.extension
), users AS (
    SELECT m.*, EXISTS (SELECT 1 FROM pg_depend d
                         WHERE d.classid = m.classid AND d.objid = m.objid
                           AND d.refclassid = 'pg_opclass'::regclass) AS in_class
      FROM members m
     WHERE CASE WHEN m.extension THEN m.member >= 16384 ELSE m.objid >= 16384 END
       AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = m.memberclass AND objid = m.member)
       AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN ext e ON e.classid = d.refclassid AND e.objid = d.refobjid
                        WHERE d.classid = m.classid AND d.objid = m.objid
                          AND d.refclassid = 'pg_opclass'::regclass)
)
SELECT 'operator family' AS kind, name,
       'added ' || string_agg(description, ', ' ORDER BY sort, number, format_type(lefttype, NULL),
                              format_type(righttype, NULL)) AS definition,
       string_agg(description, ', ' ORDER BY sort, number, format_type(lefttype, NULL),
                  format_type(righttype, NULL)) FILTER (WHERE NOT in_class) AS lost
  FROM users
 GROUP BY name
 ORDER BY 2
