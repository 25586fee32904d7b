-- One pgbench run of tests/bench/60_ledger.sql: ledger :mode (on or off),
-- run :run, cases from ledger_first + run * clients * pgbench_transactions.
SELECT pg_temp.ledger(:'mode' = 'on');
CHECKPOINT;
SELECT :ledger_first + :run * :clients * :pgbench_transactions AS first,
       (SELECT count(*) FROM accountability.ledger_entries) AS entries_before \gset
\set result `:pgbench -D first=:first :pgbench_tail`
SELECT bench.check(:'result' ~ '^[0-9.]+ [1-9][0-9]*$', 'a pgbench run of the ledger bench failed');
INSERT INTO ledger_runs
SELECT 'tps', :'mode', split_part(:'result', ' ', 1)::float8,
       (SELECT count(*) FROM accountability.ledger_entries) - :entries_before,
       split_part(:'result', ' ', 2)::bigint;
SELECT :run + 1 AS run \gset
