-- alter type public.mood | no-tx | EXCLUSIVE
ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'ok' BEFORE 'happy';

-- alter type public.mood | no-tx | EXCLUSIVE
ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy';
