-- Messages waiting to be sent and the record of what was sent (IOutbox). seq is the order they were queued in.
create table outbox (
    seq          bigint generated always as identity primary key,
    mid          text not null unique,
    conv         text not null,          -- channel|conversation id
    channel      text not null,
    state        text not null,          -- Pending | Sent
    attempts     integer not null default 0,
    next_at      timestamptz not null,
    platform_id  text,
    error        text,
    json         text not null           -- the OutboundMessage (System.Text.Json, web defaults)
);
create index outbox_pending on outbox (seq) where state = 'Pending';
create index outbox_conv on outbox (conv, seq);
