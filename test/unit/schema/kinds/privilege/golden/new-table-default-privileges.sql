-- create table public.users | tx | none
CREATE TABLE public.users (
    email text
);

-- create privilege public.users | tx | none
REVOKE SELECT ON TABLE public.users FROM reader;

-- create privilege public.users | tx | none
GRANT UPDATE ON TABLE public.users TO app;
