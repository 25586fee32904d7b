-- One pgbench run of tests/bench/ledger.sql (mode on or off), cases
-- 2 + run * clients * per_client onward (case 1 ... is the setup's).
SELECT pg_temp.ledger(:'mode' = 'on');
CHECKPOINT;
SELECT 1 + :run * :clients * :per_client AS first \gset
\setenv PGBENCH_FIRST :first
\! "$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)/pgbench" -n -c 8 -j 2 -t 1500 -D n=0 -D first=$PGBENCH_FIRST -D stride=1500 -f "$PGBENCH_SCRIPT" scratch > /tmp/ledger_pgbench.out 2>&1; grep -E "^tps|failed" /tmp/ledger_pgbench.out
SELECT :run + 1 AS run \gset
\copy public.ledger_bench (value) FROM PROGRAM 'sed -n "s/^tps = \([0-9.]*\).*/\1/p" /tmp/ledger_pgbench.out'
UPDATE public.ledger_bench SET figure = 'tps', mode = :'mode' WHERE figure IS NULL;
