SELECT count(*) = 5 FROM tickets;
SELECT nextval(pg_get_serial_sequence('tickets', 'id')) = 6;
