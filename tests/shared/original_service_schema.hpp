// What the original FastAPI service's Alembic migration 7dfc9f79011c created, verbatim: the
// database authd takes over (unit tests of the migrator, and the end-to-end takeover test).
#pragma once

namespace authd::test_shared {

inline constexpr const char* original_service_schema = R"sql(
CREATE TABLE users (id UUID NOT NULL, name VARCHAR NOT NULL, email VARCHAR NOT NULL,
  hashed_password VARCHAR NOT NULL, created TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (id), UNIQUE (email));
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
  CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO alembic_version VALUES ('7dfc9f79011c');
)sql";

}  // namespace authd::test_shared
