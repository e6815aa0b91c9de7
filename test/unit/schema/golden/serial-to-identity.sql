-- alter table.column public.t.id | tx | ACCESS EXCLUSIVE
ALTER TABLE public.t ALTER COLUMN id DROP DEFAULT;

-- drop sequence public.t_id_seq | tx | ACCESS EXCLUSIVE | data_loss
DROP SEQUENCE public.t_id_seq;

-- alter table.column public.t.id | tx | ACCESS EXCLUSIVE
ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;

-- alter table.column public.t.id | tx | ACCESS SHARE | full_scan
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('public.t', 'id'), coalesce(max(id), 0) + 1, false) FROM public.t;
