-- Which ticket a thread (channel|conversation|thread) or a delivery (|delivery|platform id) belongs to (ITicketStore).
create table thread_links (
    key     text primary key,
    ticket  text not null
);
