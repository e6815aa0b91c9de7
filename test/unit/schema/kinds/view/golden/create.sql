-- create table public.items | tx | none
CREATE TABLE public.items (
    id integer,
    title text,
    status text
);

-- create view public.active_items | tx | none
CREATE VIEW public.active_items WITH (check_option=local, security_barrier=true) AS
 SELECT items.id,
    items.title
   FROM public.items;

-- create view public.item_titles | tx | none
CREATE VIEW public.item_titles AS
 SELECT active_items.title
   FROM public.active_items;
