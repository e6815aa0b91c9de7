-- create table public.users | tx | none
CREATE TABLE public.users (
    id integer,
    email text
);

-- create materialized_view public.user_summary | tx | none | full_scan
CREATE MATERIALIZED VIEW public.user_summary AS
 SELECT users.id,
    users.email
   FROM public.users;

-- create table.index public.user_summary_email_idx | tx | none
CREATE INDEX user_summary_email_idx ON public.user_summary USING btree (email);
