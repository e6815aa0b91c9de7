-- drop table.column public.t.b | tx | ACCESS EXCLUSIVE | data_loss
ALTER TABLE public.t DROP COLUMN b;
