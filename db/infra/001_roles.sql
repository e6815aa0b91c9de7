-- Roles the schema's grants refer to. Applied before any DDL (locally, on clones and on the target), so it must be
-- idempotent: each role is created only if it does not exist yet.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shop_app') THEN
    CREATE ROLE shop_app NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shop_readonly') THEN
    CREATE ROLE shop_readonly NOLOGIN;
  END IF;
END
$$;
