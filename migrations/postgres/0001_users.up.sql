-- Users, as in the original FastAPI service, plus email_key: the case-folded email that makes
-- A@x.com and a@x.com one account (computed by authd, unique; NULL only for the unresolved
-- case-duplicates of a taken-over database, which therefore cannot log in).
--
-- On a database the original service created (Alembic revision 7dfc9f79011c), `authd migrate up`
-- does NOT run this file: the migrator's takeover code (src/store/postgres/postgres_migrations.cpp)
-- runs instead, in one transaction, and reaches the same schema while keeping every row: it adds
-- email_key, fills it, replaces the original case-sensitive UNIQUE (email) constraint (which
-- PostgreSQL named users_email_key) by the unique index below, and records this migration as
-- applied. It leaves alembic_version in place so that going back to the FastAPI service stays
-- possible.
CREATE TABLE users (
  id              UUID        NOT NULL PRIMARY KEY,
  name            VARCHAR     NOT NULL,
  email           VARCHAR     NOT NULL,
  hashed_password VARCHAR     NOT NULL,
  created         TIMESTAMPTZ NOT NULL,
  email_key       TEXT        NULL
);

-- The store maps a unique violation on users to duplicate_email; NULLs never collide.
CREATE UNIQUE INDEX users_email_key ON users (email_key);
