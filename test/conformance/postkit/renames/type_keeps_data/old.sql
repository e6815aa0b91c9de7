CREATE TYPE state AS ENUM ('on', 'off');
CREATE TABLE switches (id int PRIMARY KEY, s state NOT NULL DEFAULT 'off');
INSERT INTO switches VALUES (1, 'on'), (2, 'off');
