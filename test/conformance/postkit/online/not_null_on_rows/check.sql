SELECT count(*) = 100 FROM people;
SELECT bool_and(convalidated) FROM pg_constraint WHERE conrelid = 'people'::regclass;
SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = 'people'::regclass;
