-- alter view public.active_items | tx | ACCESS EXCLUSIVE
CREATE OR REPLACE VIEW public.active_items AS
 SELECT items.id,
    items.title,
    items.status
   FROM public.items
  WHERE (items.status = 'active'::text);
