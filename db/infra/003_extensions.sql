-- Extensions are infrastructure: created here, used by the schema files (customers.email is citext).
CREATE EXTENSION IF NOT EXISTS citext;
