CREATE TYPE mood AS ENUM ('sad', 'meh', 'happy');
CREATE TABLE diary (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'meh', history mood[]);
CREATE INDEX diary_happy_idx ON diary (id) WHERE m = 'happy';
INSERT INTO diary VALUES (1, 'happy', '{sad,happy}'), (2, 'sad', NULL);
