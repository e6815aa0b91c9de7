SELECT string_agg(m::text || ':' || coalesce(history::text, '-'), ',' ORDER BY id) = 'happy:{sad,happy},sad:-' FROM diary;
SELECT enum_range(NULL::mood)::text = '{happy,sad}';
