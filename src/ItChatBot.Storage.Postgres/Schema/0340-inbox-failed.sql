-- Envelopes whose processing ended with an error (IInbox.FailedAsync), latest first; few, so a partial index.
create index inbox_failed on inbox (processed_at desc) where error is not null;
