-- login roles whose stored password is an md5 hash: they cannot log in where pg_hba asks for scram-sha-256
SELECT rolname FROM pg_authid WHERE rolcanlogin AND rolpassword LIKE 'md5%' AND rolname !~ '^pg_' ORDER BY 1
