-- alter privilege public.users | tx | none
REVOKE INSERT ON TABLE public.users FROM app;

-- alter privilege public.users | tx | none
REVOKE SELECT ON TABLE public.users FROM old_role;

-- alter privilege public.users | tx | none
GRANT SELECT ON TABLE public.users TO PUBLIC;

-- alter privilege public.users | tx | none
GRANT DELETE, UPDATE ON TABLE public.users TO app;
