-- create table public.docs | tx | none
CREATE TABLE public.docs (
    id integer,
    tenant_id integer,
    owner text
);

-- create table.rls public.docs | tx | none
ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;

-- create table.policy public.docs.Tenant-Isolation | tx | none
CREATE POLICY "Tenant-Isolation" ON public.docs AS RESTRICTIVE TO PUBLIC USING ((tenant_id = 1)) WITH CHECK ((tenant_id = 1));

-- create table.policy public.docs.insert_own | tx | none
CREATE POLICY insert_own ON public.docs FOR INSERT TO "App Writer" WITH CHECK ((owner = CURRENT_USER));

-- create table.policy public.docs.select | tx | none
CREATE POLICY "select" ON public.docs FOR SELECT TO app_reader, PUBLIC USING (true);
