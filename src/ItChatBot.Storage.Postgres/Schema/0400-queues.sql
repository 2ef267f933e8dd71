-- The queues' own records beside the event log (IQueueStore). Times are kept to the millisecond, as in the LiteDB file.
-- A ticket's card in one team's queue: id = ticket|TEAM (QueueIds.Post); messages = the QueuePostMessages as JSON.
create table queue_posts (
    id         text primary key,
    ticket     text not null,
    team       text not null,
    posted_at  timestamptz not null,
    unlinked   boolean not null,          -- some message's thread id is not known yet
    messages   jsonb not null
);
create index queue_posts_ticket on queue_posts (ticket);
create index queue_posts_unlinked on queue_posts (id) where unlinked;

-- Things that happen once (SLA warnings), by key.
create table queue_once (
    key  text primary key,
    at   timestamptz not null
);

-- How far a reader of the event log has got (the survey sender).
create table queue_checkpoints (
    name  text primary key,
    seq   bigint not null
);

-- Surveys waiting for their time, one per resolution (the id of its Resolved event).
create table queue_surveys (
    resolution_event_id  text primary key,
    ticket               text not null,
    due                  timestamptz not null
);
create index queue_surveys_due on queue_surveys (due);
