-- postkit:renamed-from state
CREATE TYPE switch_state AS ENUM ('on', 'off');
CREATE TABLE switches (id int PRIMARY KEY, s switch_state NOT NULL DEFAULT 'off');
