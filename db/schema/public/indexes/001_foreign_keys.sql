-- PostgreSQL does not index the referencing side of a foreign key; these keep joins and cascading deletes fast.
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
