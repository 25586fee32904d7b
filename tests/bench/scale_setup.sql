-- tests/bench/scale_setup.sql — the tables of `make bench-scale`
-- (tests/bench/scale.sh), in the database "national", after setup.sql:
-- the figures as they are measured, the digests taken during the load (kept
-- "outside" for verify_ledger, as an auditor would), and the queues of
-- cases the pgbench clients move (each client its own cases).
CREATE TABLE bench.scale_figures (
    id     serial PRIMARY KEY,
    figure text NOT NULL,
    value  numeric NOT NULL,
    unit   text NOT NULL,
    note   text
);

CREATE TABLE bench.scale_digests (
    block_no bigint PRIMARY KEY,
    digest   jsonb NOT NULL,
    seconds  numeric NOT NULL,     -- how long ledger_digest() took
    entries  bigint NOT NULL       -- the ledger's entries when it was taken
);

CREATE TABLE bench.scale_queue (
    list    int,                   -- run * clients + client
    n       int,                   -- 1, 2, ... in the order the client moves them
    case_id bigint NOT NULL,
    PRIMARY KEY (list, n)
);

-- The disk the database takes: the record (every table of the extension
-- but the ledger: heap and TOAST, then their indexes), the ledger (entries
-- and blocks with their indexes), the whole database; kept after the
-- build (the country's units and cadres) and after the load.
CREATE TABLE bench.scale_sizes (
    stage          text PRIMARY KEY,
    record_bytes   bigint NOT NULL,
    index_bytes    bigint NOT NULL,
    ledger_bytes   bigint NOT NULL,
    database_bytes bigint NOT NULL
);

CREATE FUNCTION bench.scale_sizes_now(stage text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO bench.scale_sizes (stage, record_bytes, index_bytes, ledger_bytes, database_bytes)
    SELECT stage,
           sum(pg_table_size(c.oid)) FILTER (WHERE c.relname NOT LIKE 'ledger\_%'),
           sum(pg_indexes_size(c.oid)) FILTER (WHERE c.relname NOT LIKE 'ledger\_%'),
           sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname LIKE 'ledger\_%'),
           pg_database_size(current_database())
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'accountability' AND c.relkind = 'r'
$$;

CREATE FUNCTION bench.scale_record(figure text, value numeric, unit text, note text DEFAULT NULL)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO bench.scale_figures (figure, value, unit, note) VALUES (figure, value, unit, note)
$$;

-- Take a digest, as the daily cron job of README's ledger section does, and
-- keep it.
CREATE FUNCTION bench.scale_digest() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    d  jsonb := accountability.ledger_digest();
BEGIN
    INSERT INTO bench.scale_digests (block_no, digest, seconds, entries)
    VALUES ((d ->> 'block_no')::bigint, d, round(extract(epoch FROM clock_timestamp() - t0)::numeric, 2),
            (d ->> 'entry_count')::bigint)
    ON CONFLICT (block_no) DO NOTHING;
    RETURN (d ->> 'block_no')::bigint;
END $$;
