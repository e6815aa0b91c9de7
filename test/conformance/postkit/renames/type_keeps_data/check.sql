SELECT string_agg(s::text, ',' ORDER BY id) = 'on,off' FROM switches;
SELECT pg_typeof(s)::text = 'switch_state' FROM switches WHERE id = 1;
