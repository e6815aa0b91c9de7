-- create function public.touch() | tx | none
CREATE FUNCTION public.touch()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$SELECT 1$function$;

-- create table public.emp | tx | none
CREATE TABLE public.emp (
    id integer,
    salary numeric
);

-- create table.trigger public.emp.emp_audit | tx | none
CREATE TRIGGER emp_audit AFTER DELETE ON public.emp REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.touch();

-- alter table.trigger public.emp.emp_audit | tx | none
ALTER TABLE public.emp ENABLE REPLICA TRIGGER emp_audit;

-- create table.trigger public.emp.emp_check | tx | none
CREATE CONSTRAINT TRIGGER emp_check AFTER INSERT ON public.emp DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.touch();

-- create table.trigger public.emp.emp_touch | tx | none
CREATE TRIGGER emp_touch BEFORE UPDATE OF salary ON public.emp FOR EACH ROW WHEN ((new.salary IS NOT NULL)) EXECUTE FUNCTION public.touch();
