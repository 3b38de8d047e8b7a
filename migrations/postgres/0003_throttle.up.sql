-- Throttling of login and registration, shared by every instance on this database: failed
-- attempts per key, counted until the key has been quiet for a window, and the block they led
-- to. A key is a hash of scope and value (an email key, a client address), never the value.
-- Times are BIGINT microseconds since the Unix epoch, not TIMESTAMPTZ: the rule is integer
-- arithmetic in one UPDATE, the same SQL as on SQLite (src/store/throttle_sql.hpp).
CREATE TABLE throttle (
  key           TEXT   NOT NULL PRIMARY KEY,
  failures      BIGINT NOT NULL,
  last_failure  BIGINT NOT NULL,
  blocked_until BIGINT NOT NULL,  -- 0 or past: not blocked
  expires       BIGINT NOT NULL   -- quiet for a window from then on: the count would start over
);

-- The sweep deletes what expired.
CREATE INDEX throttle_expires ON throttle (expires);
