-- drop function public.f(text) | tx | ACCESS EXCLUSIVE
DROP FUNCTION public.f(text);

-- create function public.f(text) | tx | none
CREATE FUNCTION public.f(a text)
 RETURNS integer
 LANGUAGE sql
AS $function$SELECT 1$function$;
