CREATE TABLE people (
    id int PRIMARY KEY,
    email text NOT NULL UNIQUE,
    manager_id int REFERENCES people (id),
    CHECK (email LIKE '%@%')
);
CREATE INDEX people_manager_idx ON people (manager_id);
