-- drop table.policy public.accounts.own_rows | tx | ACCESS EXCLUSIVE
DROP POLICY own_rows ON public.accounts;

-- drop table.rls public.accounts | tx | ACCESS EXCLUSIVE
ALTER TABLE public.accounts DISABLE ROW LEVEL SECURITY;
