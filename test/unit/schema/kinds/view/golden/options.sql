-- alter view public.active_items | tx | ACCESS EXCLUSIVE
ALTER VIEW public.active_items RESET (security_barrier);

-- alter view public.active_items | tx | ACCESS EXCLUSIVE
ALTER VIEW public.active_items SET (check_option=cascaded, security_invoker=on);
