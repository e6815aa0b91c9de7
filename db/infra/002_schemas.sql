-- Every schema listed in db.schemas must exist before its objects are created. `postkit db schema add <name>`
-- appends its CREATE SCHEMA here.
CREATE SCHEMA IF NOT EXISTS public;
