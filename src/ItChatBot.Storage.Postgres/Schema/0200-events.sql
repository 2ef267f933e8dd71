-- The event log (IEventLog): the source of truth. seq is the log position, handed out by the append itself under the
-- advisory lock "events" (max + 1), so positions reach the log in the order they were handed out. Ids and keys compare
-- ordinally (collate "C"), as the LiteDB file's ordinal collation does: exact, case-sensitive identifiers.
create table events (
    seq         bigint primary key,
    eid         text collate "C" not null unique,
    ticket      text collate "C",
    type        text not null,
    at          timestamptz not null,
    actor       text not null,
    actor_kind  text not null,
    data        text not null           -- [[key, value], ...] in the event's order; keys are case-sensitive
);
create index events_ticket on events (ticket, seq);

-- Ticket projections (ITicketStore): rebuilt from the log by RebuildAsync.
create table tickets (
    key                text collate "C" primary key,
    team               text not null,
    category           text not null,
    priority           text not null,
    requester          text not null,
    channel            text not null,
    conversation       text,
    thread             text,
    subject            text not null,
    assignee           text,
    tier               text not null,
    status             text not null,
    is_open            boolean not null,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    first_response_at  timestamptz,
    resolved_at        timestamptz,
    reopens            integer not null,
    escalations        integer not null,
    events             integer not null,
    last_seq           bigint not null
);
create index tickets_created on tickets (created_at, key);
create index tickets_open on tickets (created_at, key) where is_open;
create index tickets_team on tickets (team, created_at);
create index tickets_assignee on tickets (assignee, created_at);
create index tickets_requester on tickets (requester, created_at);

-- The highest ticket number handed out or stored per key prefix (NextNumberAsync); only ever rises.
create table counters (
    prefix  text primary key,
    n       integer not null
);
