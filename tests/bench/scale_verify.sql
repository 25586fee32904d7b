-- tests/bench/scale_verify.sql — run by tests/bench/scale.sh in the
-- database "national" last: a digest that seals what the pgbench runs
-- wrote, one with nothing to seal, then verify_history() over every case
-- and verify_ledger() against every digest taken during the load (as an
-- auditor verifies against the digests kept outside), each timed once as
-- the superuser.  Both must find no problem; their throughput goes to
-- bench.scale_figures.
SET search_path = public, accountability;
-- as an auditor would for a verification that sorts the whole ledger
SET work_mem = '256MB';

SELECT count(*) AS fresh FROM accountability.ledger_entries
WHERE entry_no > (SELECT coalesce(max(last_entry_no), 0) FROM accountability.ledger_blocks) \gset
SELECT bench.scale_digest() AS block \gset
SELECT seconds AS seal_s, entries FROM bench.scale_digests WHERE block_no = :block \gset
-- nothing new: what every digest pays whatever it seals
SELECT clock_timestamp() AS t0 \gset
SELECT accountability.ledger_digest() IS NOT NULL AS ok \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS empty_s \gset
SELECT bench.scale_record('ledger_digest(), sealing the pgbench runs'' entries', round(:seal_s::numeric, 1), 's',
                          format('%s entries sealed, %s in the ledger', :fresh, :entries));
SELECT bench.scale_record('ledger_digest(), nothing to seal', round(:empty_s::numeric, 1), 's',
                          format('%s entries in the ledger', :entries));

SELECT count(*) AS events FROM accountability.case_events \gset
SELECT count(*) AS cases FROM accountability.cases \gset

SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS history_problems FROM accountability.verify_history() \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS history_s \gset
SELECT bench.check(:history_problems = 0, format('verify_history() found %s problems', :history_problems));
SELECT bench.scale_record('verify_history(), every case', round(:events / :history_s::numeric), 'events/s',
                          format('%s events of %s cases in %s s', :events, :cases, round(:history_s::numeric, 1)));

SELECT jsonb_agg(digest ORDER BY block_no) AS digests, count(*) AS digest_count FROM bench.scale_digests \gset
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS ledger_problems FROM accountability.verify_ledger(:'digests') \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS ledger_s \gset
SELECT bench.check(:ledger_problems = 0, format('verify_ledger() found %s problems', :ledger_problems));
SELECT bench.scale_record('verify_ledger(digests), the whole ledger', round(:entries / :ledger_s::numeric), 'entries/s',
                          format('%s entries in %s blocks, %s digests, in %s s (it runs verify_history() too)',
                                 :entries, :block, :digest_count, round(:ledger_s::numeric, 1)));
