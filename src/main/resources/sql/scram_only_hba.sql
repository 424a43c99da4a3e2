-- does the target ask for SCRAM on connections (pg_hba_file_rules, 10+), or hash new passwords with it?
SELECT EXISTS (SELECT 1 FROM pg_hba_file_rules WHERE auth_method = 'scram-sha-256') AS hba_scram,
       current_setting('password_encryption') AS password_encryption
