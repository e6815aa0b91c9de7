-- drop table.index public.users_email_norm_idx | tx | ACCESS EXCLUSIVE
DROP INDEX public.users_email_norm_idx;

-- alter function public.norm(text) | tx | none
CREATE OR REPLACE FUNCTION public.norm(t text)
 RETURNS text
 LANGUAGE sql
AS $function$SELECT lower(trim(t))$function$;

-- create table.index public.users_email_norm_idx | no-tx | SHARE UPDATE EXCLUSIVE | full_scan
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_norm_idx ON public.users USING btree (public.norm(email));

-- create table.index public.users_email_norm_idx | tx | none
DO $postkit$
BEGIN
  IF NOT coalesce((SELECT indisvalid FROM pg_catalog.pg_index WHERE indexrelid = to_regclass('public.users_email_norm_idx')), false) THEN
    RAISE EXCEPTION 'index % is missing or invalid after CREATE INDEX CONCURRENTLY', 'public.users_email_norm_idx'
      USING HINT = 'Drop the invalid index and apply the plan again.';
  END IF;
END
$postkit$;
