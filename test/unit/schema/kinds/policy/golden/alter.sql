-- alter table.policy public.docs.tenant | tx | ACCESS EXCLUSIVE
ALTER POLICY tenant ON public.docs TO app_user USING ((tenant_id = 2));
