-- alter materialized_view public.user_summary | tx | SHARE UPDATE EXCLUSIVE
ALTER MATERIALIZED VIEW public.user_summary RESET (autovacuum_enabled);

-- alter materialized_view public.user_summary | tx | SHARE UPDATE EXCLUSIVE
ALTER MATERIALIZED VIEW public.user_summary SET (fillfactor=80);
