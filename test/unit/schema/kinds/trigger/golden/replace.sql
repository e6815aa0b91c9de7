-- alter table.trigger public.emp.emp_touch | tx | SHARE ROW EXCLUSIVE
CREATE OR REPLACE TRIGGER emp_touch BEFORE INSERT OR UPDATE OF salary ON public.emp FOR EACH ROW EXECUTE FUNCTION public.touch();

-- alter table.trigger public.emp.emp_touch | tx | SHARE ROW EXCLUSIVE
ALTER TABLE public.emp DISABLE TRIGGER emp_touch;
