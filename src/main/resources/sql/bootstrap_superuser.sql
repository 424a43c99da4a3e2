-- the role initdb made (oid 10): it owns the template databases, and 16 and later refuse to take SUPERUSER from it
SELECT rolname FROM pg_roles WHERE oid = 10
