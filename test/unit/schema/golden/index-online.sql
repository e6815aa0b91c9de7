-- create table.index public.users_email_idx | no-tx | SHARE UPDATE EXCLUSIVE | full_scan
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON public.users USING btree (email);

-- create table.index public.users_email_idx | tx | none
DO $postkit$
BEGIN
  IF NOT coalesce((SELECT indisvalid FROM pg_catalog.pg_index WHERE indexrelid = to_regclass('public.users_email_idx')), false) THEN
    RAISE EXCEPTION 'index % is missing or invalid after CREATE INDEX CONCURRENTLY', 'public.users_email_idx'
      USING HINT = 'Drop the invalid index and apply the plan again.';
  END IF;
END
$postkit$;
