CREATE TABLE users (
    id serial PRIMARY KEY,
    mail text UNIQUE,
    full_name text NOT NULL
);
CREATE INDEX users_full_name_idx ON users (full_name);
INSERT INTO users (mail, full_name) VALUES ('a@example.com', 'Ann'), ('b@example.com', 'Bob');
