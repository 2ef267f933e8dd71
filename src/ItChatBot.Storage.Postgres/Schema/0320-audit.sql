-- The hash-chained audit log (IAuditLog). pos is where an entry was stored (its seq at the append); seq, like every
-- other column but pos and hash, is part of the hashed canonical form. Verification reads in pos order, so an entry
-- moved to another position shows. data is the entry's data as a JSON object (keys that differ only in case stay apart).
create table audit (
    pos      bigint primary key,
    seq      bigint not null,
    id       text not null unique,
    at       timestamptz not null,
    actor    text not null,
    action   text not null,
    subject  text not null,
    data     text not null,
    prev     text not null,
    hash     text not null
);
create index audit_at on audit (at);
create index audit_subject on audit (subject, seq);

-- The last entry appended, kept apart from the entries so that cutting the tail of the log shows. One row, id 'head'.
create table audit_head (
    id    text primary key,
    seq   bigint not null,
    hash  text not null
);
