-- stream mode: how many large objects carry a security label (they are not copied: the run refuses)
SELECT count(*) FROM pg_catalog.pg_seclabel s WHERE s.classoid = 'pg_catalog.pg_largeobject'::pg_catalog.regclass
