-- jit_columns @VERSION@: plain install script for psql or JDBC, e.g. on managed PostgreSQL.
-- GENERATED from jit_columns--@VERSION@.sql by dev.jitcolumns.postgres.SqlPackage: do not edit.
--   psql -v ON_ERROR_STOP=1 -d <database> -f install.sql
-- Idempotent: re-running it is a no-op; running a newer version's script upgrades in place; running
-- an older version's script over a newer install is refused. One transaction: all or nothing.
BEGIN;
-- Nothing below may resolve to the installer's schemas: an operator planted in public with exact argument types
-- would win over pg_catalog's polymorphic one, and run as the (superuser) installer.
SET LOCAL search_path = pg_catalog, pg_temp;
-- A client holding a lock the install needs makes it fail with a message, rather than queue every other session
-- behind it.
SET LOCAL lock_timeout = '60s';
SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('jit_columns install'));
SET LOCAL jit_columns.install_method = 'script';
DO $guard$
DECLARE
  installed text;
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'jit_columns') THEN
    RAISE EXCEPTION 'jit_columns is installed as an extension here: use ALTER EXTENSION jit_columns UPDATE';
  END IF;
  IF pg_catalog.to_regclass('jit_columns.installed_version') IS NOT NULL THEN
    SELECT v.version INTO installed FROM jit_columns.installed_version v
     ORDER BY pg_catalog.string_to_array(v.version, '.')::int[] DESC LIMIT 1;
    IF pg_catalog.string_to_array(installed, '.')::int[] OPERATOR(pg_catalog.>) pg_catalog.string_to_array('@VERSION@', '.')::int[] THEN
      RAISE EXCEPTION 'jit_columns % is installed; refusing to downgrade to @VERSION@', installed;
    END IF;
  END IF;
END
$guard$;

