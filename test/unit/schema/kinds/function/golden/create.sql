-- create function public.add(integer, integer) | tx | none
CREATE FUNCTION public.add(a integer, b integer DEFAULT 1)
 RETURNS integer
 LANGUAGE sql
AS $function$SELECT a + b$function$;

-- create procedure public.touch(integer) | tx | none
CREATE PROCEDURE public.touch(IN id integer)
 LANGUAGE plpgsql
AS $function$ BEGIN NULL; END $function$;
