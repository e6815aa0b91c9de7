-- alter function public.calc(numeric) | tx | none
ALTER FUNCTION public.calc(x numeric) STABLE STRICT LEAKPROOF PARALLEL SAFE COST 5;
