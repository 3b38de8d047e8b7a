-- Placeholder for 0003_throttle: see 0003_reserved.up.sql.
SELECT 1;
