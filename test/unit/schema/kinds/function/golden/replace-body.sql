-- alter function public.greet(text) | tx | none
CREATE OR REPLACE FUNCTION public.greet(who text)
 RETURNS text
 LANGUAGE sql
AS $function$SELECT 'hello ' || who$function$;
