-- Server-side sessions: a token is accepted only while its row exists, is not revoked and has
-- not expired, so logout really ends it.
CREATE TABLE sessions (
  id             TEXT    NOT NULL PRIMARY KEY,
  user_id        TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created        INTEGER NOT NULL,
  expires        INTEGER NOT NULL,
  revoked        INTEGER,
  user_agent     TEXT    NOT NULL DEFAULT '',
  client_address TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires);
-- Lets the sweep (expires < t OR revoked < t) find revoked sessions without a table scan; partial,
-- because almost every session is never revoked.
CREATE INDEX sessions_revoked ON sessions (revoked) WHERE revoked IS NOT NULL;
