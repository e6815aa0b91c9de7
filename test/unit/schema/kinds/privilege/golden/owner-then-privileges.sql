-- alter table.owner public.users | tx | ACCESS EXCLUSIVE
ALTER TABLE public.users OWNER TO app_owner;

-- alter privilege public.users | tx | none
REVOKE TRUNCATE ON TABLE public.users FROM app_owner;

-- alter privilege public.users | tx | none
GRANT SELECT ON TABLE public.users TO reader;
