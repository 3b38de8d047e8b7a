-- Throttling of login and registration: failed attempts per key, counted until the key has been
-- quiet for a window, and the block they led to. A key is a hash of scope and value (an email
-- key, a client address), never the value. Times are microseconds since the Unix epoch, as in
-- the other tables.
CREATE TABLE throttle (
  key           TEXT    NOT NULL PRIMARY KEY,
  failures      INTEGER NOT NULL,
  last_failure  INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL,  -- 0 or past: not blocked
  expires       INTEGER NOT NULL   -- quiet for a window from then on: the count would start over
) STRICT, WITHOUT ROWID;

-- The sweep deletes what expired.
CREATE INDEX throttle_expires ON throttle (expires);
