-- drop view public.v | tx | ACCESS EXCLUSIVE
DROP VIEW public.v;

-- drop aggregate public.my_sum(numeric) | tx | ACCESS EXCLUSIVE
DROP AGGREGATE public.my_sum(numeric);

-- create aggregate public.my_sum(numeric) | tx | none
CREATE AGGREGATE public.my_sum(numeric) (
    SFUNC = public.num_add,
    STYPE = double precision
);

-- create view public.v | tx | ACCESS EXCLUSIVE
CREATE VIEW public.v AS
  SELECT public.my_sum(x.n) AS s FROM x;
