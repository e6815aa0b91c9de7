-- postkit:renamed-from users
CREATE TABLE accounts (
    id serial PRIMARY KEY,
    email text UNIQUE, -- postkit:renamed-from mail
    name text NOT NULL -- postkit:renamed-from full_name
);
CREATE INDEX accounts_name_idx ON accounts (name);
