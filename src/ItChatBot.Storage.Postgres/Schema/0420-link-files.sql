-- Files behind signed download links (IFileStore), with what the link's download audits for exports.
create table link_files (
    id            text primary key,
    name          text not null,
    content_type  text not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    export        text,
    exported_by   text,
    content       bytea not null
);
create index link_files_expires on link_files (expires_at);

-- Keys every instance must share (the file links' HMAC key): made once, insert-if-absent, then only read.
create table host_secrets (
    id     text primary key,
    value  bytea not null
);
