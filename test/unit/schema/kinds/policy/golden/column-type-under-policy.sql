-- drop table.policy public.docs.members_only | tx | ACCESS EXCLUSIVE
DROP POLICY members_only ON public.docs;

-- alter table.column public.members.doc_id | tx | ACCESS EXCLUSIVE | table_rewrite,long_lock
ALTER TABLE public.members ALTER COLUMN doc_id TYPE bigint USING doc_id::bigint;

-- create table.policy public.docs.members_only | tx | ACCESS EXCLUSIVE
CREATE POLICY members_only ON public.docs TO PUBLIC USING ((id IN ( SELECT members.doc_id
   FROM public.members)));
