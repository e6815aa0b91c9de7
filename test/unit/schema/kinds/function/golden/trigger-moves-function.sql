-- create function public.log_change() | tx | none
CREATE FUNCTION public.log_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$SELECT 1$function$;

-- alter table.trigger public.users.users_audit | tx | SHARE ROW EXCLUSIVE
CREATE OR REPLACE TRIGGER users_audit BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.log_change();

-- drop function public.touch() | tx | ACCESS EXCLUSIVE
DROP FUNCTION public.touch();
