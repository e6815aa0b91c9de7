-- rename table public.users | tx | ACCESS EXCLUSIVE
ALTER TABLE public.users RENAME TO accounts;

-- rename table.column public.accounts.mail | tx | ACCESS EXCLUSIVE
ALTER TABLE public.accounts RENAME COLUMN mail TO email;

-- rename table.constraint public.accounts.users_mail_key | tx | ACCESS EXCLUSIVE
ALTER TABLE public.accounts RENAME CONSTRAINT users_mail_key TO accounts_email_key;

-- rename table.constraint public.accounts.users_pkey | tx | ACCESS EXCLUSIVE
ALTER TABLE public.accounts RENAME CONSTRAINT users_pkey TO accounts_pkey;
