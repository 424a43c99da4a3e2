-- Each role's stored password (hash, or plain text before 10), readable by a superuser only (pg_authid): the role as
-- quote_ident writes it, its name, the password.
SELECT quote_ident(rolname), rolname, rolpassword FROM pg_authid WHERE rolname !~ '^pg_' AND rolpassword IS NOT NULL
