-- create table public.accounts | tx | none
CREATE TABLE public.accounts (
    id integer
);

-- create table.rls public.accounts | tx | none
ALTER TABLE public.accounts ENABLE ROW LEVEL SECURITY;

-- create table.rls public.accounts | tx | none
ALTER TABLE public.accounts FORCE ROW LEVEL SECURITY;
