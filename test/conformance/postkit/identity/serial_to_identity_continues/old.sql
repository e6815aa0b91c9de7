CREATE TABLE tickets (id serial PRIMARY KEY, title text);
INSERT INTO tickets (title) SELECT 'ticket ' || i FROM generate_series(1, 5) i;
