-- pg_trgm backs substring search over users (name and email).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
