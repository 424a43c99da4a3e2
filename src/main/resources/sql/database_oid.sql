SELECT oid::int8 FROM pg_database WHERE datname = ?
