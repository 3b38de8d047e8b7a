-- When a session was last used, for the user's session list. NULL until first written: readers
-- take `created` instead. Written coarsely (at most once a minute per session), so that /auth/me
-- stays a read.
ALTER TABLE sessions ADD COLUMN last_used INTEGER;
