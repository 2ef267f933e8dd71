-- The embedded directory's application catalog (IApplicationCatalog), group memberships and password resets
-- (IEmbeddedDirectoryStore). seq keeps a group's members in the order they were added.
create table dir_applications (
    id    text primary key,
    json  text not null
);
create table dir_group_members (
    grp      text not null,
    user_id  text not null,
    seq      bigint generated always as identity,
    primary key (grp, user_id)
);
create table dir_password_resets (
    id       text primary key,         -- the idempotency key
    user_id  text not null,
    at       timestamptz not null
);
create index dir_password_resets_user on dir_password_resets (user_id);
