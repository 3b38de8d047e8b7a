-- Server-side sessions: a token is accepted only while its row exists, is not revoked and has
-- not expired, so logout really ends it.
CREATE TABLE sessions (
  id             UUID        NOT NULL PRIMARY KEY,
  user_id        UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created        TIMESTAMPTZ NOT NULL,
  expires        TIMESTAMPTZ NOT NULL,
  revoked        TIMESTAMPTZ NULL,
  user_agent     TEXT        NOT NULL DEFAULT '',
  client_address TEXT        NOT NULL DEFAULT ''
);

CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires);
-- Lets the sweep (expires < t OR revoked < t) find revoked sessions without a table scan; partial,
-- because almost every session is never revoked.
CREATE INDEX sessions_revoked ON sessions (revoked) WHERE revoked IS NOT NULL;
