CREATE TABLE people (id int, email text, manager_id int);
INSERT INTO people SELECT i, 'p' || i || '@example.com', NULL FROM generate_series(1, 100) i;
