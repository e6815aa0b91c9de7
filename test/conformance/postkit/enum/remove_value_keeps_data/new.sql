CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE diary (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'sad', history mood[]);
CREATE INDEX diary_happy_idx ON diary (id) WHERE m = 'happy';
