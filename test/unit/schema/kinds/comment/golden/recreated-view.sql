-- drop view public.ids | tx | ACCESS EXCLUSIVE
DROP VIEW public.ids;

-- alter table.column public.items.id | tx | ACCESS EXCLUSIVE | table_rewrite,long_lock
ALTER TABLE public.items ALTER COLUMN id TYPE bigint USING id::bigint;

-- create view public.ids | tx | ACCESS EXCLUSIVE
CREATE VIEW public.ids AS
 SELECT items.id
   FROM public.items;

-- create view.owner public.ids | tx | none
ALTER VIEW public.ids OWNER TO app_owner;

-- create view.comment public.ids | tx | none
COMMENT ON VIEW public.ids IS 'ids';

-- create privilege public.ids | tx | none
GRANT SELECT ON TABLE public.ids TO reader;
