GRANT SELECT, INSERT, UPDATE, DELETE ON customers, products, orders, order_items TO shop_app;
GRANT SELECT ON order_totals TO shop_readonly;
