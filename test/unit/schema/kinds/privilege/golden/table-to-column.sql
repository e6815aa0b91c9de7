-- alter privilege public.users | tx | none
REVOKE UPDATE ON TABLE public.users FROM app;

-- alter privilege public.users | tx | none
REVOKE UPDATE ON TABLE public.users FROM keep;

-- alter column_privilege public.users.email | tx | none
GRANT UPDATE (email) ON TABLE public.users TO app;

-- alter column_privilege public.users.email | tx | none
GRANT UPDATE (email) ON TABLE public.users TO keep;
