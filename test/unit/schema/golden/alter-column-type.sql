-- alter table.column public.t.n | tx | ACCESS EXCLUSIVE
ALTER TABLE public.t ALTER COLUMN n DROP DEFAULT;

-- alter table.column public.t.n | tx | ACCESS EXCLUSIVE | table_rewrite,long_lock
ALTER TABLE public.t ALTER COLUMN n TYPE bigint USING n::bigint;

-- alter table.column public.t.n | tx | ACCESS EXCLUSIVE
ALTER TABLE public.t ALTER COLUMN n SET DEFAULT '0'::bigint;
