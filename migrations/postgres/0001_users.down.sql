-- Drops every account. On a database taken over from the original service this drops its users
-- too (alembic_version stays): reverting 0001 is the operator's explicit choice.
DROP TABLE users;
