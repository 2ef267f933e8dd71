-- Raw inbound envelopes, stored before the platform is acknowledged (IInbox). The platform id is unique: a second
-- delivery of the same id is refused by the key. owner is the instance that accepted the envelope (or took it over
-- from an instance that stopped) and is the one to process it; markers stored processed keep theirs only as a record.
create table inbox (
    platform_id   text primary key,
    channel       text not null,
    kind          text not null,
    body          text not null,
    received_at   timestamptz not null,
    done          boolean not null,
    processed_at  timestamptz,
    error         text,
    owner         text not null
);
create index inbox_pending on inbox (owner, platform_id collate "C") where not done;
