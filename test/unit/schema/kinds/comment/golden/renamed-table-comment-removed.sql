-- rename table public.users | tx | ACCESS EXCLUSIVE
ALTER TABLE public.users RENAME TO accounts;

-- drop table.comment public.accounts | tx | SHARE UPDATE EXCLUSIVE
COMMENT ON TABLE public.accounts IS NULL;
