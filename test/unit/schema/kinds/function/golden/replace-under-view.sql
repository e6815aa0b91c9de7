-- drop view public.v_total | tx | ACCESS EXCLUSIVE
DROP VIEW public.v_total;

-- drop function public.total() | tx | ACCESS EXCLUSIVE
DROP FUNCTION public.total();

-- create function public.total() | tx | none
CREATE FUNCTION public.total()
 RETURNS bigint
 LANGUAGE sql
AS $function$SELECT 1$function$;

-- create view public.v_total | tx | ACCESS EXCLUSIVE
CREATE VIEW public.v_total AS
  SELECT public.total() AS total;
