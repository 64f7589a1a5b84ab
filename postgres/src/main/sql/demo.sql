-- Demo data for jit-columns: public.customers in the current database (the dev server uses
-- "analytics"), protected into app.customers, readable by the login role app_user.
-- Idempotent. Needs the jit_columns package installed and a superuser (or the table owner holding
-- jit_columns_admin and CREATEROLE). :rows is replaced by DemoDatabase with the row count.
-- Run by a superuser: nothing may resolve to a schema others can create in (an operator planted in public with
-- exact argument types would win over pg_catalog's and run as the superuser).
SET LOCAL search_path = pg_catalog, pg_temp;

CREATE TABLE IF NOT EXISTS public.customers (
  id             bigint PRIMARY KEY,
  name           text NOT NULL,
  email          text NOT NULL,
  ssn            text NOT NULL,
  card_number    text NOT NULL,
  date_of_birth  date NOT NULL,
  region         text NOT NULL,
  city           text NOT NULL,
  phone          text NOT NULL,
  created_at     timestamptz NOT NULL
);

-- Deterministic rows 1..N (re-running adds only the missing ones).
INSERT INTO public.customers
SELECT i,
       'Customer ' || i,
       'customer' || i || '@example.com',
       pg_catalog.lpad(((i * 7919) % 899 + 100)::text, 3, '0') || '-' ||
         pg_catalog.lpad(((i * 104729) % 99 + 1)::text, 2, '0') || '-' ||
         pg_catalog.lpad(((i * 1299709) % 9999 + 1)::text, 4, '0'),
       '4' || pg_catalog.lpad(((i * 2654435761) % 1000000000000000)::text, 15, '0'),
       date '1950-01-01' + ((i * 7331) % 18000)::int,
       (ARRAY['eu', 'us', 'apac'])[1 + i % 3],
       (ARRAY['Berlin', 'Paris', 'Austin', 'Boston', 'Tokyo', 'Sydney'])[1 + i % 6],
       '+1-555-' || pg_catalog.lpad((i % 10000)::text, 4, '0'),
       timestamptz '2024-01-01 00:00:00+00' + (i % 100000) * interval '1 minute'
  FROM pg_catalog.generate_series(1::bigint, :rows) AS i
ON CONFLICT (id) DO NOTHING;

SELECT jit_columns.protect('public.customers'::regclass,
                           ARRAY['ssn', 'card_number', 'date_of_birth', 'email'],
                           'app',
                           '{"card_number": "last4", "date_of_birth": "year"}'::jsonb);

DO $app$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app_user') THEN
    CREATE ROLE app_user LOGIN PASSWORD 'app_user';
  END IF;
END
$app$;
GRANT jit_columns_client TO app_user;
REVOKE ALL ON public.customers FROM app_user;

-- The agent's login: keys, revocations and purge, nothing else.
DO $agent$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'jit_agent') THEN
    CREATE ROLE jit_agent LOGIN PASSWORD 'jit_agent';
  END IF;
END
$agent$;
GRANT jit_columns_admin TO jit_agent;
