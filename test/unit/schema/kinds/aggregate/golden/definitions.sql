CREATE AGGREGATE public.my_sum(numeric) (
    SFUNC = public.num_add,
    STYPE = numeric,
    SSPACE = 64,
    FINALFUNC = public.num_final,
    FINALFUNC_EXTRA,
    FINALFUNC_MODIFY = SHAREABLE,
    COMBINEFUNC = public.num_add,
    INITCOND = '0',
    MSFUNC = public.num_add,
    MINVFUNC = public.num_sub,
    MSTYPE = numeric,
    MINITCOND = '0',
    SORTOP = OPERATOR(pg_catalog.>),
    PARALLEL = SAFE
);

CREATE AGGREGATE public.str_concat(text) (
    SFUNC = public.str_append,
    STYPE = text,
    INITCOND = ''
);

CREATE AGGREGATE public.cnt(*) (
    SFUNC = pg_catalog.int8inc,
    STYPE = bigint,
    INITCOND = '0'
);

CREATE AGGREGATE public.pct(double precision ORDER BY anyelement) (
    SFUNC = pg_catalog.ordered_set_transition,
    STYPE = internal,
    FINALFUNC = public.pct_final,
    FINALFUNC_EXTRA
);
