-- The embedded directory (IDirectory): people, read back whole from json, and their platform ids (channel:user id).
create table people (
    id            text primary key,
    email_lower   text not null,
    json          text not null
);
create index people_email on people (email_lower);

create table person_platform_ids (
    key     text primary key,            -- channel:platform user id
    person  text not null
);
