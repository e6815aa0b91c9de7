-- drop view public.active_items | tx | ACCESS EXCLUSIVE
DROP VIEW public.active_items;

-- alter table.column public.items.id | tx | ACCESS EXCLUSIVE | table_rewrite,long_lock
ALTER TABLE public.items ALTER COLUMN id TYPE bigint USING id::bigint;

-- create view public.active_items | tx | ACCESS EXCLUSIVE
CREATE VIEW public.active_items AS
 SELECT items.id,
    items.title
   FROM public.items;
