-- create table public.users | tx | none
CREATE TABLE public.users (
    email text
);

-- create table.column.comment public.users.email | tx | none
COMMENT ON COLUMN public.users.email IS 'Where we write; it''s unique';

-- create table.comment public.users | tx | none
COMMENT ON TABLE public.users IS 'People who log in';
