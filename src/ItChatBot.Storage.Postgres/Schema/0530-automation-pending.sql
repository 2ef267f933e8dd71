-- Requests the bot asked a question about before opening a ticket (IPendingRequestStore); used once (used_by: the press).
create table automation_pending (
    id          text primary key,
    person      text not null,
    text        text not null,
    channel     text not null,
    conv        text not null,
    thread      text,
    article     text,
    workflow    text,
    created_at  timestamptz not null,
    used        boolean not null default false,
    used_by     text
);
create index automation_pending_thread on automation_pending (thread) where thread is not null;
