-- drop table.constraint public.notes.notes_case_id_fkey | tx | ACCESS EXCLUSIVE
ALTER TABLE public.notes DROP CONSTRAINT notes_case_id_fkey;

-- drop table.constraint public.cases.cases_id_key | tx | ACCESS EXCLUSIVE
ALTER TABLE public.cases DROP CONSTRAINT cases_id_key;

-- create table.constraint public.cases.cases_pkey | tx | ACCESS EXCLUSIVE | full_scan,blocks_writes
ALTER TABLE public.cases ADD CONSTRAINT cases_pkey PRIMARY KEY (id);

-- create table.constraint public.notes.notes_case_id_fkey | tx | SHARE ROW EXCLUSIVE | full_scan,blocks_writes
ALTER TABLE public.notes ADD CONSTRAINT notes_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);
