-- every line must print t: the rows survived the renames
SELECT count(*) = 2 FROM accounts;
SELECT email = 'a@example.com' AND name = 'Ann' FROM accounts WHERE id = 1;
SELECT nextval(pg_get_serial_sequence('accounts', 'id')) = 3;
