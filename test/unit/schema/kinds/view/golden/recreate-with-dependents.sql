-- drop view public.item_titles | tx | ACCESS EXCLUSIVE
DROP VIEW public.item_titles;

-- drop view public.active_items | tx | ACCESS EXCLUSIVE
DROP VIEW public.active_items;

-- create view public.active_items | tx | ACCESS EXCLUSIVE
CREATE VIEW public.active_items AS
 SELECT items.id,
    items.status,
    items.title
   FROM public.items;

-- create view public.item_titles | tx | ACCESS EXCLUSIVE
CREATE VIEW public.item_titles AS
 SELECT active_items.title
   FROM public.active_items;
