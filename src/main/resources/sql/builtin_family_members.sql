-- Members users added to built-in operator families (ALTER OPERATOR FAMILY pg_catalog.... ADD OPERATOR / FUNCTION),
-- one row per family: (kind, name, definition). pg_dump leaves pg_catalog's families out, and these members with
-- them. Such a member was made after initdb (oid 16384 on, FirstNormalObjectId: no dependency on its family says so,
-- since a pinned object's dependents are not recorded). Left out: a member of an operator class (it depends on its
-- class, which pg_dump writes with it) and one whose operator or function belongs to an extension (CREATE EXTENSION
-- adds it again).
WITH loose AS (
    SELECT 'pg_amop'::regclass AS classid, o.oid AS objid, o.amopfamily AS family
      FROM pg_amop o JOIN pg_opfamily f ON f.oid = o.amopfamily
     WHERE o.oid >= 16384 AND f.opfnamespace = 'pg_catalog'::regnamespace
    UNION ALL
    SELECT 'pg_amproc'::regclass, p.oid, p.amprocfamily
      FROM pg_amproc p JOIN pg_opfamily f ON f.oid = p.amprocfamily
     WHERE p.oid >= 16384 AND f.opfnamespace = 'pg_catalog'::regnamespace
), members AS (
    SELECT l.classid, l.objid, l.family, 1 AS sort, o.amopstrategy AS number, o.amoplefttype AS lefttype,
           o.amoprighttype AS righttype,
           'pg_operator'::regclass AS memberclass, o.amopopr AS member,
           format('operator %s(%s,%s) %s', o.amopstrategy, format_type(o.amoplefttype, NULL),
                  format_type(o.amoprighttype, NULL), o.amopopr::regoperator) AS description
      FROM loose l JOIN pg_amop o ON o.oid = l.objid
     WHERE l.classid = 'pg_amop'::regclass
    UNION ALL
    SELECT l.classid, l.objid, l.family, 2, p.amprocnum, p.amproclefttype, p.amprocrighttype, 'pg_proc'::regclass,
           p.amproc::oid,
           format('function %s(%s,%s) %s', p.amprocnum, format_type(p.amproclefttype, NULL),
                  format_type(p.amprocrighttype, NULL), p.amproc::oid::regprocedure)
      FROM loose l JOIN pg_amproc p ON p.oid = l.objid
     WHERE l.classid = 'pg_amproc'::regclass
)
SELECT 'operator family' AS kind, format('pg_catalog.%I USING %I', f.opfname, am.amname) AS name,
       'added ' || string_agg(m.description, ', ' ORDER BY m.sort, m.number, format_type(m.lefttype, NULL),
                              format_type(m.righttype, NULL)) AS definition
  FROM members m JOIN pg_opfamily f ON f.oid = m.family JOIN pg_am am ON am.oid = f.opfmethod
 WHERE NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = m.classid AND d.objid = m.objid AND d.refclassid = 'pg_opclass'::regclass)
   AND NOT EXISTS (SELECT 1 FROM pg_depend e
                    WHERE e.classid = m.memberclass AND e.objid = m.member AND e.deptype = 'e')
 GROUP BY f.opfname, am.amname
 ORDER BY 2
