-- alter type public.mood | tx | ACCESS EXCLUSIVE
ALTER TYPE public.mood RENAME TO mood__postkit_old;

-- alter type public.mood | tx | ACCESS EXCLUSIVE
CREATE TYPE public.mood AS ENUM ('happy', 'sad');

-- alter type public.mood | tx | ACCESS EXCLUSIVE
ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT;

-- alter type public.mood | tx | ACCESS EXCLUSIVE | table_rewrite,long_lock
ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING m::text::public.mood;

-- alter type public.mood | tx | ACCESS EXCLUSIVE
ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'sad'::public.mood;

-- alter type public.mood | tx | ACCESS EXCLUSIVE
DROP TYPE public.mood__postkit_old;
