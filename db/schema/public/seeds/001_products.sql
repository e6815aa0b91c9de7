-- Reference data, applied after migrations (db apply, db deploy, db seed --apply): idempotent by design.
INSERT INTO products (sku, name, price_cents) VALUES
    ('TEA-001', 'Green tea, 100 g', 650),
    ('TEA-002', 'Black tea, 100 g', 590),
    ('MUG-001', 'Stoneware mug', 1400)
ON CONFLICT (sku) DO NOTHING;
