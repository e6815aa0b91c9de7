-- create table public.authors | tx | none
CREATE TABLE public.authors (
    id integer NOT NULL,
    CONSTRAINT authors_pkey PRIMARY KEY (id)
);

-- create table public.books | tx | none
CREATE TABLE public.books (
    id integer NOT NULL,
    author_id integer
);

-- create table.constraint public.books.books_author_id_fkey | tx | SHARE ROW EXCLUSIVE
ALTER TABLE public.books ADD CONSTRAINT books_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.authors(id);

-- create table.index public.books_author_idx | tx | none
CREATE INDEX books_author_idx ON public.books USING btree (author_id);
