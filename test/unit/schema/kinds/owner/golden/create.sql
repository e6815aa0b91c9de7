-- create type public.mood | tx | none
CREATE TYPE public.mood AS ENUM ('a');

-- create table public.users | tx | none
CREATE TABLE public.users (
    id integer
);

-- create table.owner public.users | tx | none
ALTER TABLE public.users OWNER TO app_owner;
