-- drop view public.summary_emails | tx | ACCESS EXCLUSIVE
DROP VIEW public.summary_emails;

-- drop materialized_view public.user_summary | tx | ACCESS EXCLUSIVE | long_lock
DROP MATERIALIZED VIEW public.user_summary;

-- create materialized_view public.user_summary | tx | ACCESS EXCLUSIVE | full_scan,long_lock
CREATE MATERIALIZED VIEW public.user_summary AS
 SELECT users.id,
    users.email
   FROM public.users
  WHERE (users.email IS NOT NULL);

-- create view public.summary_emails | tx | ACCESS EXCLUSIVE
CREATE VIEW public.summary_emails AS
 SELECT user_summary.email
   FROM public.user_summary;

-- create table.index public.user_summary_email_idx | tx | none
CREATE INDEX user_summary_email_idx ON public.user_summary USING btree (email);
