-- Users, as in the original service, plus email_key: the case-folded email that makes
-- A@x.com and a@x.com one account. Times are microseconds since the Unix epoch, UTC.
CREATE TABLE users (
  id              TEXT    NOT NULL PRIMARY KEY,
  name            TEXT    NOT NULL,
  email           TEXT    NOT NULL,
  email_key       TEXT    NOT NULL,
  hashed_password TEXT    NOT NULL,
  created         INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX users_email_key ON users (email_key);
