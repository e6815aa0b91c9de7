-- alter table.owner public.users | tx | ACCESS EXCLUSIVE
ALTER TABLE public.users OWNER TO app_owner;
