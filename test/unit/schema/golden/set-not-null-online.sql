-- alter table.column public.users.email | tx | ACCESS EXCLUSIVE
ALTER TABLE public.users ADD CONSTRAINT email_not_null_postkit CHECK (email IS NOT NULL) NOT VALID;

-- alter table.column public.users.email | no-tx | SHARE UPDATE EXCLUSIVE | full_scan
ALTER TABLE public.users VALIDATE CONSTRAINT email_not_null_postkit;

-- alter table.column public.users.email | tx | ACCESS EXCLUSIVE
ALTER TABLE public.users ALTER COLUMN email SET NOT NULL;

-- alter table.column public.users.email | tx | ACCESS EXCLUSIVE
ALTER TABLE public.users DROP CONSTRAINT email_not_null_postkit;
