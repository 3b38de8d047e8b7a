-- Placeholder for 0003_throttle (issue 6, another branch): the migration runner needs versions
-- without gaps. Drop this file and its .down.sql when 0003_throttle is merged.
SELECT 1;
